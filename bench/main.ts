import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_READ_LIMITS } from '../shared/workbook/read.js';
import { largeWorkbook, normalWorkbook, zipBomb } from './workbooks.js';

/**
 * `npm run bench`: time and peak resident memory of reading workbooks, each case in a fresh process.
 * Figures, not assertions: compare them across changes on the same machine.
 */

const MB = 2 ** 20;
const LARGE_ROWS = 100_000;

interface Case {
  name: string;
  action: 'read' | 'read-unlimited' | 'annotate';
  file: string;
}

interface Measured {
  ms: number;
  baselineRssMb: number;
  peakRssMb: number;
  outcome: string;
}

async function measure({ action, file }: Case): Promise<Measured> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'case.ts'), action, file], {
    maxBuffer: MB,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
}

const directory = mkdtempSync(join(tmpdir(), 'bench-'));
try {
  const inflated = DEFAULT_READ_LIMITS.maxUncompressedBytes * 4;
  const files = {
    bomb: join(directory, 'bomb.xlsx'),
    lyingBomb: join(directory, 'bomb-understated.xlsx'),
    normal: join(directory, 'science-2026-11.xlsx'),
    large: join(directory, 'large.xlsx'),
  };
  writeFileSync(files.bomb, zipBomb(inflated, false));
  writeFileSync(files.lyingBomb, zipBomb(inflated, true));
  writeFileSync(files.normal, await normalWorkbook());
  await largeWorkbook(files.large, LARGE_ROWS);

  const inflatedMb = Math.round(inflated / MB);
  const cases: Case[] = [
    { name: `zip bomb, ${inflatedMb} MB inflated, sizes declared`, action: 'read', file: files.bomb },
    { name: `zip bomb, ${inflatedMb} MB inflated, sizes understated`, action: 'read', file: files.lyingBomb },
    { name: 'monthly template, filled in', action: 'read', file: files.normal },
    { name: 'monthly template, annotated copy', action: 'annotate', file: files.normal },
    { name: `${LARGE_ROWS.toLocaleString('en')} rows × 7 columns`, action: 'read-unlimited', file: files.large },
    { name: `${LARGE_ROWS.toLocaleString('en')} rows, default limits`, action: 'read', file: files.large },
  ];
  console.log(`read limits: ${Object.entries(DEFAULT_READ_LIMITS).map(([name, value]) => `${name} ${value.toLocaleString('en')}`).join(', ')}\n`);
  console.log(['case'.padEnd(44), 'file KB'.padStart(8), 'ms'.padStart(8), 'base MB'.padStart(8), 'peak MB'.padStart(8), '  outcome'].join(''));
  for (const item of cases) {
    const { ms, baselineRssMb, peakRssMb, outcome } = await measure(item);
    const kb = statSync(item.file).size / 1024;
    console.log(
      [item.name.padEnd(44), kb.toFixed(0).padStart(8), ms.toFixed(0).padStart(8), baselineRssMb.toFixed(0).padStart(8), peakRssMb.toFixed(0).padStart(8), `  ${outcome}`].join(''),
    );
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
