import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores } from '../../cli/local/stores.js';
import { contractViolations, ESCAPE_CASES, HOSTILE_CASES, localFileName, RAW_CONTROL, type HostileCase } from '../hostile/corpus.js';
import { atMost, runTsx, type Exit } from '../hostile/run.js';

/**
 * Every hostile upload through the CLI contract, as outside tools call it: `cli ingest FILE --department D --json`
 * in a process of its own, without --dry-run, so that the local pipeline writes the import report. Its stdout is
 * read through a pipe and parsed whole; the exit status is 0 or 2; the report stored in the local upload bucket is
 * valid too, and a refused file leaves the observations table empty. A name the local disk cannot hold may instead
 * exit 1 with one line naming it. Two processes at a time, each with a data folder of its own.
 */
let directory: string;

/** A process still running then is killed: the case fails rather than holding the run. */
const KILL_AFTER_MS = 60_000;
const inTurn = atMost(2);
const CLI = join(import.meta.dirname, '../../cli/main.ts');

const cli = (...args: string[]) => inTurn(() => runTsx([CLI, ...args], { killAfterMs: KILL_AFTER_MS }));

/** The case's file on disk, in a folder of its own, and a data folder for its local stores. */
async function prepare(hostile: HostileCase, label: string): Promise<{ file: string; data: string }> {
  const folder = mkdtempSync(join(directory, `${label}-`));
  const file = join(folder, localFileName(hostile.fileName));
  writeFileSync(file, await hostile.bytes());
  const data = join(folder, 'data');
  mkdirSync(data);
  return { file, data };
}

/** The import report the run stored, and the observations table's items, read from its data folder. */
async function stored(data: string, reportKey: string): Promise<{ report: string; items: number }> {
  const stores = await startLocalStores(data);
  try {
    const { Body } = await stores.s3.send(new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: reportKey }));
    const { Items = [] } = await stores.dynamo.send(new ScanCommand({ TableName: LOCAL_RESOURCES.observationsTable }));
    return { report: (await Body?.transformToString('utf8')) ?? '', items: Items.length };
  } finally {
    await stores.close();
  }
}

/** What breaks the contract in one run, the stored report and the table included. */
async function runViolations(hostile: HostileCase, file: string, data: string, exit: Exit): Promise<string[]> {
  if (hostile.nameBeyondLocalDisk && exit.status === 1) {
    const line = exit.stderr.trim();
    const named = line.includes(basename(file)) ? [] : ['exit 1 without naming the file'];
    return [...named, ...(line.includes('\n') ? [`exit 1 with ${line.split('\n').length} lines on stderr, not one`] : [])];
  }
  if (exit.killed) return [`still running after ${KILL_AFTER_MS / 1000} s`];
  if (exit.status !== 0 && exit.status !== 2) return [`exit status ${exit.status}: ${exit.stderr.slice(0, 300)}`];
  const printed = contractViolations(hostile, exit.stdout);
  if (printed.length > 0) return printed.map((violation) => `stdout: ${violation}`);
  const { reportKey, status } = JSON.parse(exit.stdout) as { reportKey: string; status: string };
  const { report, items } = await stored(data, reportKey);
  return [
    ...contractViolations(hostile, report).map((violation) => `stored report: ${violation}`),
    ...(status === 'rejected' && items > 0 ? [`a refused file left ${items} items in the table`] : []),
  ];
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'hostile-cli-'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe.concurrent('hostile uploads through npm run cli -- ingest --json', () => {
  it.each(HOSTILE_CASES.map((hostile, index): [string, HostileCase, number] => [hostile.name, hostile, index]))(
    '%s: exit 0 or 2, the whole report on stdout and stored',
    async (_name, hostile, index) => {
      const { file, data } = await prepare(hostile, `case${index}`);
      const exit = await cli('ingest', file, '--department', hostile.department, '--json', '--data', data);
      expect(await runViolations(hostile, file, data, exit)).toEqual([]);
      if (hostile.attacks === 'large output') expect(exit.stdout.length).toBeGreaterThan(64 * 1024);
    },
    // Waiting for a free slot counts against a test's time too.
    HOSTILE_CASES.length * KILL_AFTER_MS,
  );

  it.each(ESCAPE_CASES.map((hostile, index): [string, HostileCase, number] => [hostile.name, hostile, index]))(
    '%s: the human-readable output carries no raw control or bidirectional character',
    async (_name, hostile, index) => {
      const { file, data } = await prepare(hostile, `text${index}`);
      const exit = await cli('ingest', file, '--department', hostile.department, '--data', data);
      expect(exit.status === 0 || exit.status === 2).toBe(true);
      const raw = [...`${exit.stdout}${exit.stderr}`].filter((character) => RAW_CONTROL.test(character));
      expect(raw.map((character) => `U+${character.codePointAt(0)?.toString(16).padStart(4, '0')}`)).toEqual([]);
    },
    HOSTILE_CASES.length * KILL_AFTER_MS,
  );
});
