import { describe, expect, it } from 'vitest';
import { WorkbookFormatError } from '../../shared/problem.js';
import { WorksheetReader } from '../../shared/workbook/worksheet.js';
import { NO_READ_LIMITS } from '../../shared/workbook/limits.js';
import { excelStyleParts, excelStyleWorkbook, scienceSheetData, submissionOf, textCell, zipOf } from './workbook-fixtures.js';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const PERIOD = textCell('B2', '2026-11');

/** A worksheet part read in two pieces, cut at `at`: its values, or 'corrupt'. */
function readCut(xml: string, at: number): unknown[] | 'corrupt' {
  const reader = new WorksheetReader({ sheet: '报表', strings: ['巴渝工匠'], numberFormats: [], date1904: false }, NO_READ_LIMITS, { cells: 0 });
  const bytes = Buffer.from(xml, 'utf8');
  try {
    const rows = [...reader.take(bytes.subarray(0, at)), ...reader.take(bytes.subarray(at)), ...reader.end()];
    return rows.flat().map((cell) => cell.value);
  } catch (error) {
    if (error instanceof WorkbookFormatError && error.code === 'file.corrupt') return 'corrupt';
    throw error;
  }
}

/** What reading makes of a part wherever it is cut in two pieces: one outcome, the same for every cut. */
function outcomesOfEveryCut(xml: string): unknown[] {
  const outcomes = Array.from({ length: Buffer.byteLength(xml) + 1 }, (_, at) => JSON.stringify(readCut(xml, at)));
  return [...new Set(outcomes)].map((outcome) => JSON.parse(outcome) as unknown);
}

const sheet = (cells: string, prefix = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${prefix}worksheet xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="${MAIN}"><${prefix}sheetData><${prefix}row r="5">${cells}</${prefix}row></${prefix}sheetData></${prefix}worksheet>\n`;

describe('the worksheet reader, a piece at a time and wherever the pieces are cut', () => {
  it.each([
    { part: 'a worksheet', xml: sheet('<c r="A5" t="s"><v>0</v></c><c r="C5"><v>1234.5</v></c><c r="D5" t="b"><v>1</v></c>'), values: ['巴渝工匠', 1234.5, true] },
    { part: 'a worksheet with a namespace prefix', xml: sheet('<x:c r="C5"><x:v>-1.5E+3</x:v></x:c>', 'x:'), values: [-1500] },
    {
      part: 'a worksheet of text, errors and formulas',
      xml: sheet('<c r="A5" t="str"><f>A1</f><v>1,234</v></c><c r="B5" t="e"><v>#N/A</v></c><c r="C5" t="inlineStr"><is><t>1,234</t></is></c>'),
      values: ['1,234', { error: '#N/A' }, '1,234'],
    },
    { part: 'an ISO 8601 date cell', xml: sheet('<c r="C5" t="d"><v>2026-11-01</v></c>'), values: ['2026-11-01T00:00:00.000Z'] },
    { part: 'ISO 8601 date-times and a time of day', xml: sheet('<c r="C5" t="d"><v>2026-11-01T10:10:10.5</v></c><c r="D5" t="d"><v>10:10:10</v></c>'), values: ['2026-11-01T10:10:10.500Z', '1899-12-30T10:10:10.000Z'] },
    {
      part: 'characters escaped as SpreadsheetML writes them',
      xml: sheet('<c r="A5" t="inlineStr"><is><t>ABC_x000D_\nDEF</t></is></c><c r="B5" t="str"><f>A5</f><v>_x005F_x000D_</v></c>'),
      values: ['ABC\r\nDEF', '_x000D_'],
    },
    { part: 'empty values of every type, which store nothing', xml: sheet('<c r="A5"><v></v></c><c r="B5" t="s"><v/></c><c r="C5" t="b"><v></v></c><c r="D5"><v>1</v></c>'), values: [1] },
    { part: 'rich text with a phonetic guide', xml: sheet('<c r="A5" t="inlineStr"><is><r><t>巴渝</t></r><r><t>工匠</t></r><rPh sb="0" eb="2"><t>ばゆ</t></rPh></is></c>'), values: ['巴渝工匠'] },
  ])('reads $part, whatever the cut', ({ xml, values }) => {
    expect(outcomesOfEveryCut(xml)).toEqual([values]);
  });

  it.each([
    { part: 'a number with a thousands separator', xml: sheet('<c r="C5"><v>1,234</v></c>') },
    { part: 'a number with letters after it', xml: sheet('<c r="C5" t="n"><v>12abc</v></c>') },
    { part: 'a number that is no finite double', xml: sheet('<c r="C5"><v>1e999</v></c>') },
    { part: 'INF', xml: sheet('<c r="C5"><v>INF</v></c>') },
    { part: 'a formula result that is no number', xml: sheet('<c r="C5"><f>A1</f><v>1 234</v></c>') },
    { part: 'a shared-string index that is no whole number', xml: sheet('<c r="C5" t="s"><v>1,2</v></c>') },
    { part: 'a shared-string index past the table', xml: sheet('<c r="C5" t="s"><v>7</v></c>') },
    { part: 'a boolean other than 0 or 1', xml: sheet('<c r="C5" t="b"><v>false</v></c>') },
    { part: 'a date cell that is no date', xml: sheet('<c r="C5" t="d"><v>2026-02-30</v></c>') },
    { part: 'a prefixed number with a separator', xml: sheet('<x:c r="C5"><x:v>1,234</x:v></x:c>', 'x:') },
    { part: 'a worksheet cut short', xml: sheet('<c r="C5"><v>1</v></c>').slice(0, 150) },
    { part: 'a prefixed worksheet cut short', xml: sheet('<x:c r="C5"><x:v>1</x:v></x:c>', 'x:').slice(0, -20) },
    { part: 'a part with no root', xml: '<?xml version="1.0"?>' },
  ])('refuses $part as file.corrupt', ({ xml }) => {
    expect(outcomesOfEveryCut(xml)).toEqual(['corrupt']);
  });
});

describe('readWorkbook refuses damage inside a sound zip', () => {
  it('refuses a sheet cut at half and zipped again with valid checksums as file.corrupt, with no figure read', async () => {
    const notes = Array.from({ length: 40 }, (_, i) => `<row r="${i + 6}">${textCell(`A${i + 6}`, `注：第 ${i + 1} 条说明`)}</row>`).join('');
    const parts = excelStyleParts({ sheetData: scienceSheetData({ period: PERIOD, value: '<c r="C5"><v>12</v></c>' }) + notes });
    const sheetXml = parts['xl/worksheets/sheet1.xml'] ?? '';
    const cut = zipOf({ ...parts, 'xl/worksheets/sheet1.xml': sheetXml.slice(0, Math.floor(sheetXml.length / 2)) });

    await expect(submissionOf(zipOf(parts))).resolves.toMatchObject({ period: '2026-11', errors: [] });
    await expect(submissionOf(cut)).rejects.toMatchObject({ code: 'file.corrupt' });
  });

  it.each(['1,234', '12abc', '1 234'])('refuses the number %j in a numeric cell as file.corrupt naming its sheet and cell', async (stored) => {
    const bytes = excelStyleWorkbook({ sheetData: scienceSheetData({ period: PERIOD, value: `<c r="C5"><v>${stored}</v></c>` }) });

    const error: unknown = await submissionOf(bytes).catch((failure: unknown) => failure);

    expect(error).toMatchObject({ code: 'file.corrupt' });
    expect((error as Error).message).toContain(`单元格 报表!C5 中存储的“${stored}”不是有效的数值`);
    expect((error as Error).message).toContain(`cell 报表!C5 stores '${stored}'`);
  });

  it('names the cell by its place when the reference is left out', async () => {
    const bytes = excelStyleWorkbook({ sheetData: `<row r="1">${textCell('A1', '指标')}</row><row><c t="inlineStr"><is><t>x</t></is></c><c><v>1,5</v></c></row>` });

    await expect(submissionOf(bytes)).rejects.toMatchObject({ code: 'file.corrupt', message: expect.stringContaining('报表!B2') });
  });

  it('refuses a shared-strings part cut short as file.corrupt', async () => {
    const parts = excelStyleParts({ sheetData: scienceSheetData({ period: PERIOD, value: '<c r="C5"><v>12</v></c>' }) });
    const bytes = zipOf({ ...parts, 'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${MAIN}" count="1"><si><t>巴渝` });

    await expect(submissionOf(bytes)).rejects.toMatchObject({ code: 'file.corrupt' });
  });
});

