import { spawn } from 'node:child_process';

/** Hostile cases run in processes of their own: a case that blocks its event loop can only be stopped from outside. */

export interface Exit {
  /** null when the process was killed. */
  status: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/**
 * `node --import tsx ...args`, stdout and stderr read through pipes whole, killed once `killAfterMs` has passed:
 * since it started, or with `quietFor`, since it last wrote to stdout (each line passed to `onLine`).
 */
export function runTsx(
  args: readonly string[],
  options: { killAfterMs: number; env?: NodeJS.ProcessEnv; quietFor?: boolean; onLine?: (line: string) => void },
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let killed = false;
    const kill = () => {
      killed = true;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(kill, options.killAfterMs);
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (options.quietFor) timer.refresh();
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, killed, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs the tasks given to it at most `atOnce` at a time, in the order given. */
export function atMost(atOnce: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    while (running >= atOnce) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** An upload for test/hostile/ingest-in-pipeline.ts: put `file` under `key`, write what came of it to `result`. */
export interface IngestJob {
  key: string;
  file: string;
  result: string;
}

/** What came of an upload: its report and the observations table around it, or why there is no report. */
export type IngestResult = { reportKey: string; report: string; before: string[]; after: string[] } | { failed: string };

/** The word that starts the line saying a job is done (the function's own log lines go to stdout too). */
export const INGESTED = 'ingested';
