import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { WorkbookFormatError } from '../problem.js';
import { workbookFormatError } from './problems.js';
import { cellAddress, type CellValue, type WorkbookCell, type WorkbookSheets } from './sheet.js';
import { checkWorkbookContainer, repackForStreaming } from './zip.js';

export interface ReadLimits {
  /** The most the zip may unpack to, by the sizes it declares (and is checked to keep). */
  maxUncompressedBytes: number;
  /** The most non-empty cells kept in memory: a sheet within the size limit can still hold millions. */
  maxCells: number;
}

/** A monthly workbook has a few dozen cells; these leave room for clerks' own sheets and stay far below a function's memory. */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxUncompressedBytes: 64 * 2 ** 20, maxCells: 200_000 };

/**
 * The streaming reader keeps memory flat per row. Shared strings and styles are cached so that
 * text never arrives as `{ sharedString: n }` and number formats (dates, percentages) survive.
 */
const READER_OPTIONS = {
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'emit',
} as const;

/**
 * Days from Excel's day 0 (1899-12-30) to 1970-01-01. Serials before 1900-03-01 come out a day off
 * (Excel counts a 1900-02-29 that never was); no reporting month is that early.
 */
const UNIX_EPOCH_SERIAL = 25569;
/** The 1904 date system counts days from 1904-01-01, 1462 days after the 1900 system's day 0. */
const DATE_1904_SHIFT = 1462;
const MS_PER_DAY = 86_400_000;

/** The rule exceljs applies to plain cells (bracketed and quoted parts are not date codes), so formula results follow it too. */
function isDateFormat(numFmt: string | undefined): boolean {
  return numFmt !== undefined && /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial + (date1904 ? DATE_1904_SHIFT : 0) - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
}

type FormulaResult = ExcelJS.CellFormulaValue['result'];

/** A plain value or a formula's cached result. exceljs turns plain numbers in a date format into dates; results get the same. */
function scalarValue(value: NonNullable<FormulaResult>, numFmt: string | undefined, date1904: boolean): CellValue {
  if (value === '') return null;
  if (value instanceof Date || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'object') return { error: value.error };
  // The streaming reader parses a cached error (t="e") as a number, leaving NaN with the error text lost.
  if (Number.isNaN(value)) return { error: '#ERROR' };
  return isDateFormat(numFmt) ? excelDate(value, date1904) : value;
}

/**
 * One cell's value in the plain form the rest of the code reads: formulas become their cached result,
 * rich text and hyperlinks their text; empty cells are null.
 */
export function cellValueOf(raw: ExcelJS.CellValue, numFmt: string | undefined, date1904: boolean): CellValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'object' || raw instanceof Date) return scalarValue(raw, numFmt, date1904);
  if ('sharedString' in raw) throw workbookFormatError('file.corrupt');
  if ('richText' in raw) return raw.richText.map((run) => run.text).join('') || null;
  if ('hyperlink' in raw) return cellValueOf(raw.text, numFmt, date1904);
  if ('error' in raw) return { error: raw.error };
  const formula = 'sharedFormula' in raw ? raw.sharedFormula : raw.formula;
  return raw.result === undefined ? { formula } : scalarValue(raw.result, numFmt, date1904);
}

/** A formula cell's `value` drops falsy results (0, false, "", the NaN of an error), so the result is taken from the cell itself. */
function rawValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  return cell.type === ExcelJS.ValueType.Formula ? { formula: cell.formula, result: cell.result } : cell.value;
}

function rowCells(row: ExcelJS.Row, date1904: boolean): WorkbookCell[] {
  const cells: WorkbookCell[] = [];
  row.eachCell((cell, column) => {
    const numFmt: string | undefined = cell.numFmt;
    const value = cellValueOf(rawValue(cell), numFmt, date1904);
    if (value === null) return;
    const format = numFmt && numFmt !== 'General' ? { numFmt } : {};
    cells.push({ address: cellAddress(row.number, column), row: row.number, column, value, ...format });
  });
  return cells;
}

/** Known once the workbook part is read, which the repacked zip puts before every sheet. */
function usesDate1904(reader: ExcelJS.stream.xlsx.WorkbookReader): boolean {
  const { properties } = reader as unknown as { properties?: { model?: { date1904?: boolean } } };
  return properties?.model?.date1904 === true;
}

async function streamSheets(buffer: Buffer, maxCells: number): Promise<WorkbookSheets> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), READER_OPTIONS);
  const sheets: WorkbookSheets = [];
  let cellCount = 0;
  for await (const worksheet of reader) {
    const date1904 = usesDate1904(reader);
    const rows: WorkbookCell[][] = [];
    for await (const row of worksheet) {
      const cells = rowCells(row, date1904);
      cellCount += cells.length;
      if (cellCount > maxCells) {
        throw workbookFormatError('file.too_large', { zh: `超过 ${maxCells} 个单元格`, en: `it has more than ${maxCells} cells` });
      }
      if (cells.length > 0) rows.push(cells);
    }
    // The typings leave out the sheet name the reader sets.
    sheets.push({ name: (worksheet as unknown as { name: string }).name, rows });
  }
  return sheets;
}

/**
 * Reads every sheet of an .xlsx file. Anything that cannot be read as one (not a zip, a legacy .xls,
 * password-protected, corrupt, too large) becomes a WorkbookFormatError with a stable code.
 */
export async function readWorkbook(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<WorkbookSheets> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = checkWorkbookContainer(buffer, limits.maxUncompressedBytes);
  try {
    return await streamSheets(repackForStreaming(buffer, entries), limits.maxCells);
  } catch (error) {
    if (error instanceof WorkbookFormatError) throw error;
    throw workbookFormatError('file.corrupt', undefined, error);
  }
}
