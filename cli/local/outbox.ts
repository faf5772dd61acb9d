import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { masked, recipientKey } from '../../shared/notify/deliver.js';
import { withLinks } from '../../shared/notify/messages.js';
import type { Notice, Recipient } from '../../shared/notify/notice.js';
import type { Channel } from '../../shared/notify/ports.js';
import { robotBody, webhookChannel } from '../../shared/notify/webhook.js';
import type { Clock } from '../../shared/ports.js';

/**
 * The local run's channels: every e-mail lands in `<data>/outbox/` as an .eml file and every robot call as a JSON
 * file, so that the demo can be seen end to end. The demo's robots (`*.local`, a name no DNS answers) are only
 * written down; a robot of contacts.json anywhere else is also called, as the notifier on AWS would call it.
 */

export const outboxFolder = (directory: string) => join(directory, 'outbox');

/** Encoded-word (RFC 2047) for a header that is not plain ASCII. */
const headerText = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`);

/** Base64 body lines of at most 76 characters (RFC 2045). */
const base64Lines = (text: string) => (Buffer.from(text).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

/** The notice as an RFC 5322 message: UTF-8 headers and a base64 text body, CRLF line ends. */
export function emlOf(notice: Notice, to: string, from: string, date: Date): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${headerText(notice.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@portal.local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    `X-Notice-Kind: ${notice.kind}`,
    `X-Notice-Event: ${headerText(notice.event)}`,
    '',
    base64Lines(withLinks(notice.text, notice.links)),
    '',
  ].join('\r\n');
}

const isLocalRobot = (url: string) => URL.canParse(url) && new URL(url).hostname.endsWith('.local');

export function outboxChannels(directory: string, clock: Clock, options: { from: string; fetch?: typeof fetch }): Record<Recipient['channel'], Channel> {
  const folder = outboxFolder(directory);
  const robots = webhookChannel({ timeoutMs: 2000, ...(options.fetch ? { fetch: options.fetch } : {}) });
  /** `<time>-<kind>-<hash>.<extension>`: in the order written, one file per notice and recipient. */
  async function write(notice: Notice, recipient: Recipient, extension: string, content: string): Promise<void> {
    await mkdir(folder, { recursive: true });
    const time = clock.now().toISOString().replace(/[-:]/g, '').replace('.', '');
    const hash = createHash('sha256').update(`${notice.event}|${recipientKey(recipient)}`).digest('hex').slice(0, 12);
    await writeFile(join(folder, `${time}-${notice.kind}-${hash}.${extension}`), content);
  }
  return {
    email: {
      async send(notice, recipient) {
        if (recipient.channel !== 'email') throw new TypeError(`the e-mail channel cannot send to ${recipient.channel}`);
        await write(notice, recipient, 'eml', emlOf(notice, recipient.address, options.from, clock.now()));
      },
    },
    webhook: {
      async send(notice, recipient) {
        if (recipient.channel !== 'webhook') throw new TypeError(`the webhook channel cannot send to ${recipient.channel}`);
        if (!isLocalRobot(recipient.url)) await robots.send(notice, recipient);
        await write(notice, recipient, 'json', `${JSON.stringify({ to: masked(recipient), body: robotBody(notice) }, null, 2)}\n`);
      },
    },
  };
}

/** The outbox's files, oldest first. */
export async function outboxFiles(directory: string): Promise<string[]> {
  return (await readdir(outboxFolder(directory)).catch(() => [])).filter((name) => name.endsWith('.eml') || name.endsWith('.json')).sort();
}

/** A message of the outbox as the local portal lists it. */
export interface OutboxEntry {
  file: string;
  channel: Recipient['channel'];
  /** An address, or a robot's masked URL. */
  to: string;
  subject: string;
  text: string;
}

const decodedHeader = (value: string) => value.replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString());

/** Reads back what emlOf wrote: its headers and its base64 body. */
function emlEntry(file: string, eml: string): OutboxEntry {
  const [head = '', body = ''] = eml.split('\r\n\r\n');
  const header = (field: string) => decodedHeader(new RegExp(`^${field}: (.*)$`, 'm').exec(head)?.[1] ?? '');
  return { file, channel: 'email', to: header('To'), subject: header('Subject'), text: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString() };
}

function robotEntry(file: string, json: string): OutboxEntry {
  const call = JSON.parse(json) as { to: string; body: { text: { content: string } } };
  const [subject = '', ...rest] = call.body.text.content.split('\n');
  return { file, channel: 'webhook', to: call.to, subject, text: rest.join('\n').trim() };
}

/** The outbox's messages, newest first, as the local portal shows them. */
export async function outboxEntries(directory: string): Promise<OutboxEntry[]> {
  const files = (await outboxFiles(directory)).reverse();
  return Promise.all(
    files.map(async (file) => {
      const content = await readFile(join(outboxFolder(directory), file), 'utf8');
      return file.endsWith('.eml') ? emlEntry(file, content) : robotEntry(file, content);
    }),
  );
}
