import { createHash } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { Clock, Logger } from '../ports.js';
import type { Notice, Recipient } from './notice.js';
import type { Channel, SentNotices } from './ports.js';

/**
 * Delivery exactly once per event and recipient: the record of what was sent is claimed first, conditionally, so
 * that a redelivered event, a retry or a concurrent run finds the claim and sends nothing; a send that fails every
 * try gives its claim back and throws, so that the queue delivers the request again and, after its last receive,
 * dead-letters it (its alarm tells the operators).
 */

/** The key of a recipient in the record: a hash, so that no address or webhook key is stored or logged in clear. */
export function recipientKey(recipient: Recipient): string {
  const address = recipient.channel === 'email' ? recipient.address.toLowerCase() : recipient.url;
  return createHash('sha256').update(`${recipient.channel}:${address}`).digest('hex').slice(0, 32);
}

/** A recipient as the logs may show it: the address's first letter and its domain, a webhook's host alone. */
export function masked(recipient: Recipient): string {
  if (recipient.channel === 'webhook') {
    const host = URL.canParse(recipient.url) ? new URL(recipient.url).host : 'invalid';
    return `webhook ${host}`;
  }
  const at = recipient.address.lastIndexOf('@');
  return at < 1 ? '***' : `${recipient.address[0]}***${recipient.address.slice(at)}`;
}

export interface RetryPolicy {
  /** Sends tried per delivery before the claim is given back. */
  tries: number;
  /** The wait after the first failed try; it doubles after each. */
  firstDelayMs: number;
  sleep(ms: number): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { tries: 3, firstDelayMs: 200, sleep: (ms) => wait(ms) };

/** A notice not sent to every recipient: the request is delivered again, and the recipients already sent are skipped. */
export class NoticeNotSentError extends Error {
  override readonly name = 'NoticeNotSentError';
  constructor(
    readonly event: string,
    readonly failed: string[],
    options: ErrorOptions,
  ) {
    super(`notice ${event} not sent to ${failed.join(', ')}`, options);
  }
}

/** What one delivery did: how many recipients it sent to, and how many were sent (or being sent) already. */
export interface Delivered {
  sent: number;
  skipped: number;
}

export function makeDelivery(ports: { channels: Record<Recipient['channel'], Channel>; sentNotices: SentNotices; clock: Clock; logger: Logger; retry?: RetryPolicy }) {
  const { channels, sentNotices, clock, logger } = ports;
  const retry = ports.retry ?? DEFAULT_RETRY;

  async function sendWithRetries(notice: Notice, recipient: Recipient): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await channels[recipient.channel].send(notice, recipient);
      } catch (error) {
        if (attempt >= retry.tries) throw error;
        logger.warn('notice not accepted; trying again', { event: notice.event, to: masked(recipient), attempt, error: String(error) });
        await retry.sleep(retry.firstDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  /** Sends the notice to each recipient it was not sent to; throws NoticeNotSentError when any failed every try. */
  return async function deliver(notice: Notice): Promise<Delivered> {
    // The same address in two roles (a head who is also the office's) is told once.
    const recipients = new Map(notice.to.map((recipient) => [recipientKey(recipient), recipient]));
    const failures: { to: string; error: unknown }[] = [];
    let sent = 0;
    for (const [key, recipient] of recipients) {
      if (!(await sentNotices.claim(notice.event, key, clock.now()))) continue;
      try {
        await sendWithRetries(notice, recipient);
      } catch (error) {
        await sentNotices.release(notice.event, key);
        failures.push({ to: masked(recipient), error });
        continue;
      }
      await sentNotices.sent(notice.event, key, clock.now());
      sent++;
    }
    logger.info('notice delivered', { event: notice.event, kind: notice.kind, sent, skipped: recipients.size - sent - failures.length, failed: failures.map((f) => f.to) });
    if (failures.length > 0) throw new NoticeNotSentError(notice.event, failures.map((f) => f.to), { cause: failures[0]?.error });
    return { sent, skipped: recipients.size - sent };
  };
}
