import { readFile } from 'node:fs/promises';
import { annotateWorkbook } from '../shared/workbook/annotate.js';
import { DEFAULT_READ_LIMITS, readWorkbook } from '../shared/workbook/read.js';

/**
 * One benchmark case, run in a process of its own so that its peak resident memory is its own:
 * `tsx bench/case.ts <read|read-unlimited|annotate> <file>`. Prints one JSON line.
 */

const MB = 2 ** 20;
const peakRss = () => (process.resourceUsage().maxRSS * 1024) / MB;

async function run(action: string, bytes: Uint8Array): Promise<string> {
  switch (action) {
    case 'read':
      return `${(await readWorkbook(bytes)).reduce((cells, sheet) => cells + sheet.rows.flat().length, 0)} cells`;
    case 'read-unlimited': {
      // The row and cell limits would refuse a 100,000-row sheet; here the reading itself is measured.
      const sheets = await readWorkbook(bytes, { ...DEFAULT_READ_LIMITS, maxRows: Number.POSITIVE_INFINITY, maxCells: Number.POSITIVE_INFINITY });
      return `${sheets.reduce((cells, sheet) => cells + sheet.rows.flat().length, 0)} cells`;
    }
    case 'annotate':
      return `${(await annotateWorkbook(bytes, [])).byteLength} bytes written`;
    default:
      throw new Error(`unknown action ${action}`);
  }
}

const [action = '', file = ''] = process.argv.slice(2);
const bytes = await readFile(file);
const before = peakRss();
const start = performance.now();
let outcome: string;
try {
  outcome = await run(action, bytes);
} catch (error) {
  const { code, message } = error as { code?: string; message: string };
  outcome = `refused: ${code ?? ''} ${message.slice(message.lastIndexOf(';') + 1).trim()}`;
}
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, baselineRssMb: before, peakRssMb: peakRss(), outcome }));
