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

export interface WorkbookSheet {
  name: string;
  /** Rows holding at least one non-empty cell, top to bottom; cells left to right. */
  rows: WorkbookCell[][];
}

export type WorkbookSheets = WorkbookSheet[];

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
