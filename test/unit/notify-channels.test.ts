import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { emlOf } from '../../cli/local/outbox.js';
import { sesChannel } from '../../shared/aws/ses.js';
import type { Notice } from '../../shared/notify/notice.js';
import { robotBody, robotContent, webhookChannel, WebhookError } from '../../shared/notify/webhook.js';

const notice: Notice = {
  event: 'receipt#b/k',
  kind: 'receipt',
  department: 'science',
  period: '2026-11',
  to: [],
  subject: '区科技局 2026-11 报表未通过 / workbook rejected',
  text: '报表未通过。\n\nThe workbook was rejected.',
  links: [{ label: '门户页面 Portal page', url: 'https://portal.example/#/department/science/months/2026-11' }],
};
const robot = { channel: 'webhook', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret' } as const;

describe('the group robot webhook', () => {
  const answering = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

  it('posts the text with its links as WeCom and DingTalk take it', async () => {
    let posted: unknown;
    const channel = webhookChannel({
      timeoutMs: 1000,
      fetch: (async (_url: string, init: RequestInit) => {
        posted = JSON.parse(String(init.body));
        return new Response('{"errcode":0,"errmsg":"ok"}');
      }) as typeof fetch,
    });
    await channel.send(notice, robot);
    expect(posted).toEqual({ msgtype: 'text', text: { content: `${notice.subject}\n\n${notice.text}\n\n门户页面 Portal page: ${notice.links[0]?.url}` } });
  });

  it.each([
    [answering(500, { errcode: 0 }), 'webhook answered HTTP 500'],
    [answering(200, { errcode: 93000, errmsg: 'invalid webhook url' }), 'webhook refused the message (errcode 93000: invalid webhook url)'],
    [(async () => new Response('not json')) as typeof fetch, 'webhook refused the message (errcode undefined'],
    [(async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch, 'webhook not reached (TypeError)'],
  ])('fails unless it is accepted, never naming the URL (%#)', async (fetch, message) => {
    const failed = await webhookChannel({ timeoutMs: 1000, fetch }).send(notice, robot).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(WebhookError);
    expect((failed as Error).message).toContain(message);
    expect((failed as Error).message).not.toContain('secret');
  });

  it('cuts a long text, keeping the links', () => {
    const content = robotContent({ ...notice, text: '长'.repeat(5000) });
    expect(content.length).toBeLessThanOrEqual(600);
    expect(content.endsWith(`门户页面 Portal page: ${notice.links[0]?.url}`)).toBe(true);
    expect(robotBody(notice).msgtype).toBe('text');
  });
});

describe('e-mail', () => {
  it('sends through SES from the sender, in the configuration set, as UTF-8 text', async () => {
    const client = mockClient(SESv2Client);
    client.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await sesChannel(new SESv2Client({ region: 'ap-east-1' }), { from: 'notices@dazu.gov.cn', configurationSet: 'notices' }).send(notice, {
      channel: 'email',
      address: 'li@dazu.gov.cn',
    });
    const input = client.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'notices@dazu.gov.cn',
      Destination: { ToAddresses: ['li@dazu.gov.cn'] },
      ConfigurationSetName: 'notices',
      Content: { Simple: { Subject: { Data: notice.subject, Charset: 'UTF-8' }, Body: { Text: { Charset: 'UTF-8' } } } },
    });
    client.restore();
  });

  it('writes locally a message with encoded headers and a UTF-8 body', () => {
    const eml = emlOf(notice, 'science-clerk@portal.local', 'notices@portal.local', new Date('2026-12-03T01:00:00.000Z'));
    const [head = '', body = ''] = eml.split('\r\n\r\n');
    expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from(notice.subject).toString('base64')}?=`);
    expect(head).toContain('Date: Thu, 03 Dec 2026 01:00:00 +0000');
    expect(head).toContain('Content-Type: text/plain; charset=UTF-8');
    expect(body.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString()).toContain('报表未通过。');
  });
});
