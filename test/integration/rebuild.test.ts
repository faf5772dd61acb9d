import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores } from '../../cli/local/stores.js';
import { fillTemplate, samplePeriods, sampleWorkbooks } from '../../cli/samples.js';
import figuresData from '../../samples/figures.json' with { type: 'json' };
import { catalog } from '../../shared/catalog/catalog.js';
import { MANIFEST_FILE, uploadKey } from '../../shared/s3-keys.js';
import { buildTemplate } from '../../shared/workbook/template.js';

/**
 * Disaster recovery on s3rver and dynalite: the demo's table and every month's snapshot, the table
 * emptied (the idempotency records kept), `rebuild` as a process of its own, every month's snapshot
 * again; the table and the snapshot files must come back as they were.
 */
const run = promisify(execFile);
let directory: string;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'cli/main.ts', ...args, '--data', directory], { cwd: process.cwd() });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { status: code, stdout, stderr };
  }
}

async function expectDone(...args: string[]): Promise<Run> {
  const result = await cli(...args);
  expect(result.status, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

/** Every month's snapshot, as the CLI copies the snapshot bucket's files out: path → bytes. */
async function snapshotsOfEveryMonth(): Promise<Map<string, Buffer>> {
  const copies = join(directory, 'snapshot-bucket');
  rmSync(copies, { recursive: true, force: true });
  const periods = samplePeriods();
  await expectDone('snapshot', '--from', periods[0] ?? '', '--to', periods.at(-1) ?? '');
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(copies, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(copies, join(entry.parentPath, entry.name)), await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}

/** A manifest without the time of the run, the one thing in a snapshot that changes from run to run. */
function manifestWithoutRunTime(bytes: Buffer): unknown {
  const { generatedAt, ...rest } = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  expect(typeof generatedAt).toBe('string');
  return rest;
}

type Item = Record<string, unknown>;

async function withStores<T>(work: (documents: DynamoDBDocumentClient, stores: Awaited<ReturnType<typeof startLocalStores>>) => Promise<T>): Promise<T> {
  const stores = await startLocalStores(directory);
  try {
    return await work(DynamoDBDocumentClient.from(stores.dynamo), stores);
  } finally {
    await stores.close();
  }
}

async function scan(documents: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => `${String(a.pk)} ${String(a.sk)}`.localeCompare(`${String(b.pk)} ${String(b.sk)}`));
}

/** A correction of science's October under another file name: the month gets a second revision. */
async function correctedOctober(): Promise<Uint8Array> {
  const index = figuresData.periods.indexOf('2026-10');
  const values = new Map(
    Object.entries(figuresData.departments.science).flatMap(([indicator, series]) => {
      const value = series[index];
      return value === null || value === undefined ? [] : [[indicator, indicator === 'sci.tech_contract_turnover' ? 1.5 : value] as const];
    }),
  );
  return fillTemplate(await buildTemplate(catalog, 'science', '2026-10'), values);
}

/** An upload whose import left no report: put straight into the bucket with no function listening. */
const UNREPORTED_KEY = uploadKey('education', 'notes.xlsx');

let samples: number;
let original: Item[];
let idempotencyRecords: number;
let snapshotsBefore: Map<string, Buffer>;
let rebuilt: Run;
let refused: Run;
let snapshotsAfter: Map<string, Buffer>;
let tableAfter: Item[];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'rebuild-'));
  samples = (await sampleWorkbooks(catalog)).length;
  await expectDone('demo');
  const corrected = join(directory, 'science-2026-10-revised.xlsx');
  writeFileSync(corrected, await correctedOctober());
  await expectDone('ingest', corrected, '--department', 'science');
  // The same file again: its key now has two reports and, the bucket keeping no versions, one object.
  await expectDone('ingest', join(directory, 'samples', 'science-2026-03.xlsx'), '--department', 'science');
  snapshotsBefore = await snapshotsOfEveryMonth();

  await withStores(async (documents, stores) => {
    await stores.s3.send(new PutObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: UNREPORTED_KEY, Body: 'meeting notes, not a workbook' }));
    original = await scan(documents, LOCAL_RESOURCES.observationsTable);
    idempotencyRecords = (await scan(documents, LOCAL_RESOURCES.idempotencyTable)).length;
    for (let start = 0; start < original.length; start += 25) {
      const batch = original.slice(start, start + 25).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
      await documents.send(new BatchWriteCommand({ RequestItems: { [LOCAL_RESOURCES.observationsTable]: batch } }));
    }
    expect(await scan(documents, LOCAL_RESOURCES.observationsTable)).toEqual([]);
  });

  rebuilt = await cli('rebuild');
  refused = await cli('rebuild');
  snapshotsAfter = await snapshotsOfEveryMonth();
  tableAfter = await withStores((documents) => scan(documents, LOCAL_RESOURCES.observationsTable));
}, 600_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The progress lines: "N of M  outcome  key  uploadedAt  [notes]". */
const progressLines = (stdout: string) => [...stdout.matchAll(/^ *(\d+) of (\d+) +(\w+) +(\S+) +(\S+)(.*)$/gm)];

describe('rebuild into the emptied table', () => {
  it('starts from a table the demo, a correction and a repeated upload filled, idempotency records kept', () => {
    expect(original.filter((item) => String(item.sk).startsWith('revision#')).map((item) => item.sk)).toEqual(['revision#2026-10#000001']);
    expect(idempotencyRecords).toBeGreaterThan(0);
  });

  it('replays every upload oldest first and exits 0', () => {
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const lines = progressLines(rebuilt.stdout);
    // The sample workbooks, the correction, the repeated sample, the upload with no report.
    const total = samples + 3;
    expect(lines.map(([, index, of]) => `${index}/${of}`)).toEqual(Array.from({ length: total }, (_, i) => `${i + 1}/${total}`));
    const times = lines.map(([, , , , , uploadedAt]) => Date.parse(uploadedAt ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(lines.at(-1)?.slice(3, 5)).toEqual(['rejected', UNREPORTED_KEY]);
    expect(lines.at(-1)?.[6]).toContain('no import report');
  });

  it('prints a summary: outcomes, items written, the upload with no report, no replay differing from its report', () => {
    expect(rebuilt.stdout).toContain(`Uploads replayed: ${samples + 3} of ${samples + 3}`);
    expect(rebuilt.stdout).toContain(`committed ${samples + 1}, duplicate 1, superseded 0, rejected 1`);
    expect(rebuilt.stdout).toContain(`Items written: ${original.length}`);
    expect(rebuilt.stdout).toMatch(new RegExp(`Uploads with no import report.*: 1\\n  ${UNREPORTED_KEY}\\n`));
    expect(rebuilt.stdout).toContain('Replays that differ from their import report: 0');
    expect(rebuilt.stdout).toContain('Import reports whose upload is no longer in the bucket (not replayed): 0');
  });

  it('gives the table back item by item: figures, uploader, upload times, revisions; every month submitted again, as it says', () => {
    // The sign-off (the heads' approvals, the lock of the published month) is in the table alone: the rebuild says so.
    const figuresOnly = (items: Item[]) => items.map(({ review: _review, version: _version, ...item }) => item);
    expect(figuresOnly(tableAfter)).toEqual(figuresOnly(original));
    expect(original.some((item) => (item.review as { state?: string } | undefined)?.state === 'approved')).toBe(true);
    const months = tableAfter.filter((item) => String(item.sk).startsWith('submission#'));
    expect(months.map((item) => (item.review as { state: string; lockedAt: unknown }).state)).toEqual(months.map(() => 'submitted'));
    expect(months.every((item) => (item.review as { lockedAt: unknown }).lockedAt === null)).toBe(true);
    expect(rebuilt.stdout).toContain("Sign-off is not in the bucket: every month is submitted again");
    expect(tableAfter.every((item) => typeof item.uploader === 'string' && item.uploader.startsWith('AWS:'))).toBe(true);
  });

  it('writes every month snapshot file byte for byte as before, the manifest but for its run time', () => {
    expect([...snapshotsAfter.keys()].sort()).toEqual([...snapshotsBefore.keys()].sort());
    expect(snapshotsBefore.size).toBeGreaterThan(samplePeriods().length * 8);
    for (const [path, before] of snapshotsBefore) {
      const after = snapshotsAfter.get(path);
      if (!after) throw new Error(`${path} was not written again`);
      if (path.endsWith(`/${MANIFEST_FILE}`)) expect(manifestWithoutRunTime(after), path).toEqual(manifestWithoutRunTime(before));
      else expect(after.equals(before), path).toBe(true);
    }
  });

  it('refuses a table that is not empty, saying what to do, and replays nothing', () => {
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already holds items');
    expect(refused.stderr).toContain('Empty the table first');
    expect(progressLines(refused.stdout)).toEqual([]);
  });
});
