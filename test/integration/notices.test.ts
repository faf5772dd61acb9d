import type { S3Event } from 'aws-lambda';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContactsPath } from '../../cli/local/contacts.js';
import { outboxFiles } from '../../cli/local/outbox.js';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { fillTemplate, sampleWorkbooks } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { exampleContacts } from '../../shared/notify/contacts.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { buildTemplate, TEMPLATE } from '../../shared/workbook/template.js';

/**
 * Notices end to end on the embedded stores: the real functions put their requests on the local notice queue, the
 * notifier writes each message to the outbox once. 2026-11 is due on Thursday 2026-12-10; science has submitted it,
 * vocational's upload is rejected, education has sent nothing.
 */
let directory: string;
let pipeline: LocalPipeline & { close(): Promise<void> };
let robot: Server;
/** How science's clerks' robot answers: accepted, or HTTP 500. */
let robotFails = false;
let robotCalls = 0;
const events: S3Event[] = [];
/** Science's workbook of 2026-11 as first uploaded: the template writes the time into each file it makes. */
let scienceWorkbook: { key: string; bytes: Uint8Array };

interface Message {
  name: string;
  to: string;
  subject: string;
  body: string;
}

function message(name: string): Message {
  const text = readFileSync(join(pipeline.outbox, name), 'utf8');
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const header = (field: string) => new RegExp(`^${field}: (.*)$`, 'm').exec(head)?.[1] ?? '';
  const subject = header('Subject').replace(/=\?UTF-8\?B\?(.*)\?=/, (_, b64: string) => Buffer.from(b64, 'base64').toString());
  return { name, to: header('To'), subject, body: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString() };
}

/** The e-mails a step adds to the outbox. */
async function emailsOf(step: () => Promise<unknown>): Promise<Message[]> {
  const before = new Set(await outboxFiles(directory));
  await step();
  return (await outboxFiles(directory)).filter((name) => !before.has(name) && name.endsWith('.eml')).map(message);
}

const remind = (on: string) => pipeline.remind(on);

beforeAll(async () => {
  robot = createServer((request, response) => {
    robotCalls++;
    request.resume();
    if (robotFails) response.writeHead(500).end('down');
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
  });
  await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
  directory = mkdtempSync(join(tmpdir(), 'notices-'));
  mkdirSync(directory, { recursive: true });
  const contacts = exampleContacts(catalog.departments.map((d) => d.id));
  const science = contacts.departments.science;
  if (!science) throw new Error('the catalog has no science department');
  science.clerks = [{ channel: 'email', address: 'science-clerk@portal.local' }, { channel: 'webhook', url: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot` }];
  writeFileSync(localContactsPath(directory), JSON.stringify(contacts));
  pipeline = await startLocalPipeline(directory, { noticeRetry: { tries: 3, firstDelayMs: 10, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) } });
  pipeline.stores.onS3Event(async (event) => void events.push(event));
  const sample = (await sampleWorkbooks(catalog)).find((s) => s.department === 'science' && s.period === '2026-11');
  if (!sample) throw new Error('no science sample of 2026-11');
  scienceWorkbook = { key: uploadKey('science', sample.fileName), bytes: sample.bytes };
  await pipeline.upload(scienceWorkbook.key, scienceWorkbook.bytes);
});

afterAll(async () => {
  await pipeline.close();
  await new Promise((resolve) => robot.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

describe('receipts', () => {
  it('tells the department of a rejected upload once, naming the bad cell', async () => {
    const template = await buildTemplate(catalog, 'vocational', '2026-11');
    const bad = await fillTemplate(template, new Map<string, number>([['voc.majors', 22.5]]));
    const emails = await emailsOf(() => pipeline.upload('incoming/vocational/vocational-2026-11.xlsx', bad));
    const row = TEMPLATE.rows.firstIndicator + catalog.indicatorsOf('vocational').findIndex((i) => i.id === 'voc.majors');
    expect(emails.map((e) => [e.to, e.name.split('-')[1]])).toEqual([['vocational-clerk@portal.local', 'receipt']]);
    expect(emails[0]?.subject).toContain('未通过');
    expect(emails[0]?.body).toContain(`${TEMPLATE.dataSheet}!E${row}`);
  });

  it('tells nothing more when the same S3 event is delivered again', async () => {
    const event = events.find((e) => e.Records.some((r) => r.s3.object.key.startsWith('incoming/vocational/')));
    if (!event) throw new Error('no S3 event of the vocational upload');
    const emails = await emailsOf(async () => {
      expect(await pipeline.queue.send(JSON.stringify(event))).toBe(true);
      await pipeline.noticesSettled();
    });
    expect(emails).toEqual([]);
  });

  it('tells nothing of the same file uploaded again, nor of the test event S3 sends when notifications are set up', async () => {
    expect(await emailsOf(() => pipeline.upload(scienceWorkbook.key, scienceWorkbook.bytes))).toEqual([]);
    const testEvent = { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'department-metrics-uploads' };
    expect(
      await emailsOf(async () => {
        expect(await pipeline.queue.send(JSON.stringify(testEvent))).toBe(true);
        await pipeline.noticesSettled();
      }),
    ).toEqual([]);
  });
});

describe('reminders and escalations', () => {
  it('reminds, before the due day, only the departments that have not submitted the month; again on the day, nothing new', async () => {
    const emails = await emailsOf(() => remind('2026-12-08'));
    expect(emails.map((e) => e.to).sort()).toEqual(['education-clerk@portal.local', 'vocational-clerk@portal.local']);
    expect(emails[0]?.body).toContain('还有 2 个工作日');
    expect(await emailsOf(() => remind('2026-12-08'))).toEqual([]);
  });

  it('sends nothing on a day the reminders have not started, or on a weekend', async () => {
    expect(await emailsOf(() => remind('2026-12-01'))).toEqual([]);
    expect(await emailsOf(() => remind('2026-12-12'))).toEqual([]);
  });

  it("escalates after the due day to each missing department's head and to the office, with how late; again on the day, nothing new", async () => {
    const emails = await emailsOf(() => remind('2026-12-14'));
    expect(emails.map((e) => e.to).sort()).toEqual(['education-head@portal.local', 'office@portal.local', 'office@portal.local', 'vocational-head@portal.local']);
    expect(emails.every((e) => e.body.includes('已逾期 2 个工作日'))).toBe(true);
    expect(await emailsOf(() => remind('2026-12-14'))).toEqual([]);
  });
});

describe('a failing robot', () => {
  it('is tried again, then the request is dead-lettered; the e-mail beside it is sent once', async () => {
    robotFails = true;
    robotCalls = 0;
    try {
      const emails = await emailsOf(() => pipeline.upload('incoming/science/notes.xlsx', new TextEncoder().encode('not a spreadsheet')));
      expect(emails.map((e) => e.to)).toEqual(['science-clerk@portal.local']);
    } finally {
      robotFails = false;
    }
    expect(robotCalls).toBe(9);
    expect(pipeline.notices.deadLetters).toHaveLength(1);
    expect(JSON.parse(pipeline.notices.deadLetters[0]?.body ?? '{}')).toMatchObject({ kind: 'receipt' });
  });
});
