import ExcelJS from 'exceljs';
import { createInflateRaw } from 'node:zlib';
import type { Finding, Problem, Severity } from '../problem.js';
import { NO_READ_LIMITS } from './limits.js';
import { readWorkbook } from './read.js';
import { openableByExceljs } from './exceljs-package.js';
import { storedData, zipEntries, type ZipEntry } from './zip.js';

/**
 * The clerk's own workbook handed back with every problem marked where it is: the cell filled,
 * a note saying in Chinese and English what is wrong and what to type instead, and a summary
 * sheet listing every problem, including those that belong to no single cell.
 *
 * This loads the whole workbook into memory (the streaming reader cannot write), so it is only
 * ever given a file that has already passed the container checks and been read once, and whose
 * annotationLoad is within bounds.
 */

export const SUMMARY_SHEET = '问题汇总 Problems';

const FILLS: Record<Severity, ExcelJS.Fill> = {
  error: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } },
  warning: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } },
};

const SEVERITY_LABELS: Record<Severity, string> = { error: '错误 Error', warning: '提醒 Warning' };

const SUMMARY_COLUMNS = [
  { header: '序号 No.', width: 8 },
  { header: '类别 Severity', width: 14 },
  { header: '工作表 Sheet', width: 20 },
  { header: '单元格 Cell', width: 12 },
  { header: '代码 Code', width: 28 },
  { header: '问题及改正方法 Problem and what to type instead', width: 120 },
];

const A1 = /^[A-Z]{1,3}[1-9][0-9]*$/;

/** The zip signature every .xlsx starts with; a CSV upload has nothing to annotate in place. */
export function isXlsxContainer(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Excel's grid: a range written without its rows or its columns spans all of them. */
const GRID = { rows: 1_048_576, columns: 16_384 } as const;

function columnNumber(letters: string): number {
  let n = 0;
  for (const letter of letters) n = n * 26 + (letter.charCodeAt(0) - 64);
  return n;
}

/** The cells of a range such as `B2:D40`, `A:A` or `3:3`; a single cell is one. */
function rangeArea(ref: string): number {
  if (ref === '') return 0;
  const corners = ref.replaceAll('$', '').toUpperCase().split(':');
  const parsed = corners.map((corner) => /^([A-Z]*)([0-9]*)$/.exec(corner));
  const [from, to = from] = parsed;
  if (!from || !to || corners.length > 2) return 0;
  const span = (a: string, b: string, whole: number, number: (text: string) => number) =>
    a === '' || b === '' ? whole : Math.abs(number(b) - number(a)) + 1;
  return span(from[1] ?? '', to[1] ?? '', GRID.columns, columnNumber) * span(from[2] ?? '', to[2] ?? '', GRID.rows, Number);
}

const sqrefArea = (sqref: string) => sqref.split(/\s+/).filter(Boolean).reduce((total, ref) => total + rangeArea(ref), 0);

/**
 * The elements exceljs turns into objects when it opens a workbook whole, and how many each makes: a merged range
 * a cell object per cell it covers, a data validation one entry per cell of its ranges, a column definition every
 * column up to its `max`, and cells, rows and notes one each. Names may carry a namespace prefix (`<x:c>`).
 */
const EXPANDING = /<(?:[A-Za-z_][\w.-]*:)?(c|row|col|mergeCell|dataValidation|comment)(?=[\s/>])([^>]*)>/g;

function expansionOf(name: string, attributes: string): number {
  const attribute = (key: string) => new RegExp(`\\b${key}="([^"]*)"`).exec(attributes)?.[1] ?? '';
  if (name === 'mergeCell') return rangeArea(attribute('ref'));
  if (name === 'dataValidation') return sqrefArea(attribute('sqref'));
  if (name === 'col') return Number(attribute('max')) || 1;
  return 1;
}

/** An XML part inflated in pieces, never past what it declares. */
async function* partText(bytes: Buffer, entry: ZipEntry): AsyncGenerator<string> {
  const data = storedData(bytes, entry);
  if (entry.method === 0) {
    yield data.toString('latin1');
    return;
  }
  const inflate = createInflateRaw();
  inflate.end(data);
  let size = 0;
  for await (const chunk of inflate as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > entry.uncompressedSize) throw new Error(`${entry.name} inflates past its declared size`);
    // Element and attribute names are ASCII, so a byte-wise decoding never splits what is looked for.
    yield chunk.toString('latin1');
  }
}

async function partExpansion(bytes: Buffer, entry: ZipEntry): Promise<number> {
  let total = 0;
  let carried = '';
  for await (const piece of partText(bytes, entry)) {
    const text = carried + piece;
    // An element cut at the end of the piece is read whole with the next one.
    const open = text.lastIndexOf('<');
    const whole = open === -1 || text.indexOf('>', open) !== -1 ? text.length : open;
    for (const match of text.slice(0, whole).matchAll(EXPANDING)) total += expansionOf(match[1] ?? '', match[2] ?? '');
    carried = text.slice(whole);
  }
  return total;
}

/**
 * How many cell, row, column and validation objects exceljs would make opening the workbook whole, counted from the
 * XML of its parts without opening it: a merge or a validation over a whole sheet, or `<col max="1000000000">`, is a
 * few bytes of XML that exceljs would expand into millions of objects and gigabytes.
 */
export async function annotationLoad(bytes: Uint8Array): Promise<number> {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const entry of zipEntries(zip)) {
    if (entry.name.toLowerCase().endsWith('.xml')) total += await partExpansion(zip, entry);
  }
  return total;
}

export function findingsOf(problems: { errors: readonly Problem[]; warnings: readonly Problem[] }): Finding[] {
  return [
    ...problems.errors.map((problem) => ({ ...problem, severity: 'error' as const })),
    ...problems.warnings.map((problem) => ({ ...problem, severity: 'warning' as const })),
  ];
}

function noteLine(finding: Finding): string {
  return `【${SEVERITY_LABELS[finding.severity]}】${finding.code}\n${finding.message}`;
}

/** The text of a note the clerk wrote, kept under ours. */
function existingNote(cell: ExcelJS.Cell): string | undefined {
  const note = cell.note as ExcelJS.Comment | string | undefined;
  if (note === undefined) return undefined;
  return typeof note === 'string' ? note : note.texts?.map((run) => run.text).join('');
}

/** The cell a finding points at, if the workbook has it: a merged cell's master, which is the one Excel shows. */
function cellOf(workbook: ExcelJS.Workbook, finding: Finding): ExcelJS.Cell | undefined {
  if (finding.sheet === null || finding.cell === null || !A1.test(finding.cell)) return undefined;
  return workbook.getWorksheet(finding.sheet)?.getCell(finding.cell).master;
}

function markCells(workbook: ExcelJS.Workbook, findings: readonly Finding[]): Map<Finding, ExcelJS.Cell> {
  const marked = new Map<Finding, ExcelJS.Cell>();
  const byCell = new Map<ExcelJS.Cell, Finding[]>();
  for (const finding of findings) {
    const cell = cellOf(workbook, finding);
    if (!cell) continue;
    marked.set(finding, cell);
    byCell.set(cell, [...(byCell.get(cell) ?? []), finding]);
  }
  for (const [cell, found] of byCell) {
    const severity: Severity = found.some((f) => f.severity === 'error') ? 'error' : 'warning';
    const clerks = existingNote(cell);
    // Cells loaded with the same style share one style object: give this cell its own, or the fill spreads to the others.
    cell.style = { ...cell.style, fill: FILLS[severity] };
    cell.note = [...found.map(noteLine), ...(clerks ? [`原批注 Original note:\n${clerks}`] : [])].join('\n\n');
  }
  return marked;
}

function uniqueSheetName(workbook: ExcelJS.Workbook, name: string): string {
  const taken = new Set(workbook.worksheets.map((sheet) => sheet.name));
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name} ${n}`;
  return candidate;
}

/** The head's return of the month, which the summary shows above the problems: it is what the clerk acts on first. */
export interface ReturnNotice {
  /** Who returned it and when, in district time: "head.science, 2026-12-03 09:51". */
  byAndWhen: string;
  reason: string;
}

const RETURNED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4B183' } };

function addSummary(workbook: ExcelJS.Workbook, findings: readonly Finding[], marked: Map<Finding, ExcelJS.Cell>, returned: ReturnNotice | undefined): void {
  const sheet = workbook.addWorksheet(uniqueSheetName(workbook, SUMMARY_SHEET), { views: [{ state: 'frozen', ySplit: 1 }] });
  // The summary comes first, so the file opens on it; the typings leave out the order exceljs sorts sheets by.
  const ordered = (s: ExcelJS.Worksheet) => s as unknown as { orderNo: number };
  ordered(sheet).orderNo = Math.min(0, ...workbook.worksheets.map((s) => ordered(s).orderNo)) - 1;
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  sheet.columns = SUMMARY_COLUMNS.map(({ header, width }) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  if (returned) {
    const row = sheet.addRow([
      '',
      '退回 Returned',
      '',
      '',
      'review.returned',
      `负责人退回（${returned.byAndWhen}）：${returned.reason}\n请按理由改正后重新上传，或在门户中说明警告。\nReturned by the head (${returned.byAndWhen}): ${returned.reason}\nCorrect the workbook and upload it again, or explain the warnings on the portal.`,
    ]);
    row.getCell(2).fill = RETURNED_FILL;
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
  }
  if (findings.length === 0) {
    sheet.addRow(['', '', '', '', '', '没有发现问题 / No problems found']);
    return;
  }
  findings.forEach((finding, index) => {
    const cell = marked.get(finding);
    const target = cell ? { text: cell.address, hyperlink: `#'${(finding.sheet ?? '').replaceAll("'", "''")}'!${cell.address}` } : (finding.cell ?? '');
    const row = sheet.addRow([index + 1, SEVERITY_LABELS[finding.severity], finding.sheet ?? '', target, finding.code, finding.message]);
    row.getCell(2).fill = FILLS[finding.severity];
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
  });
}

/** exceljs opened the workbook without some of its cells: written again, the copy would lose them. */
export class CopyWouldLoseCells extends Error {
  override readonly name = 'CopyWouldLoseCells';
}

/**
 * Throws CopyWouldLoseCells unless every cell the reader finds is in the workbook exceljs opened, on the sheet of the
 * same name. exceljs opens only the package layout Excel writes (parts named sheetN.xml, relative targets): a
 * workbook from another writer may open with sheets empty or misnamed, and its copy must not be handed back.
 */
async function checkEveryCellKept(workbook: ExcelJS.Workbook, bytes: Uint8Array): Promise<void> {
  for await (const sheet of readWorkbook(bytes, NO_READ_LIMITS)) {
    const opened = workbook.getWorksheet(sheet.name);
    for await (const rows of sheet.rows) {
      const lost = rows.flat().find((cell) => opened === undefined || opened.getCell(cell.address).value === null);
      if (lost) throw new CopyWouldLoseCells(`exceljs opened ${sheet.name}!${lost.address} empty`);
    }
  }
}

/**
 * The workbook with its problems marked, as .xlsx bytes, opened by exceljs as it can open it (openableByExceljs).
 * Throws if exceljs cannot load it, and CopyWouldLoseCells if it loads without some of the cells.
 */
export async function annotateWorkbook(bytes: Uint8Array, findings: readonly Finding[], returned?: ReturnNotice): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const openable = openableByExceljs(bytes);
  await workbook.xlsx.load(Buffer.from(openable.buffer, openable.byteOffset, openable.byteLength) as unknown as ExcelJS.Buffer);
  await checkEveryCellKept(workbook, bytes);
  addSummary(workbook, findings, markCells(workbook, findings), returned);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
