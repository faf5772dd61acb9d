import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { catalog } from '../shared/catalog/catalog.js';
import { assessWorkbook } from '../shared/ingest/assess.js';
import { annotateWorkbook } from '../shared/workbook/annotate.js';
import { READER_OPTIONS } from '../shared/workbook/read.js';

/**
 * One benchmark case, in a process of its own: `tsx bench/case.ts <action> <file>`. Prints one JSON line:
 * the CPU time of the action (user + system, every thread), and the process's resident memory high-water mark
 * before and after it. The mark is read from /proc/self/status (VmHWM), which starts afresh at exec; getrusage's
 * maxRSS would start at the parent's size, as the child inherits its counter.
 */

export type Action = 'bare' | 'ingest' | 'ingest-default-limits' | 'annotate';

export interface Measured {
  cpuMs: number;
  baseMb: number;
  peakMb: number;
  outcome: string;
}

const NO_LIMITS = { maxUncompressedBytes: Infinity, maxCells: Infinity, maxRows: Infinity, maxColumns: Infinity };

function highWaterMb(): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!line?.[1]) throw new Error('VmHWM not found in /proc/self/status (Linux only)');
  return Number(line[1]) / 1024;
}

/** What the bare streaming reader costs: every row of every sheet, with the reader options the ingest uses. */
async function bareRead(bytes: Buffer): Promise<string> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), READER_OPTIONS);
  let rows = 0;
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows += 1;
  }
  return `${rows.toLocaleString('en')} rows read`;
}

async function ingest(bytes: Buffer, lifted: boolean): Promise<string> {
  const assessment = await assessWorkbook({
    catalog,
    bytes,
    fileName: 'science-2026-11.xlsx',
    department: 'science',
    currentPeriod: '2026-12',
    ...(lifted ? { limits: NO_LIMITS } : {}),
  });
  const [first] = assessment.errors;
  const errors = `${assessment.errors.length.toLocaleString('en')} errors${first ? ` (${first.code})` : ''}`;
  return `${assessment.status}: ${assessment.figures.length} figures, ${errors}`;
}

async function run(action: Action, bytes: Buffer): Promise<string> {
  switch (action) {
    case 'bare':
      return bareRead(bytes);
    case 'ingest':
      return ingest(bytes, true);
    case 'ingest-default-limits':
      return ingest(bytes, false);
    case 'annotate':
      return `${(await annotateWorkbook(bytes, [])).byteLength.toLocaleString('en')} bytes written`;
  }
}

const [action, file = ''] = process.argv.slice(2) as [Action, string];
const bytes = readFileSync(file);
const baseMb = highWaterMb();
const start = process.cpuUsage();
const outcome = await run(action, bytes);
const { user, system } = process.cpuUsage(start);
const measured: Measured = { cpuMs: (user + system) / 1000, baseMb, peakMb: highWaterMb(), outcome };
console.log(JSON.stringify(measured));
