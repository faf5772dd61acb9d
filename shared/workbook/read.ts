import { readCsv } from './csv.js';
import { beyondLimit, DEFAULT_READ_LIMITS, type ReadLimits } from './limits.js';
import { Package } from './package.js';
import { workbookFormatError } from './problems.js';
import type { StreamedSheet, WorkbookCell, WorkbookSheet } from './sheet.js';
import { cellNumberFormats, sharedStrings, workbookStructure } from './spreadsheet.js';
import { fileBaseName } from './text.js';
import { WorksheetReader, type CellContext, type CellCount } from './worksheet.js';
import { checkWorkbookContainer, isCompoundFile, isZip, type ZipEntry } from './zip.js';

export { DEFAULT_READ_LIMITS, type ReadLimits } from './limits.js';

/** A worksheet part's rows as they are read, in the batches each piece of its XML completes. */
async function* worksheetRows(pkg: Package, part: string, context: CellContext, limits: ReadLimits, count: CellCount): AsyncGenerator<WorkbookCell[][]> {
  const reader = new WorksheetReader(context, limits, count);
  for await (const piece of pkg.content(part)) {
    const rows = reader.take(piece);
    if (rows.length > 0) yield rows;
  }
  const rows = reader.end();
  if (rows.length > 0) yield rows;
}

/**
 * Every tab of the workbook in the order Excel shows them, by the name on the tab. A chart sheet holds no cells and
 * is passed over; a tab whose part the package lacks comes with no rows and `unread` set, so that it is never
 * skipped without a word.
 */
async function* streamSheets(buffer: Buffer, entries: readonly ZipEntry[], limits: ReadLimits): AsyncGenerator<StreamedSheet> {
  const pkg = new Package(buffer, entries);
  const structure = await workbookStructure(pkg);
  const strings = await sharedStrings(pkg, structure.sharedStrings);
  const numberFormats = await cellNumberFormats(pkg, structure.styles);
  const count: CellCount = { cells: 0 };
  for (const entry of structure.sheets) {
    if (entry.kind === 'chartsheet' || entry.kind === 'dialogsheet') continue;
    const context: CellContext = { sheet: entry.name, strings, numberFormats, date1904: structure.date1904 };
    const sheet: StreamedSheet = { name: entry.name, rows: entry.part === undefined ? [] : worksheetRows(pkg, entry.part, context, limits, count) };
    if (entry.hidden) sheet.hidden = true;
    if (structure.date1904) sheet.date1904 = true;
    if (entry.part === undefined) sheet.unread = true;
    yield sheet;
  }
  await pkg.checkUnread();
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
  yield* streamSheets(buffer, entries, limitsInForce);
}

function readText(buffer: Buffer, limits: ReadLimits, fileName: string): WorkbookSheet {
  if (buffer.length > limits.maxUncompressedBytes) throw beyondLimit('bytes', limits.maxUncompressedBytes);
  return readCsv(buffer, fileBaseName(fileName), limits);
}
