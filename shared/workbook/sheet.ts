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
  /** A tab whose cells could not be read: the workbook names it, but the part holding its cells is not in the file. */
  unread?: boolean;
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
/** 9999-12-31, the last day Excel shows, in the 1900 system. */
const LAST_DATE_SERIAL = 2_958_465;
const MS_PER_DAY = 86_400_000;

/**
 * What Excel shows in a date-formatted cell whose number is no date. The streaming reader turns such a number into
 * a date before it is seen here, and past about 270,000 years there is no date to take the number back from.
 */
export const NO_DATE_SHOWN = '########';

/** The rule exceljs applies to plain cells (bracketed and quoted parts are not date codes), so formula results follow it too. */
export function isDateFormat(numFmt: string | undefined): boolean {
  return numFmt !== undefined && /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/**
 * The instant an Excel date serial stands for; undefined when Excel shows no date for it (a negative number, one past
 * 9999-12-31, or none at all) but a row of #.
 */
export function dateOfSerial(serial: number, date1904: boolean): Date | undefined {
  const days = serial + (date1904 ? DATE_1904_SHIFT : 0);
  if (!(serial >= 0 && days <= LAST_DATE_SERIAL)) return undefined;
  return new Date(Math.round((days - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
}

/**
 * The serial a date was made from, counted in the given date system; NaN for an invalid date. 15 significant digits,
 * as many as a cell holds, drop the noise of the round trip through milliseconds.
 */
export function serialOfDate(date: Date, date1904: boolean): number {
  const serial = date.getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL - (date1904 ? DATE_1904_SHIFT : 0);
  return Number(serial.toPrecision(15));
}

/** Column letters of a 1-based column number: 1 → "A", 27 → "AA". */
export function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

/** The 1-based column number of column letters, in either case: "A" → 1, "aa" → 27. */
export function columnNumber(letters: string): number {
  let column = 0;
  for (const letter of letters.toUpperCase()) column = column * 26 + letter.charCodeAt(0) - 64;
  return column;
}

export function cellAddress(row: number, column: number): string {
  return `${columnLetters(column)}${row}`;
}
