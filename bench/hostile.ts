import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractViolations, HOSTILE_CASES, localFileName, type HostileCase } from '../test/hostile/corpus.js';
import { runTsx, type Exit } from '../test/hostile/run.js';

/**
 * Hostile uploads through the real CLI entry, one process each, in turn:
 * `node --import tsx --import bench/resource-usage.ts cli/main.ts ingest FILE --department D --dry-run --json`,
 * under the default limits. Prints per case its CPU (user + system, every thread) and peak RSS (VmHWM), its exit
 * status and code, and the worst case against the budgets. Figures, not assertions; the exit status is non-zero
 * only when a case breaks the contract: an exit status other than 0 or 2, or output that is not a valid report.
 * `npx tsx bench/hostile.ts [TEXT]` runs the cases whose name contains TEXT.
 */

const BUDGET = { cpuSeconds: 10, rssMb: 512 };
/** A case still running then is killed and reported over budget, so that the bench itself ends. */
const KILL_AFTER_MS = 60_000;
const ROOT = join(import.meta.dirname, '..');

interface Run {
  hostile: HostileCase;
  bytes: number;
  status: number | null;
  killed: boolean;
  cpuSeconds: number | null;
  peakMb: number | null;
  code: string;
  violations: string[];
}

interface Usage {
  cpuMicros: number;
  maxRssKb: number;
  highWaterKb: number | null;
}

function runCli(file: string, department: string, usageFile: string): Promise<Exit> {
  const args = ['--import', join(ROOT, 'bench/resource-usage.ts'), join(ROOT, 'cli/main.ts'), 'ingest', file, '--department', department, '--dry-run', '--json'];
  return runTsx(args, { killAfterMs: KILL_AFTER_MS, env: { ...process.env, RESOURCE_USAGE_FILE: usageFile } });
}

function readUsage(file: string): Usage | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Usage;
  } catch {
    return null;
  }
}

function codeOf(stdout: string): string {
  try {
    const summary = JSON.parse(stdout) as { status?: string; errors?: { code?: string }[] };
    return summary.status === 'accepted' ? 'accepted' : [...new Set(summary.errors?.map((error) => error.code))].join(', ');
  } catch {
    return '–';
  }
}

async function measure(hostile: HostileCase, directory: string): Promise<Run> {
  const folder = mkdtempSync(join(directory, 'case-'));
  const file = join(folder, localFileName(hostile.fileName));
  const content = await hostile.bytes();
  writeFileSync(file, content);
  const usageFile = join(folder, 'usage.json');
  const { status, killed, stdout } = await runCli(file, hostile.department, usageFile);
  const usage = readUsage(usageFile);
  const violations = killed
    ? [`killed after ${KILL_AFTER_MS / 1000} s`]
    : [...(status === 0 || status === 2 ? [] : [`exit status ${status}`]), ...contractViolations(hostile, stdout)];
  rmSync(folder, { recursive: true, force: true });
  return {
    hostile,
    bytes: content.byteLength,
    status,
    killed,
    cpuSeconds: usage ? usage.cpuMicros / 1e6 : null,
    peakMb: usage ? (usage.highWaterKb ?? usage.maxRssKb) / 1024 : null,
    code: codeOf(stdout),
    violations,
  };
}

const sizeText = (bytes: number) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`);
const figure = (value: number | null, digits: number) => (value === null ? 'over budget' : value.toFixed(digits));

function row(run: Run): string {
  const status = run.killed ? 'killed' : String(run.status);
  const contract = run.violations.length === 0 ? 'held' : run.violations.join('; ').slice(0, 200);
  return `| ${run.hostile.name} | ${sizeText(run.bytes)} | ${figure(run.cpuSeconds, 2)} | ${figure(run.peakMb, 0)} | ${status} | ${run.code} | ${contract} |`;
}

/** The worst case of one figure against its budget; a killed case counts as over. */
function worst(runs: Run[], figureOf: (run: Run) => number | null, budget: number, unit: string): string {
  const ranked = runs.map((run) => ({ run, value: figureOf(run) ?? Infinity })).sort((a, b) => b.value - a.value);
  const top = ranked[0];
  if (!top) return 'no case';
  const value = Number.isFinite(top.value) ? `${top.value.toFixed(2)} ${unit}` : 'not measured (killed)';
  return `${value} / ${budget} ${unit} = ${(top.value / budget).toFixed(2)}× (${top.run.hostile.name})`;
}

const filter = process.argv[2] ?? '';
const directory = mkdtempSync(join(tmpdir(), 'hostile-bench-'));
const runs: Run[] = [];
try {
  console.log(`${HOSTILE_CASES.length} hostile uploads, default limits, one CLI process each (--dry-run --json); killed after ${KILL_AFTER_MS / 1000} s\n`);
  console.log('| case | bytes | CPU s | peak RSS MB | exit | code | contract |');
  console.log('|---|---|---|---|---|---|---|');
  for (const hostile of HOSTILE_CASES.filter((c) => c.name.includes(filter))) {
    const run = await measure(hostile, directory);
    runs.push(run);
    console.log(row(run));
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

console.log(`\nworst CPU: ${worst(runs, (run) => run.cpuSeconds, BUDGET.cpuSeconds, 's')}`);
console.log(`worst peak RSS: ${worst(runs, (run) => run.peakMb, BUDGET.rssMb, 'MB')}`);
const over = runs.filter((run) => run.cpuSeconds === null || run.peakMb === null || run.cpuSeconds > BUDGET.cpuSeconds || run.peakMb > BUDGET.rssMb);
console.log(`over budget: ${over.length === 0 ? 'none' : over.map((run) => run.hostile.name).join('; ')}`);
const broken = runs.filter((run) => run.violations.length > 0);
if (broken.length > 0) {
  console.error(`\n${broken.length} of ${runs.length} cases break the contract:\n${broken.map((run) => `  ${run.hostile.name}: ${run.violations.join('; ')}`).join('\n')}`);
  process.exitCode = 1;
}
