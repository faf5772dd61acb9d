import type { Channel, SentNotices } from '../shared/notify/ports.js';
import type { Notice, Recipient } from '../shared/notify/notice.js';

/** The record of what was sent, in memory, claimed as the DynamoDB adapter claims: once per event and recipient. */
export function memorySentNotices(): SentNotices & { states: Map<string, 'claimed' | 'sent'> } {
  const states = new Map<string, 'claimed' | 'sent'>();
  const key = (event: string, recipient: string) => `${event}|${recipient}`;
  return {
    states,
    async claim(event, recipient) {
      if (states.has(key(event, recipient))) return false;
      states.set(key(event, recipient), 'claimed');
      return true;
    },
    async sent(event, recipient) {
      states.set(key(event, recipient), 'sent');
    },
    async release(event, recipient) {
      if (states.get(key(event, recipient)) === 'claimed') states.delete(key(event, recipient));
    },
  };
}

/** A channel that records what it was asked to send, and fails the first `failures` sends. */
export function recordingChannel(failures = 0): Channel & { sent: { notice: Notice; recipient: Recipient }[]; tries: number } {
  const channel = {
    sent: [] as { notice: Notice; recipient: Recipient }[],
    tries: 0,
    async send(notice: Notice, recipient: Recipient) {
      channel.tries++;
      if (channel.tries <= failures) throw new Error('channel down');
      channel.sent.push({ notice, recipient });
    },
  };
  return channel;
}
