import { DeleteItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { IDEMPOTENCY_TABLE_KEY, LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { fillTemplate } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { OBSERVATION_TABLE_KEY } from '../../shared/aws/observation-table.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { uploadsOf } from '../../shared/ingest/s3-event.js';
import { annotatedKeyOf, REPORTS_PREFIX, reportFolderOf, reportKeyOf } from '../../shared/s3-keys.js';
import { buildTemplate } from '../../shared/workbook/template.js';

/**
 * Faults on the real flow: s3rver, dynalite, the real ingest handler behind the local SQS queue.
 * Faults are injected into the handler's own AWS clients as SDK middleware, below the repository
 * and above the SDK's retries, so every fault reaches the code under test as AWS would raise it.
 * After each, the observations table must equal, item by item, the table one clean delivery leaves.
 */
type Clients = typeof import('../../shared/aws/clients.js');
type Item = Record<string, AttributeValue>;

let directory: string;
let pipeline: LocalPipeline & { close(): Promise<void> };
let clients: Clients;
const removeFaults: (() => void)[] = [];

/** Two uploads of the same month by science: `older` first, then a correction. */
const OLDER = 'incoming/science/科技 2026-10.xlsx';
const NEWER = 'incoming/science/科技 2026-10 更正.xlsx';

function s3Event(key: string, eventTime: string, sequencer: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime,
        userIdentity: { principalId: 'AWS:CLERK' },
        s3: {
          bucket: { name: LOCAL_RESOURCES.uploadBucket },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size: 1, sequencer },
        },
      },
    ],
  } as unknown as S3Event;
}

const older = JSON.stringify(s3Event(OLDER, '2026-11-03T01:00:00.000Z', '0062A1'));
const newer = JSON.stringify(s3Event(NEWER, '2026-11-05T01:00:00.000Z', '0062B7'));

async function scanAll(table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await pipeline.stores.dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The observations table, item by item, in key order. */
async function observationItems(): Promise<Item[]> {
  const { partitionKey, sortKey } = OBSERVATION_TABLE_KEY;
  const key = (item: Item) => `${item[partitionKey]?.S}|${item[sortKey]?.S}`;
  return (await scanAll(LOCAL_RESOURCES.observationsTable)).sort((a, b) => key(a).localeCompare(key(b)));
}

async function emptyTables(): Promise<void> {
  const { partitionKey, sortKey } = OBSERVATION_TABLE_KEY;
  const tables = [
    [LOCAL_RESOURCES.observationsTable, [partitionKey, sortKey]],
    [LOCAL_RESOURCES.idempotencyTable, [IDEMPOTENCY_TABLE_KEY]],
  ] as const;
  for (const [table, keys] of tables) {
    for (const item of await scanAll(table)) {
      const Key = Object.fromEntries(keys.map((k) => [k, item[k] as AttributeValue]));
      await pipeline.stores.dynamo.send(new DeleteItemCommand({ TableName: table, Key }));
    }
  }
}

/** The table one clean delivery of each message, in order, leaves behind. */
async function cleanRun(...messages: string[]): Promise<Item[]> {
  await emptyTables();
  for (const message of messages) expect(await pipeline.queue.send(message)).toBe(true);
  const items = await observationItems();
  await emptyTables();
  return items;
}

type Next = (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown>; response: unknown }>;

type Fault = (args: { input: Record<string, unknown> }, next: Next) => Promise<unknown>;

/** Runs `fault` instead of the command the first `times` times the handler's client sends a command named like `command`. */
function inject(client: 'dynamoClient' | 's3', command: RegExp, times: number, fault: Fault): void {
  const name = `fault-${removeFaults.length}`;
  let left = times;
  const stack = clients[client].middlewareStack as unknown as {
    add(middleware: unknown, options: { step: 'initialize'; name: string }): void;
    remove(name: string): boolean;
  };
  stack.add(
    (next: Next, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      if (left > 0 && command.test(context.commandName ?? '')) {
        left--;
        return fault(args, next);
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  removeFaults.push(() => stack.remove(name));
}

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
const isObservationsTable = (input: Record<string, unknown>) => input.TableName === LOCAL_RESOURCES.observationsTable;

/** A write of an import: the observations table's PutItems and the upload bucket's report objects. */
function isImportWrite(client: 'dynamoClient' | 's3', input: Record<string, unknown>): boolean {
  return client === 's3' ? String(input.Key).startsWith(REPORTS_PREFIX) : isObservationsTable(input);
}

/** Calls `each` with every write of an import the handler sends from now on, numbered from 1, in the order sent. */
function onImportWrites(each: (n: number, write: string, send: () => Promise<unknown>) => Promise<unknown>): void {
  let n = 0;
  for (const [client, command] of [['dynamoClient', /^PutItem/], ['s3', /^PutObject/]] as const) {
    inject(client, command, Number.POSITIVE_INFINITY, async (args, next) => {
      if (!isImportWrite(client, args.input)) return next(args);
      // The document client's commands reach this middleware before their items are marshalled.
      const { TableName, Key, Item } = args.input as { TableName?: string; Key?: string; Item?: Record<string, unknown> };
      return each(++n, TableName ? `PutItem ${String(Item?.[OBSERVATION_TABLE_KEY.sortKey])}` : `PutObject ${Key}`, () => next(args));
    });
  }
}

function removeFaultsNow(): void {
  for (const remove of removeFaults.splice(0)) remove();
}

const uploadOf = (message: string) => {
  const [upload] = uploadsOf(JSON.parse(message) as S3Event);
  if (!upload) throw new Error('the message announces no upload');
  return upload;
};

async function importReport(message: string): Promise<ImportReport> {
  const upload = uploadOf(message);
  return JSON.parse(new TextDecoder().decode(await pipeline.read(upload.bucket, reportKeyOf(upload, reportFolderOf(upload.key))))) as ImportReport;
}

const annotatedKey = (message: string) => annotatedKeyOf(uploadOf(message), reportFolderOf(uploadOf(message).key));

async function annotatedCopyExists(message: string): Promise<boolean> {
  try {
    await pipeline.stores.s3.send(new HeadObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: annotatedKey(message) }));
    return true;
  } catch (error) {
    if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

/** The tables empty, and no report or annotated copy of the message's upload left from an earlier case. */
async function startAfresh(message: string): Promise<void> {
  await emptyTables();
  const upload = uploadOf(message);
  for (const Key of [reportKeyOf(upload, reportFolderOf(upload.key)), annotatedKey(message)]) {
    await pipeline.stores.s3.send(new DeleteObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key }));
  }
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'faults-'));
  pipeline = await startLocalPipeline(directory);
  clients = await import('../../shared/aws/clients.js');
  const template = await buildTemplate(catalog, 'science', '2026-10');
  const figures = (craftsmen: number) =>
    new Map<string, number | boolean>([
      ['sci.bayu_craftsmen', craftsmen],
      ['sci.tech_contract_turnover', 1.3],
      ['sci.incentive_app_rollout', false],
    ]);
  // s3rver announces every put and the pipeline ingests it; the tables are emptied before each case.
  for (const [key, craftsmen] of [[OLDER, 30], [NEWER, 32]] as const) {
    const Body = await fillTemplate(template, figures(craftsmen));
    await pipeline.stores.s3.send(new PutObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key, Body }));
  }
  await pipeline.stores.settled();
});

beforeEach(emptyTables);

afterEach(() => {
  for (const remove of removeFaults.splice(0)) remove();
  pipeline.queue.deadLetters.splice(0);
});

afterAll(async () => {
  await pipeline.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('after a fault, the table holds exactly what one clean delivery leaves', () => {
  it('DynamoDB throttling the switch: the message fails, is received again, and commits once', async () => {
    const clean = await cleanRun(older);
    inject('dynamoClient', /^Put/, 1, async (args, next) => {
      if (!isObservationsTable(args.input)) return next(args);
      throw throttled();
    });
    expect(await pipeline.queue.send(older)).toBe(true);
    expect(await observationItems()).toEqual(clean);
  });

  it('a crash between copying the replaced slice to history and the switch, then redelivery', async () => {
    const clean = await cleanRun(older, newer);
    expect(await pipeline.queue.send(older)).toBe(true);
    let puts = 0;
    inject('dynamoClient', /^Put/, Number.POSITIVE_INFINITY, async (args, next) => {
      // The correction's first write copies the month's slice to history; the second is the switch.
      if (isObservationsTable(args.input) && ++puts === 2) throw new Error('Lambda runtime exited before the switch was written');
      return next(args);
    });
    expect(await pipeline.queue.send(newer)).toBe(true);
    expect(await observationItems()).toEqual(clean);
  });

  it('the same message twice at once: one imports, the other finds it done', async () => {
    const clean = await cleanRun(older);
    expect(await Promise.all([pipeline.queue.send(older), pipeline.queue.send(older)])).toEqual([true, true]);
    expect(await observationItems()).toEqual(clean);
    const records = await scanAll(LOCAL_RESOURCES.idempotencyTable);
    expect(records.map((r) => r.status?.S)).toEqual(['COMPLETED']);
  });

  it('the same message again later: nothing is written a second time', async () => {
    const clean = await cleanRun(older);
    expect(await pipeline.queue.send(older)).toBe(true);
    let writes = 0;
    inject('dynamoClient', /^Put/, Number.POSITIVE_INFINITY, async (args, next) => {
      if (isObservationsTable(args.input)) writes++;
      return next(args);
    });
    expect(await pipeline.queue.send(older)).toBe(true);
    expect(writes).toBe(0);
    expect(await observationItems()).toEqual(clean);
  });

  it('an older upload announced after a newer one: the newer stays current', async () => {
    const clean = await cleanRun(newer);
    expect(await pipeline.queue.send(newer)).toBe(true);
    expect(await pipeline.queue.send(older)).toBe(true);
    expect(await observationItems()).toEqual(clean);
    const [report] = await pipeline.reportsOf(JSON.parse(older) as S3Event);
    expect(report).toMatchObject({ status: 'accepted', outcome: 'superseded' });
  });

  it('GetObject failing on every receive: dead-lettered with nothing written, then replayed once S3 recovers', async () => {
    const clean = await cleanRun(older);
    inject('s3', /^GetObject/, 3, async () => {
      throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
    });
    expect(await pipeline.queue.send(older)).toBe(false);
    expect(pipeline.queue.deadLetters.map((letter) => [letter.body, letter.receiveCount])).toEqual([[older, 3]]);
    expect(await observationItems()).toEqual([]);
    expect(await scanAll(LOCAL_RESOURCES.idempotencyTable)).toEqual([]);

    expect(await pipeline.queue.redrive()).toBe(1);
    expect(pipeline.queue.deadLetters).toEqual([]);
    expect(await observationItems()).toEqual(clean);
  });

  it('the s3:TestEvent S3 sends when the notification is configured: done, nothing written', async () => {
    const testEvent = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-11-01T00:00:00.000Z',
      Bucket: LOCAL_RESOURCES.uploadBucket,
    });
    expect(await pipeline.queue.send(testEvent)).toBe(true);
    expect(await observationItems()).toEqual([]);
    expect(await scanAll(LOCAL_RESOURCES.idempotencyTable)).toEqual([]);
  });
});

describe('a crash at any write of an import, then redelivery, ends as one clean delivery does', () => {
  const cases = [
    ['the first upload of a month', [], older],
    ['a correction', [older], newer],
  ] as const;

  it.each(cases)('%s: the table, the final report and the annotated copy', { timeout: 120_000 }, async (_case, earlier, message) => {
    // One clean delivery, counting its writes: a write added to the import later is crashed at as well.
    await startAfresh(message);
    for (const before of earlier) expect(await pipeline.queue.send(before)).toBe(true);
    const writes: string[] = [];
    onImportWrites(async (_n, write, send) => {
      writes.push(write);
      return send();
    });
    expect(await pipeline.queue.send(message)).toBe(true);
    removeFaultsNow();
    const clean = { items: await observationItems(), report: await importReport(message), annotated: await annotatedCopyExists(message) };
    expect(clean.report.outcome).toBe('committed');
    expect(clean.annotated).toBe(true);
    expect(writes.filter((write) => write.startsWith('PutItem'))).toHaveLength(earlier.length === 0 ? 1 : 2);
    expect(writes.filter((write) => write.startsWith('PutObject'))).toHaveLength(3);

    // At each write in turn, the process dies just before the write is sent, or just after it has landed.
    for (const [at, write] of writes.entries()) {
      for (const landed of [false, true]) {
        const where = `crash ${landed ? 'after' : 'before'} write ${at + 1}, ${write}`;
        await startAfresh(message);
        for (const before of earlier) expect(await pipeline.queue.send(before)).toBe(true);
        onImportWrites(async (n, _write, send) => {
          if (n !== at + 1) return send();
          if (landed) await send();
          throw new Error(`Runtime exited: ${where}`);
        });
        expect(await pipeline.queue.send(message), where).toBe(true);
        removeFaultsNow();
        expect(await observationItems(), where).toEqual(clean.items);
        expect(await importReport(message), where).toEqual(clean.report);
        expect(await annotatedCopyExists(message), where).toBe(clean.annotated);
      }
    }
  });
});
