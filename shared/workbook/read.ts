import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { WorkbookFormatError } from '../problem.js';
import { readCsv } from './csv.js';
import { beyondLimit, DEFAULT_READ_LIMITS, type ReadLimits } from './limits.js';
import { workbookFormatError } from './problems.js';
import { dateOfSerial, type CellValue, type StreamedSheet, type WorkbookCell, type WorkbookSheet } from './sheet.js';
import { fileBaseName } from './text.js';
import { checkWorkbookContainer, isCompoundFile, isZip, readingZip, type ReadingZip } from './zip.js';

export { DEFAULT_READ_LIMITS, type ReadLimits } from './limits.js';

/**
 * The streaming reader keeps memory flat per row. Shared strings and styles are cached so that
 * text never arrives as `{ sharedString: n }` and number formats (dates, percentages) survive.
 */
export const READER_OPTIONS = {
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'emit',
} as const;


/** The rule exceljs applies to plain cells (bracketed and quoted parts are not date codes), so formula results follow it too. */
function isDateFormat(numFmt: string | undefined): boolean {
  return numFmt !== undefined && /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

type FormulaResult = ExcelJS.CellFormulaValue['result'];

/** A plain value or a formula's cached result. exceljs turns plain numbers in a date format into dates; results get the same. */
function scalarValue(value: NonNullable<FormulaResult>, numFmt: string | undefined, date1904: boolean): CellValue {
  if (value === '') return null;
  if (value instanceof Date || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'object') return { error: value.error };
  // The streaming reader parses a cached error (t="e") as a number, leaving NaN with the error text lost.
  if (Number.isNaN(value)) return { error: '#ERROR' };
  return isDateFormat(numFmt) ? dateOfSerial(value, date1904) : value;
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

const FORMULA = ExcelJS.ValueType.Formula;

/** A formula cell's `value` drops falsy results (0, false, "", the NaN of an error), so the result is taken from the cell itself. */
function rawValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  return cell.type === FORMULA ? { formula: cell.formula, result: cell.result } : cell.value;
}

function rowCells(row: ExcelJS.Row, date1904: boolean): WorkbookCell[] {
  const cells: WorkbookCell[] = [];
  const number = row.number;
  row.eachCell((cell, column) => {
    const numFmt: string | undefined = cell.numFmt;
    const value = cellValueOf(rawValue(cell), numFmt, date1904);
    if (value === null) return;
    const read: WorkbookCell = { address: cell.address, row: number, column, value };
    if (numFmt && numFmt !== 'General') read.numFmt = numFmt;
    cells.push(read);
  });
  return cells;
}

/** Known once the workbook part is read, which readingZip puts before every sheet. */
function usesDate1904(reader: ExcelJS.stream.xlsx.WorkbookReader): boolean {
  const { properties } = reader as unknown as { properties?: { model?: { date1904?: boolean } } };
  return properties?.model?.date1904 === true;
}

/** Non-empty cells read so far, across sheets. */
interface CellCount {
  cells: number;
}

/**
 * Refuses a row past the limits as soon as it is read, before the rest of the sheet is. Only what holds a value
 * counts: formatted empty rows down to row 1,048,576 are no part of the table.
 */
function checkRow(cells: readonly WorkbookCell[], count: CellCount, limits: ReadLimits): void {
  const first = cells[0];
  if (first && first.row > limits.maxRows) throw beyondLimit('rows', limits.maxRows);
  // Cells come left to right: the last is the furthest.
  const last = cells.at(-1);
  if (last && last.column > limits.maxColumns) throw beyondLimit('columns', limits.maxColumns);
  count.cells += cells.length;
  if (count.cells > limits.maxCells) throw beyondLimit('cells', limits.maxCells);
}

/** The typings leave out the name and visibility the reader sets on each worksheet before its rows are read. */
interface ReadWorksheet {
  name: string;
  state?: 'visible' | 'hidden' | 'veryHidden';
}

/**
 * What the reader throws on a damaged file becomes file.corrupt; the refusals of this module stay as they are.
 * A corrupt entry found in the zip as it was read comes first: whatever exceljs then made of it is its consequence.
 */
function formatErrorOf(error: unknown, zip: ReadingZip): WorkbookFormatError {
  const cause = zip.fault() ?? error;
  return cause instanceof WorkbookFormatError ? cause : workbookFormatError('file.corrupt', undefined, cause);
}

/** What the worksheet reader's parse() gives, a batch per piece of sheet XML parsed: rows among other events. */
type SheetEvents = readonly { eventType: string; value: ExcelJS.Row }[];

function rowsOf(events: SheetEvents, date1904: boolean, count: CellCount, limits: ReadLimits): WorkbookCell[][] {
  const rows: WorkbookCell[][] = [];
  for (const { eventType, value } of events) {
    if (eventType !== 'row') continue;
    const cells = rowCells(value, date1904);
    if (cells.length === 0) continue;
    checkRow(cells, count, limits);
    rows.push(cells);
  }
  return rows;
}

/** The rows holding values, in the batches exceljs parses them in: a row at a time would cost an await each. */
async function* worksheetRows(worksheet: ExcelJS.stream.xlsx.WorksheetReader, date1904: boolean, count: CellCount, limits: ReadLimits, zip: ReadingZip) {
  try {
    const parsed = worksheet.parse();
    for (let step = await parsed.next(); step.done !== true; step = await parsed.next()) {
      const rows = rowsOf(step.value, date1904, count, limits);
      if (rows.length > 0) yield rows;
    }
  } catch (error) {
    throw formatErrorOf(error, zip);
  }
}

async function* streamSheets(zip: ReadingZip, limits: ReadLimits): AsyncGenerator<StreamedSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(zip.chunks), READER_OPTIONS);
  const count: CellCount = { cells: 0 };
  try {
    for await (const worksheet of reader) {
      const date1904 = usesDate1904(reader);
      const { name, state } = worksheet as unknown as ReadWorksheet;
      const sheet: StreamedSheet = { name, rows: worksheetRows(worksheet, date1904, count, limits, zip) };
      if (state === 'hidden' || state === 'veryHidden') sheet.hidden = true;
      if (date1904) sheet.date1904 = true;
      yield sheet;
    }
  } catch (error) {
    throw formatErrorOf(error, zip);
  }
  const fault = zip.fault();
  if (fault) throw fault;
}

function isCsvName(fileName: string | undefined): boolean {
  return fileName !== undefined && /\.csv$/i.test(fileName.trim());
}

export interface WorkbookSource {
  /** The uploaded file's name: a ".csv" name is read as a one-sheet workbook when the bytes are not a zip. */
  fileName?: string;
}

/**
 * Reads every sheet of an .xlsx or .xlsm file (values only: macros are never run), or of a .csv file as one sheet,
 * a sheet at a time and a row at a time: each sheet's rows must be read before the next sheet is asked for, and
 * a row past the limits is refused as it comes. Anything that cannot be read as a workbook (empty, not a workbook,
 * a legacy .xls, password-protected, corrupt, too large) is thrown as a WorkbookFormatError with a stable code,
 * from the first sheet asked for or from the row where it shows.
 */
export async function* readWorkbook(bytes: Uint8Array, limits: Partial<ReadLimits> = {}, source: WorkbookSource = {}): AsyncGenerator<StreamedSheet> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limitsInForce = { ...DEFAULT_READ_LIMITS, ...limits };
  if (buffer.length === 0) throw workbookFormatError('file.empty');
  if (isCsvName(source.fileName) && !isZip(buffer) && !isCompoundFile(buffer)) {
    const { rows, ...sheet } = readText(buffer, limitsInForce, source.fileName ?? '');
    yield { ...sheet, rows: [rows] };
    return;
  }
  const entries = checkWorkbookContainer(buffer, limitsInForce.maxUncompressedBytes);
  yield* streamSheets(readingZip(buffer, entries), limitsInForce);
}

function readText(buffer: Buffer, limits: ReadLimits, fileName: string): WorkbookSheet {
  if (buffer.length > limits.maxUncompressedBytes) throw beyondLimit('bytes', limits.maxUncompressedBytes);
  const sheet = readCsv(buffer, fileBaseName(fileName), limits);
  const cells = sheet.rows.reduce((total, row) => total + row.length, 0);
  if (cells > limits.maxCells) throw beyondLimit('cells', limits.maxCells);
  return sheet;
}
