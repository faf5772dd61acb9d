import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWorkbooks } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { uploadKey } from '../../shared/s3-keys.js';

/** `npm start` as a clerk's first try runs it: a process of its own, twice in a row in the same data folder. */
const run = promisify(execFile);
let directory: string;

interface Run {
  status: number;
  stdout: string;
}

async function cli(...args: string[]): Promise<Run> {
  try {
    const { stdout } = await run('npx', ['tsx', 'cli/main.ts', ...args, '--data', directory], { cwd: process.cwd() });
    return { status: 0, stdout };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { status: code, stdout };
  }
}

/** The demo prints a line per upload: status, key, outcome, → report key. */
function uploadsPrinted(stdout: string): { status: string; key: string; outcome: string }[] {
  return [...stdout.matchAll(/^(accepted|rejected) +(\S+) +(\w*) +→/gm)].map(([, status = '', key = '', outcome = '']) => ({ status, key, outcome }));
}

let first: Run;
let second: Run;
let sampleKeys: string[];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'demo-'));
  sampleKeys = (await sampleWorkbooks(catalog)).map((sample) => uploadKey(sample.department, sample.fileName));
  first = await cli('demo');
  second = await cli('demo');
}, 180_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('npm start, twice in the same folder', () => {
  it('first imports every sample workbook and exits 0', () => {
    expect(first.status).toBe(0);
    expect(uploadsPrinted(first.stdout)).toEqual(sampleKeys.map((key) => ({ status: 'accepted', key, outcome: 'committed' })));
  });

  it('then finds every upload a duplicate, rejects none and exits 0', () => {
    expect(second.status).toBe(0);
    expect(uploadsPrinted(second.stdout)).toEqual(sampleKeys.map((key) => ({ status: 'accepted', key, outcome: 'duplicate' })));
  });

  it('still rejects a genuinely empty upload as file.empty, in the same stores', async () => {
    const empty = join(directory, 'education-2026-03.xlsx');
    writeFileSync(empty, new Uint8Array());
    const { status, stdout } = await cli('ingest', empty, '--department', 'education', '--json');
    expect(status).toBe(2);
    const report = JSON.parse(stdout) as ImportReport;
    expect(report).toMatchObject({ status: 'rejected', outcome: null, source: { key: uploadKey('education', 'education-2026-03.xlsx') } });
    expect(report.errors.map((error) => error.code)).toEqual(['file.empty']);
  });
});
