/**
 * A workbook as the ingestion code sees it: sheets of non-empty cells with plain values.
 * Everything exceljs-specific (formulas, rich text, shared strings) is resolved before this point.
 */

/** An error value shown in the cell, such as #DIV/0! or #N/A. */
export interface CellError {
  error: string;
}

/** A formula saved without its calculated result: there is no number to take. */
export interface UncalculatedFormula {
  formula: string;
}

export type CellValue = number | string | boolean | Date | CellError | UncalculatedFormula | null;

export interface WorkbookCell {
  /** A1-style address, e.g. "C7". */
  address: string;
  row: number;
  column: number;
  value: CellValue;
  /** The cell's number format, kept so that 0.92 shown as "92%" can be told from a plain 0.92. */
  numFmt?: string;
}

/** What is known of a sheet before its rows are read. */
export interface SheetInfo {
  name: string;
  /** Hidden or very hidden in Excel: the clerk does not see it. */
  hidden?: boolean;
  /** Saved in the 1904 date system, which counts date serials from 1904-01-01. */
  date1904?: boolean;
}

/** A sheet held in memory whole. */
export interface WorkbookSheet extends SheetInfo {
  /** Rows holding at least one non-empty cell, top to bottom; cells left to right. */
  rows: WorkbookCell[][];
}

/** A sheet as it is read: its rows (as in WorkbookSheet) come in batches, as they are parsed, so few are held at once. */
export interface StreamedSheet extends SheetInfo {
  rows: AsyncIterable<WorkbookCell[][]> | Iterable<WorkbookCell[][]>;
}

/**
 * Days from Excel's day 0 (1899-12-30) to 1970-01-01. Serials before 1900-03-01 come out a day off
 * (Excel counts a 1900-02-29 that never was); no reporting month is that early.
 */
const UNIX_EPOCH_SERIAL = 25569;
/** The 1904 date system counts days from 1904-01-01, 1462 days after the 1900 system's day 0. */
const DATE_1904_SHIFT = 1462;
const MS_PER_DAY = 86_400_000;

/** The instant an Excel date serial stands for. */
export function dateOfSerial(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial + (date1904 ? DATE_1904_SHIFT : 0) - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
}

/** Column letters of a 1-based column number: 1 → "A", 27 → "AA". */
export function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

export function cellAddress(row: number, column: number): string {
  return `${columnLetters(column)}${row}`;
}
