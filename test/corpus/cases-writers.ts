import type ExcelJS from 'exceljs';
import { filledFigures, filledTemplate } from '../office/filled-template.js';
import { addSheet, workbook } from './build.js';
import { accepted, at, corpusCases, figure, HEADER, rejected, SHEET, TITLE, type CaseInput, type CorpusCase } from './outcome.js';
import { editParts, withoutReferences, withPartsRenamed, withPrefixedNamespace, withSheetXml } from './writers.js';

/**
 * The same report as each kind of writer saves it: online suites' prefixed namespaces, parts under other names or
 * reached by absolute targets, a workbook part elsewhere, cells without references, formatting far below the table,
 * Excel's longest texts. Each must read exactly as the report Excel saves.
 */

const ROWS = [
  ['巴渝工匠', '人', 12],
  ['科技特派员', '人', 30],
] as const;

const FIGURES = [figure('sci.bayu_craftsmen', 12, 'persons', 'C5'), figure('sci.st_commissioners', 30, 'persons', 'C6')];

/** The science report of the template cases, a merged title over the period line and the table; `build` adds to it. */
function report(build: (book: ExcelJS.Workbook, sheet: ExcelJS.Worksheet) => void = () => undefined): Promise<Uint8Array> {
  return workbook((book) => {
    const sheet = addSheet(book, SHEET, [[TITLE], ['填报月份', '2026-11'], [], HEADER, ...ROWS]);
    sheet.mergeCells('A1:C1');
    build(book, sheet);
  });
}

/** The report with last month's figures kept on a hidden sheet, which disagree with this month's. */
const withHiddenLastMonth = () =>
  report((book) => {
    addSheet(book, '上月', [['填报月份', '2026-10'], HEADER, ['巴渝工匠', '人', 9]]).state = 'hidden';
  });

const STRICT = {
  'http://schemas.openxmlformats.org/spreadsheetml/2006/main': 'http://purl.oclc.org/ooxml/spreadsheetml/main',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'http://purl.oclc.org/ooxml/officeDocument/relationships',
} as const;

/** Strict Open XML (ISO 29500 Strict), whose namespaces differ from the transitional ones every suite writes by default. */
function strict(bytes: Uint8Array): Uint8Array {
  return editParts(bytes, (name, text) => {
    if (!/\.(xml|rels)$/.test(name)) return undefined;
    return { text: Object.entries(STRICT).reduce((written, [transitional, strictForm]) => written.replaceAll(transitional, strictForm), text) };
  });
}

/** Formatted empty rows down to Excel's last row, as Mac Excel saves a sheet whose rows were formatted whole. */
function formattedToLastRow(xml: string): string {
  const rows = Array.from({ length: 200 }, (_, index) => {
    const row = 1_048_377 + index;
    return `<row r="${row}" s="1" customFormat="1"><c r="A${row}" s="1"/><c r="B${row}" s="1"/></row>`;
  }).join('');
  return xml.replace('</sheetData>', `${rows}</sheetData>`);
}

/** Excel's longest text, 32,767 characters. */
const LONGEST_TEXT = '注'.repeat(32_767);

/** Each writer's way of saving a package, applied both to the report above and to the filled template. */
const WRITERS: readonly { writer: string; rewrite: (bytes: Uint8Array) => Uint8Array }[] = [
  { writer: 'an online suite, every part with a namespace prefix', rewrite: (bytes) => withPrefixedNamespace(bytes) },
  { writer: 'an online suite, the worksheets alone with a namespace prefix', rewrite: (bytes) => withPrefixedNamespace(bytes, 'x', /^xl\/worksheets\//) },
  { writer: 'a writer naming its worksheet parts otherwise', rewrite: (bytes) => withPartsRenamed(bytes, { 'xl/worksheets/sheet1.xml': 'xl/worksheets/part_1.xml' }) },
  { writer: 'a writer putting the workbook part outside xl/', rewrite: (bytes) => withPartsRenamed(bytes, { 'xl/workbook.xml': 'book/main.xml' }) },
  { writer: 'a writer that leaves out cell references', rewrite: withoutReferences },
  { writer: 'Strict Open XML', rewrite: strict },
];

const REWRITTEN_CASES: CaseInput[] = WRITERS.flatMap(({ writer, rewrite }): CaseInput[] => [
  { name: `the report as ${writer} saves it`, covers: 'writers', bytes: async () => rewrite(await report()), expected: accepted(FIGURES) },
  {
    name: `the filled template as ${writer} saves it`,
    covers: 'writers',
    bytes: async () => rewrite(await filledTemplate({ period: '2026-11', recalculated: true })),
    expected: accepted(filledFigures('2026-11')),
  },
]);

const CASES: CaseInput[] = [
  ...REWRITTEN_CASES,
  {
    name: 'relationships with absolute targets and a hidden sheet of last month, kept hidden and by its own name',
    covers: 'writers',
    bytes: async () => withPartsRenamed(await withHiddenLastMonth()),
    expected: accepted(FIGURES),
  },
  {
    name: 'borders drawn down to row 12,000, past the row limit, with nothing in them',
    covers: 'writers',
    bytes: () =>
      report((_book, sheet) => {
        for (let row = 7; row <= 12_000; row++) for (let column = 1; column <= 3; column++) sheet.getCell(row, column).border = { bottom: { style: 'thin' } };
      }),
    expected: accepted(FIGURES),
  },
  {
    name: 'formatted empty rows down to row 1,048,576, as Mac Excel saves them',
    covers: 'writers',
    bytes: async () => withSheetXml(await report(), formattedToLastRow),
    expected: accepted(FIGURES),
  },
  {
    name: '1,200 notes at Excel’s 32,767-character cap beside the figures',
    covers: 'writers',
    bytes: () =>
      report((_book, sheet) => {
        sheet.getCell('D4').value = '备注';
        for (let row = 10; row < 1_210; row++) sheet.getCell(row, 4).value = LONGEST_TEXT;
      }),
    expected: accepted(FIGURES),
  },
  {
    name: 'a visible sheet whose cells are not in the file, beside the report',
    covers: 'writers',
    bytes: async () =>
      editParts(await report((book) => addSheet(book, '补充', [['x']])), (name) => (name === 'xl/worksheets/sheet2.xml' ? { name: 'xl/worksheets/lost.xml' } : undefined)),
    expected: accepted(FIGURES, [at('sheet.not_read', null, '补充')]),
  },
  {
    name: 'a workbook whose only sheet’s cells are not in the file',
    covers: 'writers',
    bytes: async () => editParts(await report(), (name) => (name === 'xl/worksheets/sheet1.xml' ? { name: 'xl/worksheets/lost.xml' } : undefined)),
    expected: rejected([at('sheet.no_table', null, null)], { warnings: [at('sheet.not_read', null, SHEET)] }),
  },
];

export const WRITER_CASES: CorpusCase[] = corpusCases(CASES);
