import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { WorkbookFormatError } from '../problem.js';
import { readCsv } from './csv.js';
import { beyondLimit, DEFAULT_READ_LIMITS, type ReadLimits } from './limits.js';
import { workbookFormatError } from './problems.js';
import { DamagedCell, damagedCellMessage } from './parts.js';
import { dateOfSerial, isDateFormat, NO_DATE_SHOWN, serialOfDate, type CellValue, type StreamedSheet, type WorkbookCell, type WorkbookSheet } from './sheet.js';
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


type FormulaResult = ExcelJS.CellFormulaValue['result'];

/**
 * The date systems a cell's date is read in: the workbook's own, and the one exceljs counted in when it made a date of
 * a plain cell, which honours date1904 only when written "1".
 */
export interface DateSystems {
  date1904: boolean;
  readerDate1904: boolean;
}

/** A number in a date format: a date when Excel shows one for it, else the number itself. */
function dateOrNumber(serial: number, date1904: boolean): CellValue {
  return dateOfSerial(serial, date1904) ?? serial;
}

/** A plain value or a formula's cached result. exceljs turns plain numbers in a date format into dates; results get the same. */
function scalarValue(value: NonNullable<FormulaResult>, numFmt: string | undefined, dates: DateSystems): CellValue {
  if (value === '') return null;
  if (value instanceof Date) {
    // Made by exceljs in its own count: taken back to the number stored, and read again in the workbook's.
    const serial = serialOfDate(value, dates.readerDate1904);
    return Number.isNaN(serial) ? NO_DATE_SHOWN : dateOrNumber(serial, dates.date1904);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'object') return { error: value.error };
  // The streaming reader parses a cached error (t="e") as a number, leaving NaN with the error text lost.
  if (Number.isNaN(value)) return { error: '#ERROR' };
  return isDateFormat(numFmt) ? dateOrNumber(value, dates.date1904) : value;
}

/**
 * One cell's value in the plain form the rest of the code reads: formulas become their cached result,
 * rich text and hyperlinks their text; empty cells are null. A date-formatted number Excel shows no date for stays
 * the number it is.
 */
export function cellValueOf(raw: ExcelJS.CellValue, numFmt: string | undefined, dates: DateSystems): CellValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'object' || raw instanceof Date) return scalarValue(raw, numFmt, dates);
  if ('sharedString' in raw) throw workbookFormatError('file.corrupt');
  if ('richText' in raw) return raw.richText.map((run) => run.text).join('') || null;
  if ('hyperlink' in raw) return cellValueOf(raw.text, numFmt, dates);
  if ('error' in raw) return { error: raw.error };
  const formula = 'sharedFormula' in raw ? raw.sharedFormula : raw.formula;
  return raw.result === undefined ? { formula } : scalarValue(raw.result, numFmt, dates);
}

const FORMULA = ExcelJS.ValueType.Formula;

/** A formula cell's `value` drops falsy results (0, false, "", the NaN of an error), so the result is taken from the cell itself. */
function rawValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  return cell.type === FORMULA ? { formula: cell.formula, result: cell.result } : cell.value;
}

function rowCells(row: ExcelJS.Row, dates: DateSystems): WorkbookCell[] {
  const cells: WorkbookCell[] = [];
  const number = row.number;
  row.eachCell((cell, column) => {
    const numFmt: string | undefined = cell.numFmt;
    const value = cellValueOf(rawValue(cell), numFmt, dates);
    if (value === null) return;
    const read: WorkbookCell = { address: cell.address, row: number, column, value };
    if (numFmt && numFmt !== 'General') read.numFmt = numFmt;
    cells.push(read);
  });
  return cells;
}

/** What exceljs made of date1904, known once the workbook part is read, which readingZip puts before every sheet. */
function readerUsesDate1904(reader: ExcelJS.stream.xlsx.WorkbookReader): boolean {
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
  /** N of its part xl/worksheets/sheetN.xml, the only parts exceljs reads as sheets. */
  id: number | string;
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

function rowsOf(events: SheetEvents, dates: DateSystems, count: CellCount, limits: ReadLimits): WorkbookCell[][] {
  const rows: WorkbookCell[][] = [];
  for (const { eventType, value } of events) {
    if (eventType !== 'row') continue;
    const cells = rowCells(value, dates);
    if (cells.length === 0) continue;
    checkRow(cells, count, limits);
    rows.push(cells);
  }
  return rows;
}

/** A damaged cell found in this sheet's part is named with the sheet, which the part does not know. */
function inSheet(error: WorkbookFormatError, worksheet: ReadWorksheet): WorkbookFormatError {
  if (!(error instanceof DamagedCell) || error.part !== `xl/worksheets/sheet${worksheet.id}.xml`) return error;
  return new WorkbookFormatError(error.code, damagedCellMessage(worksheet.name, error.address, error.text), { cause: error });
}

/** The rows holding values, in the batches exceljs parses them in: a row at a time would cost an await each. */
async function* worksheetRows(worksheet: ExcelJS.stream.xlsx.WorksheetReader, dates: DateSystems, count: CellCount, limits: ReadLimits, zip: ReadingZip) {
  try {
    const parsed = worksheet.parse();
    for (let step = await parsed.next(); step.done !== true; step = await parsed.next()) {
      const rows = rowsOf(step.value, dates, count, limits);
      if (rows.length > 0) yield rows;
    }
  } catch (error) {
    throw inSheet(formatErrorOf(error, zip), worksheet as unknown as ReadWorksheet);
  }
}

async function* streamSheets(zip: ReadingZip, limits: ReadLimits): AsyncGenerator<StreamedSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(zip.chunks), READER_OPTIONS);
  const count: CellCount = { cells: 0 };
  try {
    for await (const worksheet of reader) {
      const dates: DateSystems = { date1904: zip.date1904(), readerDate1904: readerUsesDate1904(reader) };
      const { name, state } = worksheet as unknown as ReadWorksheet;
      const sheet: StreamedSheet = { name, rows: worksheetRows(worksheet, dates, count, limits, zip) };
      if (state === 'hidden' || state === 'veryHidden') sheet.hidden = true;
      if (dates.date1904) sheet.date1904 = true;
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
  return readCsv(buffer, fileBaseName(fileName), limits);
}
