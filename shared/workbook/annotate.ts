import ExcelJS from 'exceljs';
import type { Finding, Problem, Severity } from '../problem.js';

/**
 * The clerk's own workbook handed back with every problem marked where it is: the cell filled,
 * a note saying in Chinese and English what is wrong and what to type instead, and a summary
 * sheet listing every problem, including those that belong to no single cell.
 *
 * This loads the whole workbook into memory (the streaming reader cannot write), so it is only
 * ever given a file that has already passed the container checks and been read once.
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

function addSummary(workbook: ExcelJS.Workbook, findings: readonly Finding[], marked: Map<Finding, ExcelJS.Cell>): void {
  const sheet = workbook.addWorksheet(uniqueSheetName(workbook, SUMMARY_SHEET), { views: [{ state: 'frozen', ySplit: 1 }] });
  // The summary comes first, so the file opens on it; the typings leave out the order exceljs sorts sheets by.
  const ordered = (s: ExcelJS.Worksheet) => s as unknown as { orderNo: number };
  ordered(sheet).orderNo = Math.min(0, ...workbook.worksheets.map((s) => ordered(s).orderNo)) - 1;
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  sheet.columns = SUMMARY_COLUMNS.map(({ header, width }) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
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

/** The workbook with its problems marked, as .xlsx bytes. Throws if the bytes are not an .xlsx exceljs can load. */
export async function annotateWorkbook(bytes: Uint8Array, findings: readonly Finding[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  addSummary(workbook, findings, markCells(workbook, findings));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
