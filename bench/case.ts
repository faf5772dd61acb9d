import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { catalog } from '../shared/catalog/catalog.js';
import { assessWorkbook, type Assessment } from '../shared/ingest/assess.js';
import { annotateWorkbook } from '../shared/workbook/annotate.js';
import { NO_READ_LIMITS } from '../shared/workbook/limits.js';

/**
 * One benchmark case, in a process of its own: `tsx bench/case.ts <action> <file>`. Prints one JSON line: the CPU
 * time of the action (user + system, every thread: process.cpuUsage), and the process's resident memory high-water
 * mark before and after it. The mark is VmHWM from /proc/self/status, which starts afresh at exec; getrusage's
 * maxRSS would start at the parent's size, as a child inherits that counter. Every action has the same modules
 * loaded before it starts, so that the figures differ by the work alone.
 */

export type Action = 'bare' | 'ingest' | 'ingest-default-limits' | 'annotate';

export interface Measured {
  cpuMs: number;
  baseMb: number;
  peakMb: number;
  outcome: string;
}


function highWaterMb(): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!line?.[1]) throw new Error('VmHWM not found in /proc/self/status (Linux only)');
  return Number(line[1]) / 1024;
}

/** exceljs's streaming reader, shared strings and styles cached so that values and number formats are resolved. */
const READER_OPTIONS = { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' } as const;

/** exceljs's streaming reader alone, the baseline: every row of every sheet, with its values resolved. */
async function bareRead(bytes: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), READER_OPTIONS);
  let rows = 0;
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows += 1;
  }
  return rows;
}

/** What `cli ingest --dry-run` does with the file. */
function ingest(bytes: Buffer, lifted: boolean): Promise<Assessment> {
  const limits = lifted ? { limits: NO_READ_LIMITS } : {};
  return assessWorkbook({ catalog, bytes, fileName: 'science-2026-11.xlsx', department: 'science', currentPeriod: '2026-12', ...limits });
}

type Done = { rows: number } | { assessment: Assessment } | { written: number };

async function run(action: Action, bytes: Buffer): Promise<Done> {
  switch (action) {
    case 'bare':
      return { rows: await bareRead(bytes) };
    case 'ingest':
      return { assessment: await ingest(bytes, true) };
    case 'ingest-default-limits':
      return { assessment: await ingest(bytes, false) };
    case 'annotate':
      return { written: (await annotateWorkbook(bytes, [])).byteLength };
  }
}

/** Worded once the time is taken: formatting numbers loads locale data, which is no part of the case. */
function outcomeOf(done: Done): string {
  if ('rows' in done) return `${done.rows.toLocaleString('en')} rows read`;
  if ('written' in done) return `${done.written.toLocaleString('en')} bytes written`;
  const { status, figures, errors } = done.assessment;
  const [first] = errors;
  return `${status}: ${figures.length} figures, ${errors.length.toLocaleString('en')} errors${first ? ` (${first.code})` : ''}`;
}

const [action, file = ''] = process.argv.slice(2) as [Action, string];
const bytes = readFileSync(file);
const baseMb = highWaterMb();
const start = process.cpuUsage();
const done = await run(action, bytes);
const { user, system } = process.cpuUsage(start);
const measured: Measured = { cpuMs: (user + system) / 1000, baseMb, peakMb: highWaterMb(), outcome: outcomeOf(done) };
console.log(JSON.stringify(measured));
