import type { WorkbookFormatError } from '../problem.js';
import { workbookFormatError } from './problems.js';

/** How much of an upload is read before it is refused as too large; configuration (shared/config.ts readLimits), with defaults. */
export interface ReadLimits {
  /** The most the zip may unpack to, by the sizes it declares (and is checked to keep); also the most a CSV may hold. */
  maxUncompressedBytes: number;
  /** The most non-empty cells, all sheets together: a sheet within the size limit can still hold millions. */
  maxCells: number;
  /** The highest row number holding a value, in any sheet. */
  maxRows: number;
  /** The highest column number holding a value, in any sheet. */
  maxColumns: number;
}

/** A monthly workbook has a few dozen cells; these leave room for clerks' own sheets and stay far below a function's memory. */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxUncompressedBytes: 64 * 2 ** 20, maxCells: 200_000, maxRows: 10_000, maxColumns: 200 };

/** No limit at all: for a file already read within the limits (the annotated copy's check), and for the benchmark. */
export const NO_READ_LIMITS: ReadLimits = { maxUncompressedBytes: Infinity, maxCells: Infinity, maxRows: Infinity, maxColumns: Infinity };

/**
 * The longest text read as an indicator name, number, unit, month or heading; a longer one is none of them. The
 * catalog's names are a few dozen characters; this leaves room for a clerk's notes and stays cheap to look through.
 */
export const MAX_INSPECTED_TEXT = 1000;

/** The most characters Excel holds in a cell: a CSV field longer than this is no table Excel saved. */
export const MAX_CELL_TEXT = 32_767;

const LIMIT_TEXT = {
  rows: (n: number) => ({ zh: `超过 ${n} 行`, en: `it has more than ${n} rows` }),
  columns: (n: number) => ({ zh: `超过 ${n} 列`, en: `it has more than ${n} columns` }),
  cells: (n: number) => ({ zh: `超过 ${n} 个单元格`, en: `it has more than ${n} cells` }),
  cellText: (n: number) => ({ zh: `有单元格超过 ${n} 个字符`, en: `a cell holds more than ${n} characters` }),
  bytes: (n: number) => {
    const megabytes = Math.round(n / 2 ** 20);
    return { zh: `超过 ${megabytes} MB 的上限（按解压后大小计）`, en: `it is larger than the ${megabytes} MB limit, counted unpacked` };
  },
} as const;

/** The refusal of a file past one of its limits, saying which limit and how much it is. */
export function beyondLimit(limit: keyof typeof LIMIT_TEXT, value: number): WorkbookFormatError {
  return workbookFormatError('file.too_large', LIMIT_TEXT[limit](value));
}
