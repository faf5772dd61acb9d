import { describe, expect, it } from 'vitest';
import { makeDelivery, masked, NoticeNotSentError, recipientKey, type RetryPolicy } from '../../shared/notify/deliver.js';
import type { Notice, Recipient } from '../../shared/notify/notice.js';
import { memorySentNotices, recordingChannel } from '../memory-sent-notices.js';

const clerk: Recipient = { channel: 'email', address: 'li.wei@dazu.gov.cn' };
const robot: Recipient = { channel: 'webhook', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key' };
const notice: Notice = { event: 'receipt#b/k', kind: 'receipt', department: 'science', period: '2026-11', to: [clerk, robot], subject: 's', text: 't', links: [] };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => new Date('2026-12-03T01:00:00.000Z') };

function setUp(failures = { email: 0, webhook: 0 }) {
  const waits: number[] = [];
  const retry: RetryPolicy = { tries: 3, firstDelayMs: 200, sleep: async (ms) => void waits.push(ms) };
  const channels = { email: recordingChannel(failures.email), webhook: recordingChannel(failures.webhook) };
  const sentNotices = memorySentNotices();
  return { waits, channels, sentNotices, deliver: makeDelivery({ channels, sentNotices, clock, logger: silent, retry }) };
}

describe('masking recipients for the logs', () => {
  it.each([
    [clerk, 'l***@dazu.gov.cn'],
    [{ channel: 'email', address: 'nobody' } as const, '***'],
    [robot, 'webhook qyapi.weixin.qq.com'],
  ])('%j is logged as %s', (recipient, text) => {
    expect(masked(recipient)).toBe(text);
  });

  it('keys a recipient by a hash, the same whatever the case of the address', () => {
    expect(recipientKey(clerk)).toMatch(/^[0-9a-f]{32}$/);
    expect(recipientKey({ channel: 'email', address: 'LI.WEI@dazu.gov.cn' })).toBe(recipientKey(clerk));
    expect(recipientKey(robot)).not.toContain('secret');
  });
});

describe('delivering a notice once', () => {
  it('sends to each recipient once, however often the event is delivered', async () => {
    const { channels, deliver } = setUp();
    expect(await deliver(notice)).toEqual({ sent: 2, skipped: 0 });
    expect(await deliver(notice)).toEqual({ sent: 0, skipped: 2 });
    expect(channels.email.sent).toHaveLength(1);
    expect(channels.webhook.sent).toHaveLength(1);
  });

  it('tells an address named twice once', async () => {
    const { channels, deliver } = setUp();
    await deliver({ ...notice, to: [clerk, { channel: 'email', address: 'Li.Wei@dazu.gov.cn' }] });
    expect(channels.email.sent).toHaveLength(1);
  });

  it('tries again with a doubling wait, and sends once it is accepted', async () => {
    const { waits, channels, deliver } = setUp({ email: 0, webhook: 2 });
    expect(await deliver(notice)).toEqual({ sent: 2, skipped: 0 });
    expect(waits).toEqual([200, 400]);
    expect(channels.webhook.tries).toBe(3);
  });

  it('gives the claim back after the last try and throws, naming the recipient masked; the next delivery sends to it alone', async () => {
    const { channels, sentNotices, deliver } = setUp({ email: 0, webhook: 3 });
    const failed = await deliver(notice).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(NoticeNotSentError);
    expect((failed as Error).message).toBe('notice receipt#b/k not sent to webhook qyapi.weixin.qq.com');
    expect([...sentNotices.states.values()]).toEqual(['sent']);
    expect(await deliver(notice)).toEqual({ sent: 1, skipped: 1 });
    expect(channels.email.sent).toHaveLength(1);
    expect(channels.webhook.sent).toHaveLength(1);
  });
});
