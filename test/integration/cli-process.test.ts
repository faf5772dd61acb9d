import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The CLI as a process of its own, its output read through pipes the way a script or `| jq` reads it. */
let directory: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI; its stdout and stderr are pipes nobody reads until `readAfterMs` has passed, so they fill up first. */
function cli(args: string[], { readAfterMs = 0, env = {} }: { readAfterMs?: number; env?: Record<string, string> } = {}): Promise<Run> {
  const child = spawnCli(args, env);
  child.stdout.pause();
  child.stderr.pause();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return (async () => {
    await sleep(readAfterMs);
    child.stdout.resume();
    child.stderr.resume();
    const status = await closed;
    return { status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
  })();
}

const ROWS = 150;
/** Each kind of mistake is listed up to 100 times, then counted: three kinds make a report of three times that. */
const MISTAKES = [
  { code: 'indicator.unknown', row: (i: number) => `未知指标第${i}项${'名'.repeat(200)},人,1,2026-11` },
  { code: 'value.not_a_number', row: (i: number) => `巴渝工匠,人,不是数字${i}${'字'.repeat(200)},2026-11` },
  { code: 'unit.unknown', row: (i: number) => `科技特派员,斤${i}${'单'.repeat(200)},1,2026-11` },
] as const;
/** Listed one by one per kind, and the one problem that counts the rest. */
const LISTED = 101;
/** Two pipe buffers: a cut at the first would show. */
const LARGE = 2 * 65_536;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cli-process-'));
  const rows = ['指标,单位,数值,填报月份', ...MISTAKES.flatMap(({ row }) => Array.from({ length: ROWS }, (_, i) => row(i)))];
  writeFileSync(join(directory, 'science-2026-11.csv'), rows.join('\n'));
  // A file where the local stores expect a folder: starting them fails in a way no check foresees.
  writeFileSync(join(directory, 'not-a-folder'), '');
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the CLI writing into a pipe', () => {
  it('prints the whole --json result of a large report to a pipe read late, then exits 2', async () => {
    const { status, stdout } = await cli(['ingest', join(directory, 'science-2026-11.csv'), '--department', 'science', '--dry-run', '--json'], {
      readAfterMs: 1_500,
    });

    expect(Buffer.byteLength(stdout)).toBeGreaterThan(LARGE);
    const result = JSON.parse(stdout) as { status: string; errors: { code: string; cell?: string; message: string }[] };
    expect(status).toBe(2);
    expect(result.status).toBe('rejected');
    // The first 100 problems of each code one by one, then one that counts the rest.
    expect(MISTAKES.map(({ code }) => result.errors.filter((e) => e.code === code).length)).toEqual(MISTAKES.map(() => LISTED));
    expect(result.errors.filter((e) => e.code === 'unit.unknown' && e.cell).at(-1)?.cell).toBe(`B${1 + 2 * ROWS + 100}`);
  });

  it('prints the whole human-readable report to a pipe read late', async () => {
    const { status, stdout } = await cli(['ingest', join(directory, 'science-2026-11.csv'), '--department', 'science', '--dry-run'], {
      readAfterMs: 1_500,
    });

    expect(status).toBe(2);
    expect(Buffer.byteLength(stdout)).toBeGreaterThan(LARGE);
    const [heading = '', ...lines] = stdout.trimEnd().split('\n');
    const warnings = Number(/(\d+) warnings/.exec(heading)?.[1]);
    const errors = MISTAKES.length * LISTED;
    expect(heading).toContain(`${errors} errors`);
    expect(lines.filter((line) => line.startsWith('  error  '))).toHaveLength(errors);
    expect(lines.filter((line) => line.startsWith('  warning  '))).toHaveLength(warnings);
    expect(lines).toHaveLength(errors + warnings);
    expect(lines.at(-1 - warnings)).toContain('unit.unknown');
  });
});

describe('the CLI writing into a pipe closed early', () => {
  it('stops writing without an error when the reader has had enough, as `| head` does, and exits 2', async () => {
    const child = spawnCli(['ingest', join(directory, 'science-2026-11.csv'), '--department', 'science', '--dry-run']);
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(first).toMatch(/^REJECTED/);
    expect(Buffer.concat(stderr).toString('utf8')).toBe('');
    expect(status).toBe(2);
  });
});

describe('the CLI meeting an error nothing foresaw', () => {
  /** The snapshot command given a file where the local stores expect their folder. */
  const snapshotOnAFile = () => ['snapshot', '--period', '2026-11', '--data', join(directory, 'not-a-folder')];

  it('prints one line naming what went wrong, without a stack trace, and exits 1', async () => {
    const { status, stdout, stderr } = await cli(snapshotOnAFile());

    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ENOTDIR');
    expect(lines[0]).toContain('DEBUG=1');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('prints the stack trace as well with DEBUG=1', async () => {
    const { status, stderr } = await cli(snapshotOnAFile(), { env: { DEBUG: '1' } });

    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toContain('ENOTDIR');
    expect(stderr).toMatch(/^\s+at .*stores\.ts/m);
  });
});

describe('the CLI refusing how it was called', () => {
  it('names a file it cannot read, the terminal controls of its name escaped, and exits 1', async () => {
    const { status, stderr } = await cli(['ingest', join(directory, 'missing\u001b[2J\u202e.xlsx'), '--department', 'science', '--dry-run']);

    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toBe(`cannot read ${join(directory, 'missing\\x1b[2J\\u202e.xlsx')}`);
  });
});
