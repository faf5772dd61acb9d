import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_READ_LIMITS } from '../shared/workbook/limits.js';
import type { Action, Measured } from './case.js';
import { largeWorkbook, normalWorkbook, zipBomb } from './workbooks.js';

/**
 * `tsx bench/workbook.ts`, the reading section of `npm run bench`. exceljs's bare streaming read against the full
 * dry-run ingest (assessWorkbook, limits lifted: read, recognise, normalise, validate) of the same file, from the
 * monthly template to 1,000,000 rows; each run in a process of its own (bench/case.ts), the two taken in turn so
 * that a busy machine slows both alike, medians printed with their ratios beside the goals. Then the hostile files,
 * the default limits and the annotated copy. Figures, not assertions: compare ratios measured in one run.
 */

const MB = 2 ** 20;

interface Size {
  name: string;
  /** Rows of the large workbook; the filled-in template when absent. */
  rows?: number;
  runs: number;
  /** Most the ingest may take, as a multiple of the bare read's CPU time. */
  cpuGoal?: number;
  /** Most the ingest's peak RSS may be, as a multiple of the bare read's. */
  rssGoal?: number;
  /** Most the ingest's peak RSS may be, in MiB. */
  peakGoalMb?: number;
}

const SIZES: Size[] = [
  { name: 'monthly template, filled in', runs: 21 },
  { name: '10,000 rows × 7', rows: 10_000, runs: 21, cpuGoal: 1.3 },
  { name: '100,000 rows × 7', rows: 100_000, runs: 7, cpuGoal: 1.5, rssGoal: 1.2 },
  { name: '1,000,000 rows × 7', rows: 1_000_000, runs: 3, peakGoalMb: 300 },
];

async function measure(action: Action, file: string): Promise<Measured> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'case.ts'), action, file], {
    maxBuffer: MB,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

interface Summary {
  cpuMs: number;
  baseMb: number;
  peakMb: number;
  outcome: string;
}

function summary(runs: readonly Measured[]): Summary {
  return {
    cpuMs: median(runs.map((run) => run.cpuMs)),
    baseMb: median(runs.map((run) => run.baseMb)),
    peakMb: median(runs.map((run) => run.peakMb)),
    outcome: runs[0]?.outcome ?? '',
  };
}

/** Bare and ingest in turn, `runs` times each, so that a machine that slows down slows both alike. */
async function pair(file: string, runs: number): Promise<{ bare: Summary; ingest: Summary }> {
  const bare: Measured[] = [];
  const ingest: Measured[] = [];
  for (let run = 0; run < runs; run += 1) {
    bare.push(await measure('bare', file));
    ingest.push(await measure('ingest', file));
  }
  return { bare: summary(bare), ingest: summary(ingest) };
}

const sizeText = (file: string) => {
  const bytes = statSync(file).size;
  return bytes < MB ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / MB).toFixed(1)} MB`;
};
const mb = (value: number) => value.toFixed(0);
const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');

function goalText(value: number, goal: number | undefined, unit = '×'): string {
  return goal === undefined ? '' : `≤ ${goal}${unit} ${verdict(value <= goal)}`;
}

const row = (cells: readonly [string, number][]) => cells.map(([text, width]) => (width < 0 ? text.padEnd(-width) : text.padStart(width))).join('  ');

const directory = mkdtempSync(join(tmpdir(), 'bench-workbook-'));
try {
  const template = join(directory, 'science-2026-11.xlsx');
  writeFileSync(template, await normalWorkbook());
  const written = new Map<number, string>();
  const fileOf = async (rows: number | undefined) => {
    if (rows === undefined) return template;
    const file = written.get(rows) ?? join(directory, `rows-${rows}.xlsx`);
    if (!written.has(rows)) await largeWorkbook(file, rows);
    written.set(rows, file);
    return file;
  };

  console.log('## Reading a workbook: exceljs streaming read alone vs the full dry-run ingest, limits lifted\n');
  console.log('bare and ingest taken in turn, each run in a process of its own; medians of the runs and their ratios');
  console.log('CPU = user + system of every thread (process.cpuUsage); RSS = peak resident set (VmHWM), base = before the case\n');
  const widths = [-28, 8, 5, 9, 9, 6, 10, 17, 17, 6, 16] as const;
  const head = ['file', 'size', 'runs', 'bare ms', 'ingest ms', 'CPU ×', 'CPU goal', 'bare MB (base)', 'ingest MB (base)', 'RSS ×', 'RSS goal'];
  console.log(row(head.map((text, i) => [text, widths[i] ?? 0])));
  const outcomes: string[] = [];
  for (const size of SIZES) {
    const file = await fileOf(size.rows);
    const { bare, ingest } = await pair(file, size.runs);
    const cpu = ingest.cpuMs / bare.cpuMs;
    const rss = ingest.peakMb / bare.peakMb;
    const rssGoal = size.peakGoalMb === undefined ? goalText(rss, size.rssGoal) : goalText(ingest.peakMb, size.peakGoalMb, ' MB');
    const cells = [
      size.name,
      sizeText(file),
      String(size.runs),
      bare.cpuMs.toFixed(0),
      ingest.cpuMs.toFixed(0),
      cpu.toFixed(2),
      goalText(cpu, size.cpuGoal),
      `${mb(bare.peakMb)} (${mb(bare.baseMb)})`,
      `${mb(ingest.peakMb)} (${mb(ingest.baseMb)})`,
      rss.toFixed(2),
      rssGoal,
    ];
    console.log(row(cells.map((text, i) => [text, widths[i] ?? 0])));
    outcomes.push(`  ${size.name}: bare ${bare.outcome}; ingest ${ingest.outcome}`);
  }
  console.log(`\n${outcomes.join('\n')}\n`);

  const inflated = DEFAULT_READ_LIMITS.maxUncompressedBytes * 4;
  const bomb = join(directory, 'bomb.xlsx');
  const lyingBomb = join(directory, 'bomb-understated.xlsx');
  writeFileSync(bomb, zipBomb(inflated, false));
  writeFileSync(lyingBomb, zipBomb(inflated, true));
  const large = await fileOf(100_000);
  const cases: { name: string; action: Action; file: string }[] = [
    { name: `zip bomb, ${inflated / MB} MB inflated, sizes declared`, action: 'ingest-default-limits', file: bomb },
    { name: `zip bomb, ${inflated / MB} MB inflated, sizes understated`, action: 'ingest-default-limits', file: lyingBomb },
    { name: '100,000 rows × 7, default limits', action: 'ingest-default-limits', file: large },
    { name: 'monthly template, its annotated copy', action: 'annotate', file: template },
  ];
  console.log('## Hostile files, default limits and the annotated copy: one run each\n');
  const caseWidths = [-44, 8, 8, 16, -1] as const;
  console.log(row(['case', 'size', 'CPU ms', 'base → peak MB', 'outcome'].map((text, i) => [text, caseWidths[i] ?? 0])));
  for (const item of cases) {
    const { cpuMs, baseMb, peakMb, outcome } = await measure(item.action, item.file);
    const cells = [item.name, sizeText(item.file), cpuMs.toFixed(0), `${mb(baseMb)} → ${mb(peakMb)}`, outcome];
    console.log(row(cells.map((text, i) => [text, caseWidths[i] ?? 0])));
  }
  console.log(`\nread limits by default: ${Object.entries(DEFAULT_READ_LIMITS).map(([name, value]) => `${name} ${value.toLocaleString('en')}`).join(', ')}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
