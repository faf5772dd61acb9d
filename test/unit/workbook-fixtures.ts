import { crc32, deflateRawSync } from 'node:zlib';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Period } from '../../shared/calendar.js';
import { NO_READ_LIMITS } from '../../shared/workbook/limits.js';
import type { CellValue, WorkbookCell, WorkbookSheet } from '../../shared/workbook/sheet.js';
import { cellAddress } from '../../shared/workbook/sheet.js';
import { parseSubmission, readSubmission, type ParsedSubmission, type SubmissionInput } from '../../shared/workbook/submission.js';
import { readWorkbook, type ReadLimits, type WorkbookSource } from '../../shared/workbook/read.js';
import { WorksheetReader, type CellContext } from '../../shared/workbook/worksheet.js';
import { packZip } from '../../shared/workbook/zip.js';

/** A cell of a hand-made table: a value, or a value with its number format; undefined leaves the cell empty. */
export type CellInput = CellValue | { value: CellValue; numFmt: string } | undefined;

function hasFormat(input: CellInput): input is { value: CellValue; numFmt: string } {
  return typeof input === 'object' && input !== null && 'numFmt' in input;
}

/** A sheet from a plain table: rows[i] is sheet row i + 1 and its j-th entry column j + 1; empty rows are left out, as the reader does. */
export function sheetOf(name: string, rows: readonly (readonly CellInput[])[]): WorkbookSheet {
  const cells = rows.map((row, r) =>
    row.flatMap((input, c): WorkbookCell[] => {
      if (input === undefined || input === null) return [];
      const address = cellAddress(r + 1, c + 1);
      const base = { address, row: r + 1, column: c + 1 };
      return [hasFormat(input) ? { ...base, value: input.value, numFmt: input.numFmt } : { ...base, value: input }];
    }),
  );
  return { name, rows: cells.filter((row) => row.length > 0) };
}

/** Title on row 1, period on row 2, header on row 4: the figures start on row 5. */
export const FIRST_FIGURE_ROW = 5;

/** A clerk's usual science sheet: a title, a period line, a blank row, then 指标 | 单位 | 数值 and the given rows. */
export function scienceSheet(rows: readonly (readonly CellInput[])[], period: CellInput = '2026-11', name = '科技创新'): WorkbookSheet {
  return sheetOf(name, [['大足区科技局科技创新指标报表'], ['填报月份', period], [], ['指标', '单位', '数值'], ...rows]);
}

export function parse(sheets: WorkbookSheet[], overrides: Partial<SubmissionInput> = {}): ParsedSubmission {
  return parseSubmission({
    sheets,
    catalog,
    department: 'science',
    fileName: 'report.xlsx',
    currentPeriod: '2026-12' satisfies Period,
    ...overrides,
  });
}

/** Every sheet readWorkbook streams, with all its rows, to look at what was read. */
export async function readAllSheets(bytes: Uint8Array, limits?: Partial<ReadLimits>, source?: WorkbookSource): Promise<WorkbookSheet[]> {
  const sheets: WorkbookSheet[] = [];
  for await (const { rows, ...info } of readWorkbook(bytes, limits, source)) {
    const sheet: WorkbookSheet = { ...info, rows: [] };
    for await (const batch of rows) sheet.rows.push(...batch);
    sheets.push(sheet);
  }
  return sheets;
}

/** A deflated zip of the given files, to hand-craft workbook XML that exceljs's writer would not produce. */
export function zipOf(files: Record<string, string>): Uint8Array {
  return packZip(
    Object.entries(files).map(([name, text]) => {
      const content = Buffer.from(text, 'utf8');
      return { name, method: 8, crc: crc32(content), uncompressedSize: content.length, data: deflateRawSync(content) };
    }),
  );
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * An .xlsx written the way Excel orders its parts: the sheet comes before the styles and shared strings it refers to.
 * Style 1 is the date format yyyy-mm, style 2 the built-in 0%.
 */
export function excelStyleWorkbook(input: ExcelStyleInput): Uint8Array {
  return zipOf(excelStyleParts(input));
}

interface ExcelStyleInput {
  sheetData: string;
  sharedStrings?: string[];
  /** A string is the attribute as written: the schema's boolean allows "1", "true", "0" and "false". */
  date1904?: boolean | string;
}

/** The parts of an excelStyleWorkbook by name, to replace one before zipping them. */
export function excelStyleParts(input: ExcelStyleInput): Record<string, string> {
  const strings = input.sharedStrings ?? [];
  const date1904 = typeof input.date1904 === 'string' ? ` date1904="${input.date1904}"` : input.date1904 ? ' date1904="1"' : '';
  return {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><workbookPr${date1904}/><sheets><sheet name="报表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${input.sheetData}</sheetData></worksheet>`,
    'xl/styles.xml':
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm"/></numFmts>` +
      '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>' +
      '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="9" applyNumberFormat="1"/></cellXfs></styleSheet>',
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((text) => `<si><t>${text}</t></si>`).join('')}</sst>`,
  };
}

/** An inline-string cell of hand-written sheet XML. */
export function textCell(address: string, text: string): string {
  return `<c r="${address}" t="inlineStr"><is><t>${text}</t></is></c>`;
}

/**
 * The usual science sheet (see scienceSheet) as sheet XML of an excelStyleWorkbook, with the period cell B2 and the
 * value cell C5 given as written: style 1 is a date format.
 */
export function scienceSheetData(cells: { period: string; value: string }): string {
  return (
    `<row r="1">${textCell('A1', '大足区科技局科技创新指标报表')}</row>` +
    `<row r="2">${textCell('A2', '填报月份')}${cells.period}</row>` +
    `<row r="4">${textCell('A4', '指标')}${textCell('B4', '单位')}${textCell('C4', '数值')}</row>` +
    `<row r="5">${textCell('A5', '巴渝工匠')}${textCell('B5', '人')}${cells.value}</row>`
  );
}

/** A workbook read as it streams and checked as the ingest function does, for the science department in 2026-12. */
export async function submissionOf(bytes: Uint8Array, fileName = 'report.xlsx', limits?: Partial<ReadLimits>): Promise<ParsedSubmission> {
  return readSubmission({ sheets: readWorkbook(bytes, limits, { fileName }), catalog, department: 'science', fileName, currentPeriod: '2026-12' });
}

/** The cells a worksheet part of one row (`cells`, as written in its XML) holds, read with the context given. */
export function cellsOf(cells: string, context: Partial<CellContext> = {}): WorkbookCell[] {
  const reader = new WorksheetReader(
    { sheet: '报表', strings: [], numberFormats: [], date1904: false, ...context },
    NO_READ_LIMITS,
    { cells: 0 },
  );
  const xml = `<worksheet xmlns="${MAIN}"><sheetData><row r="1">${cells}</row></sheetData></worksheet>`;
  return [...reader.take(Buffer.from(xml)), ...reader.end()].flat();
}
