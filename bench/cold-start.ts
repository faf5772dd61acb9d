import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { bundleFilesOf } from '../infra/bundle-files.js';
import { DepartmentMetricsStack } from '../infra/pipeline-stack.js';
import type { PipelineFunction } from '../infra/secure-defaults.js';
import { stackConfigOf } from '../infra/stack-config.js';
import { catalog } from '../shared/catalog/catalog.js';

/**
 * `npx tsx bench/cold-start.ts`: module init of each Lambda bundle against a bare
 * `import('@aws-sdk/client-s3')` from node_modules. The bundles are the ones the stack builds: the stack
 * is synthesized into a temporary folder with the options of its NodejsFunctions. Each bundle is imported
 * with the variables the stack gives its function, in a fresh process per run; figures are medians of
 * RUNS runs taken in turn, so that a busy machine slows every case alike.
 */

const RUNS = 15;
const GOAL = 1.3;
const PROJECT_ROOT = join(import.meta.dirname, '..');

/**
 * A first event that loads what the function defers to it and touches no AWS service: an SQS message
 * carrying S3's test event, which names no object. Only ingest has one; the others' first event does the work.
 */
const FIRST_EVENTS: Partial<Record<keyof DepartmentMetricsStack['functions'], unknown>> = {
  ingest: { Records: [{ messageId: 'cold-start', eventSource: 'aws:sqs', body: JSON.stringify({ Event: 's3:TestEvent' }) }] },
};

interface Sample {
  /** Wall time of the import. */
  ms: number;
  cpuMs: number;
  /** VmHWM: the peak resident set of this process alone (getrusage's maxRSS would start at the parent's). */
  peakMb: number;
  firstEventMs: number | null;
  firstEventPeakMb: number | null;
}

/** Runs in each child: the import of the module and of everything it imports at load, then the optional first event. */
const PROBE = `
const { readFileSync } = await import('node:fs');
const peakMb = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? process.resourceUsage().maxRSS) / 1024;
const cpu = process.cpuUsage();
const started = performance.now();
const module = await import(process.argv[1]);
const ms = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
const loaded = { ms, cpuMs: (user + system) / 1000, peakMb: peakMb(), firstEventMs: null, firstEventPeakMb: null };
if (process.argv[2]) {
  const context = { functionName: 'cold-start', awsRequestId: 'cold-start', memoryLimitInMB: '1024', getRemainingTimeInMillis: () => 60000 };
  const first = performance.now();
  await module.handler(JSON.parse(process.argv[2]), context);
  Object.assign(loaded, { firstEventMs: performance.now() - first, firstEventPeakMb: peakMb() });
}
console.log(JSON.stringify(loaded));
`;

async function sample(module: string, env: Record<string, string>, firstEvent?: unknown): Promise<Sample> {
  const args = ['--input-type=module', '-e', PROBE, module, ...(firstEvent === undefined ? [] : [JSON.stringify(firstEvent)])];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: PROJECT_ROOT,
    maxBuffer: 2 ** 20,
    // Only what the function itself would see, plus what node needs to run.
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'ap-southeast-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Sample;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Target {
  name: keyof DepartmentMetricsStack['functions'];
  module: string;
  /** All the bundle's code, source maps aside. */
  bytes: number;
  /** What the import reads: the entry and the chunks it imports statically; chunks reached by import() wait for their first use. */
  initBytes: number;
  env: Record<string, string>;
}

/** Stand-ins for references whose value is checked for its form at cold start (aws-jwt-verify reads the pool's region from its id). */
const FORMATTED_STAND_INS: Partial<Record<string, string>> = { USER_POOL_ID: 'ap-southeast-1_ColdStart' };

/** The function's bundle as the stack staged it, and its environment with every reference replaced by a stand-in name. */
function targetOf(name: Target['name'], fn: PipelineFunction): Target {
  const files = bundleFilesOf(fn);
  const cfn = fn.function.node.defaultChild as CfnFunction;
  const variables = (Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> }).variables ?? {};
  const env = Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : (FORMATTED_STAND_INS[key] ?? `${key.toLowerCase()}-stand-in`)]));
  const size = (paths: string[]) => paths.reduce((total, file) => total + statSync(file).size, 0);
  return { name, module: files.entry, bytes: size(files.all), initBytes: size(files.loadedAtInit), env };
}

const outdir = mkdtempSync(join(tmpdir(), 'cold-start-'));
try {
  // The feature flags `cdk synth` applies; the functions are bundled as the stack is built.
  const { context } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ outdir, context });
  const stack = new DepartmentMetricsStack(app, 'ColdStart', { config: stackConfigOf(() => undefined, catalog.departments.map((d) => d.id)) });
  const targets = Object.entries(stack.functions).map(([name, fn]) => targetOf(name as Target['name'], fn));

  const runs = new Map<string, Sample[]>();
  const record = (key: string, value: Sample) => runs.set(key, [...(runs.get(key) ?? []), value]);
  for (let run = 0; run < RUNS; run += 1) {
    record('baseline', await sample('@aws-sdk/client-s3', {}));
    for (const target of targets) {
      record(target.name, await sample(target.module, target.env, FIRST_EVENTS[target.name]));
      // What the stack leaves out: Node parsing each bundle's source map as it loads.
      record(`${target.name} with source maps`, await sample(target.module, { ...target.env, NODE_OPTIONS: '--enable-source-maps' }, FIRST_EVENTS[target.name]));
    }
  }
  const figures = (key: string) => {
    const samples = runs.get(key) ?? [];
    const of = (pick: (s: Sample) => number | null) => median(samples.map((s) => pick(s) ?? Number.NaN));
    return { ms: of((s) => s.ms), cpuMs: of((s) => s.cpuMs), peakMb: of((s) => s.peakMb), firstEventMs: of((s) => s.firstEventMs), firstEventPeakMb: of((s) => s.firstEventPeakMb) };
  };

  const baseline = figures('baseline');
  const fixed = (value: number, digits = 0) => (Number.isNaN(value) ? '–' : value.toFixed(digits));
  console.log(`module init, median of ${RUNS} fresh processes; goal: each bundle ≤ ${GOAL}× a bare import('@aws-sdk/client-s3')`);
  const columns: [string, number][] = [['', 36], ['bundle KB', 10], ['read KB', 9], ['init ms', 9], ['CPU ms', 8], ['ratio', 8], ['goal', 10], ['peak MiB', 10], ['1st event ms', 14], ['peak MiB', 10]];
  const row = (cells: string[]) => console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(columns[i]?.[1] ?? 0) : cell.padStart(columns[i]?.[1] ?? 0))).join(''));
  row(columns.map(([title]) => title));
  row(["bare import('@aws-sdk/client-s3')", '', '', fixed(baseline.ms), fixed(baseline.cpuMs), '1.00×', '', fixed(baseline.peakMb), '', '']);
  for (const target of targets) {
    for (const [label, key] of [[target.name, target.name], [`${target.name}, --enable-source-maps`, `${target.name} with source maps`]] as const) {
      const measured = figures(key);
      const ratio = measured.ms / baseline.ms;
      const deployed = key === target.name;
      row([
        label,
        deployed ? (target.bytes / 1024).toFixed(0) : '',
        deployed ? (target.initBytes / 1024).toFixed(0) : '',
        fixed(measured.ms),
        fixed(measured.cpuMs),
        `${ratio.toFixed(2)}×`,
        deployed ? (ratio <= GOAL ? 'met' : 'NOT met') : '',
        fixed(measured.peakMb),
        fixed(measured.firstEventMs),
        fixed(measured.firstEventPeakMb),
      ]);
    }
  }
  console.log(`\nNODE_OPTIONS as deployed: ${targets.map((t) => `${t.name} ${t.env.NODE_OPTIONS ?? '(none)'}`).join(', ')}; 1st event: ingest gets an SQS message carrying s3:TestEvent`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
