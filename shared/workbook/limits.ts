import { z } from 'zod';
import type { WorkbookFormatError } from '../problem.js';
import { workbookFormatError } from './problems.js';

/** How much of an upload is read before it is refused as too large; configuration, with defaults. */
export interface ReadLimits {
  /** The most the zip may unpack to, by the sizes it declares (and is checked to keep); also the most a CSV may hold. */
  maxUncompressedBytes: number;
  /** The most non-empty cells kept in memory: a sheet within the size limit can still hold millions. */
  maxCells: number;
  /** The highest row number any sheet may use. */
  maxRows: number;
  /** The highest column number any sheet may use. */
  maxColumns: number;
}

/** A monthly workbook has a few dozen cells; these leave room for clerks' own sheets and stay far below a function's memory. */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxUncompressedBytes: 64 * 2 ** 20, maxCells: 200_000, maxRows: 10_000, maxColumns: 200 };

/** The environment variables that override each limit; sizes in MiB. */
export const READ_LIMIT_VARIABLES = {
  maxUncompressedBytes: 'WORKBOOK_MAX_UNPACKED_MB',
  maxCells: 'WORKBOOK_MAX_CELLS',
  maxRows: 'WORKBOOK_MAX_ROWS',
  maxColumns: 'WORKBOOK_MAX_COLUMNS',
} as const satisfies Record<keyof ReadLimits, string>;

const positive = z.coerce.number().int().positive();

/** The limits a function runs with: each from its variable when set, else the default. An invalid value fails at cold start, naming the variable. */
export function readLimitsFrom(env: NodeJS.ProcessEnv): ReadLimits {
  const limit = (key: keyof ReadLimits, scale = 1): number => {
    const name = READ_LIMIT_VARIABLES[key];
    const text = env[name];
    if (text === undefined || text === '') return DEFAULT_READ_LIMITS[key];
    const parsed = positive.safeParse(text);
    if (!parsed.success) throw new Error(`Invalid configuration: ${name} must be a positive whole number, not "${text}"`);
    return parsed.data * scale;
  };
  return {
    maxUncompressedBytes: limit('maxUncompressedBytes', 2 ** 20),
    maxCells: limit('maxCells'),
    maxRows: limit('maxRows'),
    maxColumns: limit('maxColumns'),
  };
}

const LIMIT_TEXT = {
  rows: (n: number) => ({ zh: `超过 ${n} 行`, en: `it has more than ${n} rows` }),
  columns: (n: number) => ({ zh: `超过 ${n} 列`, en: `it has more than ${n} columns` }),
  cells: (n: number) => ({ zh: `超过 ${n} 个单元格`, en: `it has more than ${n} cells` }),
  bytes: (n: number) => {
    const megabytes = Math.round(n / 2 ** 20);
    return { zh: `超过 ${megabytes} MB 的上限（按解压后大小计）`, en: `it is larger than the ${megabytes} MB limit, counted unpacked` };
  },
} as const;

/** The refusal of a file past one of its limits, saying which limit and how much it is. */
export function beyondLimit(limit: keyof typeof LIMIT_TEXT, value: number): WorkbookFormatError {
  return workbookFormatError('file.too_large', LIMIT_TEXT[limit](value));
}
