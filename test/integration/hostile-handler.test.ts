import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadKey } from '../../shared/s3-keys.js';
import { contractViolations, HOSTILE_CASES, reportKeyViolations } from '../hostile/corpus.js';
import { INGESTED, runTsx, type IngestJob, type IngestResult } from '../hostile/run.js';

/**
 * Every hostile upload through the real ingest function on the embedded stores: put into s3rver, its event
 * delivered through the local ingest queue to the handler. None may be dead-lettered; each gets a valid import
 * report, written where the key layout says; a refused file leaves the observations table as it was. The local
 * pipeline runs in a process of its own (test/hostile/ingest-in-pipeline.ts), the uploads in turn: a case that
 * blocks the event loop could not be stopped in this one. One still running after a minute is failed, and the
 * uploads after it go to a fresh pipeline.
 */
let directory: string;

const KILL_AFTER_MS = 60_000;
const PIPELINE = join(import.meta.dirname, '../hostile/ingest-in-pipeline.ts');

/** The uploads in turn, each to its own promise; a job the pipeline died on is answered with why. */
function ingestAll(jobs: readonly IngestJob[]): Promise<IngestResult>[] {
  const resolvers: ((result: IngestResult) => void)[] = [];
  const answers = jobs.map(() => new Promise<IngestResult>((resolve) => resolvers.push(resolve)));
  const answer = (index: number, result: IngestResult) => resolvers[index]?.(result);
  void (async () => {
    for (let first = 0; first < jobs.length; ) {
      const folder = mkdtempSync(join(directory, 'pipeline-'));
      const batch = join(folder, 'jobs.json');
      writeFileSync(batch, JSON.stringify(jobs.slice(first)));
      let done = first;
      const onLine = (line: string) => {
        const [word, index] = line.split(' ');
        if (word !== INGESTED) return;
        const job = first + Number(index);
        answer(job, JSON.parse(readFileSync(jobs[job]?.result ?? '', 'utf8')) as IngestResult);
        done = job + 1;
      };
      const exit = await runTsx([PIPELINE, join(folder, 'data'), batch], { killAfterMs: KILL_AFTER_MS, quietFor: true, onLine });
      if (done < jobs.length) answer(done, { failed: exit.killed ? `still running after ${KILL_AFTER_MS / 1000} s` : `the pipeline exited ${exit.status}: ${exit.stderr.slice(-300)}` });
      first = done + 1;
    }
  })();
  return answers;
}

/** What a refused upload must not have done: change the table, or leave any item naming this object version. */
function commitViolations({ report, before, after }: { report: string; before: string[]; after: string[] }): string[] {
  const { status, source } = JSON.parse(report) as { status: string; source: { sequencer: string } };
  if (status !== 'rejected') return [];
  return [
    ...(after.join('\n') === before.join('\n') ? [] : ['the observations table changed for a refused file']),
    ...after.filter((item) => item.includes(source.sequencer)).map((item) => `a refused file left ${item.slice(0, 120)}`),
  ];
}

/**
 * The local stand-in's disk holds no key with `.` or `..` segments and no name past 233 bytes (cli/local/stores.ts
 * refuses them before they reach it); those keys go through the handler in test/unit/handlers.test.ts, against an S3
 * that takes them as S3 does.
 */
const STORABLE_CASES = HOSTILE_CASES.filter((hostile) => !hostile.nameBeyondLocalDisk);

let caseResults: Promise<IngestResult>[];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'hostile-handler-'));
  const job = async (label: string, key: string, bytes: Uint8Array): Promise<IngestJob> => {
    const file = join(directory, label);
    writeFileSync(file, bytes);
    return { key, file, result: `${file}.result.json` };
  };
  caseResults = ingestAll(await Promise.all(STORABLE_CASES.map(async (hostile, index) => job(`case${index}`, uploadKey(hostile.department, hostile.fileName), await hostile.bytes()))));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Every upload may wait for all before it, each up to the time a pipeline is given. */
const TIMEOUT = STORABLE_CASES.length * KILL_AFTER_MS;

async function resultOf(results: Promise<IngestResult>[], index: number) {
  const result = await results[index];
  if (!result || 'failed' in result) throw new Error(result?.failed ?? 'no such upload');
  return result;
}

describe('hostile uploads through the ingest function', () => {
  it.each(STORABLE_CASES.map((hostile, index) => ({ name: hostile.name, hostile, index })))(
    '$name: a valid report at a valid key, not dead-lettered, nothing committed when refused',
    async ({ hostile, index }) => {
      const result = await resultOf(caseResults, index);
      expect([...contractViolations(hostile, result.report), ...reportKeyViolations(result.reportKey), ...commitViolations(result)]).toEqual([]);
    },
    TIMEOUT,
  );

});
