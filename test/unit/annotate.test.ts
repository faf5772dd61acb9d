import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/problem.js';
import { annotateWorkbook, annotationLoad, CopyWouldLoseCells, findingsOf, isXlsxContainer, SUMMARY_SHEET } from '../../shared/workbook/annotate.js';
import { markedWorkbook } from '../../shared/ingest/annotation.js';
import { withoutReferences, withPartsRenamed, withPrefixedNamespace } from '../corpus/writers.js';
import { zipOf } from './workbook-fixtures.js';

const NOT_WHOLE = '数值必须是整数：请填整数（如 12），不要填 12.5 / The value must be a whole number; type a whole number such as 12, not 12.5';
const BLANK = '数值为空，视为本月未报送 / The value is blank and counts as not reported this month';
const NO_PERIOD = '找不到填报月份 / No reporting period found';

const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

/** A clerk's sheet: a merged title, a header, two figures, one cell already carrying the clerk's own note. */
async function clerksWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('科技创新');
  sheet.mergeCells('A1:C1');
  sheet.getCell('A1').value = '大足区科技局科技创新指标报表';
  sheet.addRow([]);
  sheet.getRow(3).values = ['指标', '单位', '数值'];
  sheet.getRow(4).values = ['巴渝工匠', '人', 12.5];
  sheet.getRow(5).values = ['特派员', '人', null];
  sheet.getCell('C4').note = '按季度累计';
  // One style for the input cells, as templates have: marking one of them must not mark the others.
  for (const address of ['C4', 'C5', 'C6']) sheet.getCell(address).fill = INPUT_FILL;
  workbook.addWorksheet('备注');
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

const noteText = (cell: ExcelJS.Cell) => {
  const note = cell.note as ExcelJS.Comment | string | undefined;
  return typeof note === 'string' ? note : note?.texts?.map((run) => run.text).join('');
};
const fillColour = (cell: ExcelJS.Cell) => (cell.fill?.type === 'pattern' ? cell.fill.fgColor?.argb : undefined);

function sheetOf(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}

const findings: Finding[] = findingsOf({
  errors: [
    { sheet: '科技创新', cell: 'C4', code: 'value.not_whole', message: NOT_WHOLE },
    { sheet: null, cell: null, code: 'period.missing', message: NO_PERIOD },
    // A merged child: Excel shows the master cell, so that is where the mark goes.
    { sheet: '科技创新', cell: 'B1', code: 'period.invalid', message: '填报月份无法识别 / The reporting period cannot be read' },
  ],
  warnings: [{ sheet: '科技创新', cell: 'C5', code: 'value.missing', message: BLANK }],
});

describe('the annotated copy of a clerk workbook', () => {
  it('fills each problem cell and notes in Chinese and English what is wrong, keeping the clerk note below', async () => {
    const sheet = sheetOf(await load(await annotateWorkbook(await clerksWorkbook(), findings)), '科技创新');

    expect(fillColour(sheet.getCell('C4'))).toBe('FFFFC7CE');
    expect(noteText(sheet.getCell('C4'))).toBe(`【错误 Error】value.not_whole\n${NOT_WHOLE}\n\n原批注 Original note:\n按季度累计`);
    expect(fillColour(sheet.getCell('C5'))).toBe('FFFFEB9C');
    expect(noteText(sheet.getCell('C5'))).toBe(`【提醒 Warning】value.missing\n${BLANK}`);
    expect(fillColour(sheet.getCell('A1'))).toBe('FFFFC7CE');
    expect(noteText(sheet.getCell('A1'))).toContain('period.invalid');
    // The clerk's figures and the cells without a problem are left as they were.
    expect(sheet.getCell('C4').value).toBe(12.5);
    expect(sheet.getCell('A4').fill).toBeUndefined();
    expect(fillColour(sheet.getCell('C6'))).toBe('FFFFF2CC');
    expect(sheet.getCell('A4').note).toBeUndefined();
  });

  it('puts a summary sheet first, listing every problem with a link to its cell', async () => {
    const workbook = await load(await annotateWorkbook(await clerksWorkbook(), findings));
    const summary = sheetOf(workbook, SUMMARY_SHEET);
    const rows = summary.getSheetValues().slice(1).map((row) => (row as ExcelJS.CellValue[]).slice(1));

    expect(workbook.worksheets.map((s) => s.name)).toEqual([SUMMARY_SHEET, '科技创新', '备注']);
    expect(rows).toEqual([
      ['序号 No.', '类别 Severity', '工作表 Sheet', '单元格 Cell', '代码 Code', '问题及改正方法 Problem and what to type instead'],
      [1, '错误 Error', '科技创新', { text: 'C4', hyperlink: "#'科技创新'!C4" }, 'value.not_whole', NOT_WHOLE],
      [2, '错误 Error', '', '', 'period.missing', NO_PERIOD],
      [3, '错误 Error', '科技创新', { text: 'A1', hyperlink: "#'科技创新'!A1" }, 'period.invalid', '填报月份无法识别 / The reporting period cannot be read'],
      [4, '提醒 Warning', '科技创新', { text: 'C5', hyperlink: "#'科技创新'!C5" }, 'value.missing', BLANK],
    ]);
  });

  it('says so on the summary sheet when there is nothing to correct', async () => {
    const summary = sheetOf(await load(await annotateWorkbook(await clerksWorkbook(), [])), SUMMARY_SHEET);
    expect(summary.getCell('F2').value).toBe('没有发现问题 / No problems found');
    expect(summary.rowCount).toBe(2);
  });

  it('lists a problem on a sheet the workbook does not have without marking any cell', async () => {
    const elsewhere = findingsOf({ errors: [{ sheet: '汇总', cell: 'B2', code: 'value.not_a_number', message: 'x / x' }], warnings: [] });
    const workbook = await load(await annotateWorkbook(await clerksWorkbook(), elsewhere));
    expect(sheetOf(workbook, SUMMARY_SHEET).getRow(2).getCell(4).value).toBe('B2');
    expect(sheetOf(workbook, '科技创新').getCell('B2').note).toBeUndefined();
  });
});

describe('a workbook from a writer exceljs cannot open as it is written', () => {
  it.each([
    { writer: 'an online suite, its SpreadsheetML written with a prefix', rewrite: (bytes: Uint8Array) => withPrefixedNamespace(bytes) },
    { writer: 'a writer that leaves out the references its order implies', rewrite: withoutReferences },
  ])('is marked as the same workbook saved by Excel would be, when saved by $writer', async ({ rewrite }) => {
    const findings: Finding[] = [{ sheet: '科技创新', cell: 'C4', code: 'value.not_whole', message: NOT_WHOLE, severity: 'error' }];

    const marked = await load(await annotateWorkbook(rewrite(await clerksWorkbook()), findings));

    const sheet = marked.getWorksheet('科技创新');
    expect(sheet?.getCell('A4').value).toBe('巴渝工匠');
    expect(sheet?.getCell('C4').value).toBe(12.5);
    expect(fillColour(sheet?.getCell('C4') as ExcelJS.Cell)).toBe('FFFFC7CE');
    expect(noteText(sheet?.getCell('C4') as ExcelJS.Cell)).toContain(NOT_WHOLE);
    expect(noteText(sheet?.getCell('C4') as ExcelJS.Cell)).toContain('按季度累计');
  });
});

describe('a workbook exceljs would open without some of its cells, or not at all', () => {
  const assessment = { status: 'accepted', workbookRead: true, department: 'science', period: '2026-11', figures: [], errors: [], warnings: [], rowsRead: 3 } as const;

  it('is refused a copy when exceljs opens it with a sheet empty, rather than handed back with its cells lost', async () => {
    const bytes = withPartsRenamed(await clerksWorkbook(), { 'xl/worksheets/sheet1.xml': 'xl/worksheets/part_1.xml' });

    await expect(annotateWorkbook(bytes, [])).rejects.toBeInstanceOf(CopyWouldLoseCells);
  });

  it.each([
    {
      writer: 'a writer naming its worksheet parts otherwise',
      rewrite: (bytes: Uint8Array) => withPartsRenamed(bytes, { 'xl/worksheets/sheet1.xml': 'xl/worksheets/part_1.xml' }),
      says: 'the way the program that saved this file wrote it cannot be kept whole in a copy',
    },
    { writer: 'a program whose file cannot be opened again', rewrite: (bytes: Uint8Array) => bytes.subarray(0, 100), says: 'could not be opened again to mark it' },
  ])('says in the report why a workbook saved by $writer has no copy, and how to get one', async ({ rewrite, says }) => {
    const logged: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => void logged.push(message) };

    const result = await markedWorkbook({ ...assessment, figures: [], errors: [], warnings: [] }, rewrite(await clerksWorkbook()), { logger, key: 'incoming/science/x.xlsx' });

    expect(result).toEqual({ status: 'failed', message: expect.stringContaining(says) });
    expect(logged).toEqual(['workbook could not be annotated']);
  });
});

describe('which uploads can be annotated in place', () => {
  it.each([
    ['an .xlsx (zip) file', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]), true],
    ['a CSV file', new TextEncoder().encode('指标,数值\n'), false],
    ['a legacy .xls file', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]), false],
    ['an empty file', new Uint8Array(), false],
  ])('%s: %s', (_name, bytes, expected) => {
    expect(isXlsxContainer(bytes)).toBe(expected);
  });
});

describe('what opening a workbook whole would make, counted from its XML', () => {
  const sheet = (inner: string) => zipOf({ 'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet>${inner}</worksheet>` });
  const WHOLE_SHEET = 16_384 * 1_048_576;

  it.each([
    ['a row of two cells', '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1" s="1"/></row></sheetData>', 3],
    ['cells written with a namespace prefix', '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData>', 2],
    ['a merge of 3 × 2 cells', '<mergeCells count="1"><mergeCell ref="A1:C2"/></mergeCells>', 6],
    ['a merge written bottom-right first', '<mergeCells count="1"><mergeCell ref="C2:A1"/></mergeCells>', 6],
    ['a merge over the whole sheet', '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', WHOLE_SHEET],
    ['columns 1 to 3 defined', '<cols><col min="1" max="3" width="9"/></cols>', 3],
    ['a column definition to column 1,000,000,000', '<cols><col min="1" max="1000000000" width="9"/></cols>', 1_000_000_000],
    ['a validation over two ranges', '<dataValidations count="1"><dataValidation type="whole" sqref="A1:A10 C1:D2"><formula1>0</formula1></dataValidation></dataValidations>', 14],
    ['a validation over a whole column, written A:A', '<dataValidations count="1"><dataValidation sqref="A:A"/></dataValidations>', 1_048_576],
    ['a validation over a whole row, written 3:3', '<dataValidations count="1"><dataValidation sqref="$3:$3"/></dataValidations>', 16_384],
    ['an empty or broken range', '<mergeCells><mergeCell ref=""/><mergeCell ref="#REF!"/></mergeCells>', 0],
    ['elements that only look alike', '<cols></cols><colBreaks/><commentList/><conditionalFormatting sqref="A1:XFD1048576"><cfRule type="expression"/></conditionalFormatting><color rgb="FF000000"/>', 0],
  ])('%s: %d', async (_case, xml, expected) => {
    expect(await annotationLoad(sheet(xml))).toBe(expected);
  });

  it('counts elements cut between the pieces a part inflates in', async () => {
    const rows = Array.from({ length: 5_000 }, (_, r) => `<row r="${r + 1}">${Array.from({ length: 10 }, (_, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" s="1"/>`).join('')}</row>`);
    expect(await annotationLoad(sheet(`<sheetData>${rows.join('')}</sheetData>`))).toBe(55_000);
  });

  it('adds up every part: two sheets and their notes', async () => {
    const bytes = zipOf({
      'xl/worksheets/sheet1.xml': '<worksheet><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>',
      'xl/worksheets/other.xml': '<worksheet><sheetData><row r="1"><c r="A1"/></row></sheetData></worksheet>',
      'xl/comments1.xml': '<comments><commentList><comment ref="A1" authorId="0"><text><t>a</t></text></comment></commentList></comments>',
      'xl/media/image1.png': '<c r="A1"/>',
    });
    expect(await annotationLoad(bytes)).toBe(4 + 2 + 1);
  });
});
