import { describe, expect, it } from 'vitest';
import { WorkbookFormatError } from '../../shared/problem.js';
import { readCsv } from '../../shared/workbook/csv.js';
import { readAllSheets } from './workbook-fixtures.js';

const LIMITS = { maxRows: 100, maxColumns: 10, maxCells: 50 };

function values(text: string | Uint8Array) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readCsv(bytes, 'S', LIMITS).rows.map((row) => row.map(({ address, value }) => [address, value]));
}

describe('readCsv reads a CSV as one sheet of text cells', () => {
  it.each([
    { csv: 'CRLF line ends', text: '指标,数值\r\n巴渝工匠,12\r\n', expected: [[['A1', '指标'], ['B1', '数值']], [['A2', '巴渝工匠'], ['B2', '12']]] },
    { csv: 'a UTF-8 byte-order mark', text: '\uFEFF指标,数值\n', expected: [[['A1', '指标'], ['B1', '数值']]] },
    { csv: 'quoted separators and doubled quotes', text: '"技术合同成交额","3,500","说""明"', expected: [[['A1', '技术合同成交额'], ['B1', '3,500'], ['C1', '说"明']]] },
    { csv: 'a line break inside quotes', text: '"指标\n名称",数值', expected: [[['A1', '指标\n名称'], ['B1', '数值']]] },
    { csv: 'tabs for separators', text: '指标\t数值\n巴渝工匠\t12', expected: [[['A1', '指标'], ['B1', '数值']], [['A2', '巴渝工匠'], ['B2', '12']]] },
    { csv: 'blank fields and lines left out', text: '指标,,数值\n\n,,\n巴渝工匠,,12', expected: [[['A1', '指标'], ['C1', '数值']], [['A4', '巴渝工匠'], ['C4', '12']]] },
    { csv: 'runs of blank fields and line breaks of every kind', text: 'a,,,b\r\n\r\n,,c\n\r\r,d', expected: [[['A1', 'a'], ['D1', 'b']], [['C3', 'c']], [['B6', 'd']]] },
    { csv: 'a blank quoted field before blank fields', text: '"",,x\n\n', expected: [[['C1', 'x']]] },
  ])('with $csv', ({ text, expected }) => {
    expect(values(text)).toEqual(expected);
  });

  it('decodes GB18030, as Excel saves "CSV" on a Chinese Windows', () => {
    // 指标,数值 in GB18030.
    expect(values(Buffer.from('d6b8b1ea2ccafdd6b5', 'hex'))).toEqual([[['A1', '指标'], ['B1', '数值']]]);
  });

  it.each([
    { text: Buffer.from([0x81, 0x20, 0xff, 0xfe, 0x00]), code: 'file.text_encoding' },
    { text: Array.from({ length: 101 }, () => 'x').join('\n'), code: 'file.too_large' },
    { text: Array.from({ length: 11 }, () => 'x').join(','), code: 'file.too_large' },
  ])('refuses what it cannot take: $code', ({ text, code }) => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;

    expect(() => readCsv(bytes, 'S', LIMITS)).toThrow(WorkbookFormatError);
    expect(() => readCsv(bytes, 'S', LIMITS)).toThrow(expect.objectContaining({ code }));
  });
});

describe('readCsv counts as it reads and stops at the first limit passed', () => {
  it.each([
    { csv: 'a value below 100 blank lines', text: `${'\n'.repeat(100)}x`, limit: 'more than 100 rows' },
    { csv: 'a value below 100 CRLF line breaks', text: `${'\r\n'.repeat(100)}x`, limit: 'more than 100 rows' },
    { csv: 'a value after 10 commas', text: `${','.repeat(10)}x`, limit: 'more than 10 columns' },
    { csv: 'a value after 10 blank quoted fields', text: `${'"",'.repeat(10)}x`, limit: 'more than 10 columns' },
    { csv: 'more cells holding a value than the limit', text: '1,2,3,4,5\n'.repeat(11), limit: 'more than 50 cells' },
    { csv: 'a field longer than any cell of Excel', text: `a,${'x'.repeat(32_768)}`, limit: 'a cell holds more than 32767 characters' },
    { csv: 'a quoted field longer than any cell of Excel', text: `"${'x'.repeat(32_767)}"""`, limit: 'a cell holds more than 32767 characters' },
  ])('refuses $csv as file.too_large, saying which limit', ({ text, limit }) => {
    expect(() => readCsv(Buffer.from(text, 'utf8'), 'S', LIMITS)).toThrow(expect.objectContaining({ code: 'file.too_large', message: expect.stringContaining(limit) }));
  });

  it.each([
    { csv: '100 rows, blank ones included', text: `${'\n'.repeat(99)}x` },
    { csv: '10 columns, blank ones included', text: `${','.repeat(9)}x` },
    { csv: 'blank records past the row limit, as Excel saves a formatted range', text: `x${'\n,,,'.repeat(500)}` },
    { csv: 'blank fields past the column limit', text: `x${','.repeat(500)}` },
    { csv: '50 cells', text: '1,2,3,4,5\n'.repeat(10) },
    { csv: 'a field as long as a cell of Excel may be', text: 'x'.repeat(32_767) },
  ])('takes $csv, at the limits', ({ text }) => {
    expect(readCsv(Buffer.from(text, 'utf8'), 'S', LIMITS).rows.length).toBeGreaterThan(0);
  });
});

describe('readWorkbook and a .csv file', () => {
  it('reads it as one sheet named after the file', async () => {
    const sheets = await readAllSheets(Buffer.from('指标,数值\n巴渝工匠,12\n'), {}, { fileName: 'incoming/science/科技局 11月.CSV' });

    expect(sheets.map((sheet) => [sheet.name, sheet.rows.length])).toEqual([['科技局 11月', 2]]);
  });

  it('refuses the same text under another name: only a .csv name says it is a table', async () => {
    await expect(readAllSheets(Buffer.from('指标,数值\n巴渝工匠,12\n'), {}, { fileName: 'report.xlsx' })).rejects.toMatchObject({
      code: 'file.not_a_workbook',
    });
  });

  it('refuses a CSV with more cells than the limit', async () => {
    await expect(readAllSheets(Buffer.from('1,2,3\n4,5,6\n'), { maxCells: 5 }, { fileName: 'a.csv' })).rejects.toMatchObject({ code: 'file.too_large' });
  });
});
