import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { WorkbookFormatError } from '../../shared/problem.js';
import type { ReadLimits } from '../../shared/workbook/read.js';
import type { WorkbookSheet } from '../../shared/workbook/sheet.js';
import { packZip, storedData, zipEntries } from '../../shared/workbook/zip.js';
import { cellsOf, excelStyleWorkbook, readAllSheets, zipOf } from './workbook-fixtures.js';

async function written(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function cellIn(sheets: readonly WorkbookSheet[], sheet: string, address: string) {
  return sheets.find((s) => s.name === sheet)?.rows.flat().find((cell) => cell.address === address);
}

async function formatErrorOf(bytes: Uint8Array, limits?: Partial<ReadLimits>): Promise<WorkbookFormatError> {
  const error: unknown = await readAllSheets(bytes, limits).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof WorkbookFormatError)) throw new Error(`expected a WorkbookFormatError, got ${String(error)}`);
  return error;
}

/** Rewrites every occurrence of `from` in the bytes with `to`, of the same length. */
function patched(bytes: Uint8Array, from: string, to: string): Buffer {
  const copy = Buffer.from(bytes);
  for (let at = copy.indexOf(from); at !== -1; at = copy.indexOf(from, at + 1)) copy.write(to, at, 'latin1');
  return copy;
}

describe('readWorkbook', () => {
  it('returns every sheet by name, with non-empty cells by address, row and column', async () => {
    const bytes = await written((workbook) => {
      workbook.addWorksheet('填报 Data').addRows([['指标', '数值'], [], ['巴渝工匠', 12]]);
      workbook.addWorksheet('说明').getCell('B2').value = 'notes';
    });

    const sheets = await readAllSheets(bytes);

    expect(sheets.map((sheet) => sheet.name)).toEqual(['填报 Data', '说明']);
    expect(sheets[0]?.rows).toEqual([
      [
        { address: 'A1', row: 1, column: 1, value: '指标' },
        { address: 'B1', row: 1, column: 2, value: '数值' },
      ],
      [
        { address: 'A3', row: 3, column: 1, value: '巴渝工匠' },
        { address: 'B3', row: 3, column: 2, value: 12 },
      ],
    ]);
    expect(sheets[1]?.rows).toEqual([[{ address: 'B2', row: 2, column: 2, value: 'notes' }]]);
  });

  it('marks hidden and very hidden sheets, which the clerk cannot see', async () => {
    const bytes = await written((workbook) => {
      workbook.addWorksheet('填报').addRow([1]);
      workbook.addWorksheet('旧表', { state: 'hidden' }).addRow([2]);
      workbook.addWorksheet('代码', { state: 'veryHidden' }).addRow([3]);
    });

    const sheets = await readAllSheets(bytes);

    expect(sheets.map(({ name, hidden }) => ({ name, hidden }))).toEqual([
      { name: '填报', hidden: undefined },
      { name: '旧表', hidden: true },
      { name: '代码', hidden: true },
    ]);
  });

  it('takes the cached result of formulas and shared formulas, including a result of 0', async () => {
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = { formula: '1+1', result: 2 };
      sheet.getCell('B1').value = { formula: 'B2-B2', result: 0 };
      sheet.getCell('C1').value = { formula: '"a"&"b"', result: 'ab' };
      // The typings leave out how exceljs marks the master of a shared formula.
      const master: ExcelJS.CellFormulaValue & { shareType: string; ref: string } = { formula: 'A1*3', result: 6, shareType: 'shared', ref: 'A2:A3' };
      sheet.getCell('A2').value = master;
      sheet.getCell('A3').value = { sharedFormula: 'A2', result: 9 };
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, 'S', 'A1')?.value).toBe(2);
    expect(cellIn(sheets, 'S', 'B1')?.value).toBe(0);
    expect(cellIn(sheets, 'S', 'C1')?.value).toBe('ab');
    expect(cellIn(sheets, 'S', 'A2')?.value).toBe(6);
    expect(cellIn(sheets, 'S', 'A3')?.value).toBe(9);
  });

  it('marks a formula saved without a result, and keeps error values', async () => {
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = { formula: 'SUM(B1:B9)' };
      sheet.getCell('B1').value = { error: '#N/A' };
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, 'S', 'A1')?.value).toEqual({ formula: 'SUM(B1:B9)' });
    expect(cellIn(sheets, 'S', 'B1')?.value).toEqual({ error: '#N/A' });
  });

  it('joins rich text and takes the text of hyperlinks', async () => {
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = { richText: [{ text: '技术合同' }, { text: '成交额', font: { bold: true } }] };
      sheet.getCell('A2').value = { text: '科技局', hyperlink: 'https://example.org' };
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, 'S', 'A1')?.value).toBe('技术合同成交额');
    expect(cellIn(sheets, 'S', 'A2')?.value).toBe('科技局');
  });

  it('resolves shared strings to their text, also when they come after the sheet as Excel writes them', async () => {
    const bytes = excelStyleWorkbook({
      sharedStrings: ['巴渝工匠', '是'],
      sheetData: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>0</v></c></row>',
    });

    const sheets = await readAllSheets(bytes);

    expect(sheets).toEqual([
      {
        name: '报表',
        rows: [
          [
            { address: 'A1', row: 1, column: 1, value: '巴渝工匠' },
            { address: 'B1', row: 1, column: 2, value: '是' },
            { address: 'C1', row: 1, column: 3, value: '巴渝工匠' },
          ],
        ],
      },
    ]);
  });

  it('reads the shared strings and number formats of a workbook ordered as Excel writes it, every time', async () => {
    const bytes = excelStyleWorkbook({
      sharedStrings: ['整体研发投入强度'],
      sheetData: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>0.0215</v></c><c r="C1" s="1"><v>46327</v></c></row>',
    });

    // One read after another, as the lost parts were seen: in a few reads out of a hundred.
    const reads: WorkbookSheet[][] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) reads.push(await readAllSheets(bytes));

    const distinct = new Set(reads.map((sheets) => JSON.stringify(sheets)));
    expect([...distinct].map((json) => JSON.parse(json) as unknown)).toEqual([
      [
        {
          name: '报表',
          rows: [
            [
              { address: 'A1', row: 1, column: 1, value: '整体研发投入强度' },
              { address: 'B1', row: 1, column: 2, value: 0.0215, numFmt: '0%' },
              { address: 'C1', row: 1, column: 3, value: '2026-11-01T00:00:00.000Z', numFmt: 'yyyy-mm' },
            ],
          ],
        },
      ],
    ]);
  });

  it('keeps the number format, so a percent-formatted 0.92 can be told from a plain one', async () => {
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = 0.92;
      sheet.getCell('A1').numFmt = '0%';
      sheet.getCell('A2').value = 0.925;
      sheet.getCell('A2').numFmt = '0.00%';
      sheet.getCell('A3').value = 0.92;
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, 'S', 'A1')).toEqual({ address: 'A1', row: 1, column: 1, value: 0.92, numFmt: '0%' });
    expect(cellIn(sheets, 'S', 'A2')).toEqual({ address: 'A2', row: 2, column: 1, value: 0.925, numFmt: '0.00%' });
    expect(cellIn(sheets, 'S', 'A3')).toEqual({ address: 'A3', row: 3, column: 1, value: 0.92 });
  });

  it('reads date cells, and date-formatted formula results, as dates', async () => {
    const november = new Date(Date.UTC(2026, 10, 1));
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = november;
      sheet.getCell('A1').numFmt = 'yyyy-mm';
      sheet.getCell('A2').value = { formula: 'DATE(2026,11,1)', result: november };
      sheet.getCell('A2').numFmt = 'yyyy"年"m"月"';
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, 'S', 'A1')?.value).toEqual(november);
    expect(cellIn(sheets, 'S', 'A2')?.value).toEqual(november);
  });

  it.each([
    { system: '1900', date1904: false, expected: '2026-11-01' },
    { system: '1904', date1904: true, expected: '2030-11-02' },
  ])('reads serial 46327 in the $system date system as $expected', async ({ date1904, expected }) => {
    const bytes = excelStyleWorkbook({
      date1904,
      sheetData: '<row r="1"><c r="A1" s="1"><v>46327</v></c><c r="B1" s="1"><f>A1</f><v>46327</v></c></row>',
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, '报表', 'A1')?.value).toEqual(new Date(`${expected}T00:00:00Z`));
    expect(cellIn(sheets, '报表', 'B1')?.value).toEqual(new Date(`${expected}T00:00:00Z`));
  });

  it('reads a date written by a 1904-system workbook as the date it shows', async () => {
    const november = new Date(Date.UTC(2026, 10, 1));
    const bytes = await written((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = november;
      sheet.getCell('A1').numFmt = 'yyyy-mm';
      sheet.getCell('A2').value = { formula: 'A1', result: november };
      sheet.getCell('A2').numFmt = 'yyyy-mm';
    });

    const sheets = await readAllSheets(bytes);

    expect(cellIn(sheets, 'S', 'A1')?.value).toEqual(november);
    expect(cellIn(sheets, 'S', 'A2')?.value).toEqual(november);
  });

  it('reads inline strings, booleans, and cached errors with their text', async () => {
    const bytes = excelStyleWorkbook({
      sheetData:
        '<row r="1"><c r="A1" t="inlineStr"><is><t>填报人：张三</t></is></c><c r="B1" t="b"><v>1</v></c>' +
        '<c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D1" t="e"><v>#N/A</v></c></row>',
    });

    const sheets = await readAllSheets(bytes);

    expect(sheets[0]?.rows[0]?.map((cell) => cell.value)).toEqual(['填报人：张三', true, { error: '#DIV/0!' }, { error: '#N/A' }]);
  });

  it('gives a merged title to its first cell only', async () => {
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.mergeCells('A1:F1');
      sheet.getCell('A1').value = '大足区科技局2026年11月科技创新指标报表';
      sheet.getCell('A2').value = '填报月份';
    });

    const sheets = await readAllSheets(bytes);

    expect(sheets[0]?.rows[0]).toEqual([{ address: 'A1', row: 1, column: 1, value: '大足区科技局2026年11月科技创新指标报表' }]);
  });
});

describe('a cell as its part stores it', () => {
  it.each([
    { stored: '<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>', value: { error: '#DIV/0!' } },
    { stored: '<c r="A1"><f>B1*2</f></c>', value: { formula: 'B1*2' } },
    { stored: '<c r="A1" t="str"><f>B1</f><v>巴渝工匠</v></c>', value: '巴渝工匠' },
    { stored: '<c r="A1" t="b"><v>1</v></c>', value: true },
    { stored: '<c r="A1" t="s"><v>1</v></c>', value: '科技特派员' },
    { stored: '<c r="A1" t="inlineStr"><is><r><t>巴渝</t></r><r><t>工匠</t></r></is></c>', value: '巴渝工匠' },
  ])('reads $stored as $value', ({ stored, value }) => {
    expect(cellsOf(stored, { strings: ['巴渝工匠', '科技特派员'] }).map((cell) => cell.value)).toEqual([value]);
  });

  it.each([
    { stored: '<c r="A1" s="1"/>', why: 'a styled cell with no value' },
    { stored: '<c r="A1" t="s"><v>0</v></c>', why: 'an empty shared string' },
    { stored: '<c r="A1" t="inlineStr"><is><t></t></is></c>', why: 'an empty inline string' },
    { stored: '<c r="A1" t="str"><f>B1&amp;""</f><v></v></c>', why: 'a formula whose result is empty text' },
  ])('reads $why as no cell at all', ({ stored }) => {
    expect(cellsOf(stored, { strings: [''] })).toEqual([]);
  });

  it('places cells written without a reference by their order, after the last one that has one', () => {
    const cells = cellsOf('<c><v>1</v></c><c r="C1"><v>3</v></c><c><v>4</v></c>').map(({ address, value }) => ({ address, value }));

    expect(cells).toEqual([
      { address: 'A1', value: 1 },
      { address: 'C1', value: 3 },
      { address: 'D1', value: 4 },
    ]);
  });
});

describe('readWorkbook refuses what is not a readable workbook', () => {
  it.each([
    { file: 'no bytes at all', bytes: new Uint8Array(), code: 'file.empty' },
    { file: 'a PDF', bytes: Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'), code: 'file.not_a_workbook' },
    { file: 'a plain text file', bytes: Buffer.from('指标,数值\n巴渝工匠,12\n', 'utf8'), code: 'file.not_a_workbook' },
    { file: 'random bytes', bytes: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251), code: 'file.not_a_workbook' },
    { file: 'a zip without a workbook in it', bytes: zipOf({ 'word/document.xml': '<w:document/>' }), code: 'file.not_a_workbook' },
    {
      file: 'an Excel 97-2003 .xls file',
      bytes: Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.from('Workbook', 'utf16le'), Buffer.alloc(512)]),
      code: 'file.legacy_xls',
    },
    {
      file: 'a password-protected workbook',
      bytes: Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.from('EncryptionInfo EncryptedPackage', 'utf16le'), Buffer.alloc(512)]),
      code: 'file.password_protected',
    },
  ])('$file → $code', async ({ bytes, code }) => {
    const error = await formatErrorOf(bytes);

    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\p{Script=Han}.+ \/ The /u);
  });

  it('refuses a truncated file as corrupt', async () => {
    const bytes = await written((workbook) => workbook.addWorksheet('S').addRow(['巴渝工匠', 12]));

    expect((await formatErrorOf(bytes.subarray(0, Math.floor(bytes.length * 0.6)))).code).toBe('file.corrupt');
  });

  it('refuses a file with damaged bytes as corrupt, wherever the damage is, without hanging', async () => {
    const bytes = await written((workbook) => {
      const sheet = workbook.addWorksheet('S');
      for (let row = 1; row <= 200; row += 1) sheet.addRow([`第 ${row} 行`, row, { formula: `B${row}*2`, result: row * 2 }]);
    });
    const damagedAt = [0.1, 0.3, 0.5, 0.7, 0.9].map((fraction) => Math.floor(bytes.length * fraction));

    const codes = await Promise.all(
      damagedAt.map(async (at) => {
        const damaged = Buffer.from(bytes);
        for (let i = at; i < at + 16; i += 1) damaged[i] = (damaged[i] ?? 0) ^ 0x5a;
        return (await formatErrorOf(damaged)).code;
      }),
    );

    expect(codes).toEqual(['file.corrupt', 'file.corrupt', 'file.corrupt', 'file.corrupt', 'file.corrupt']);
  });

  it('refuses a workbook whose sheet is not well-formed XML as corrupt', async () => {
    const bytes = excelStyleWorkbook({ sheetData: '<row r="1"><c r="A1"><v>1</v></c>' });

    const error = await formatErrorOf(bytes);

    expect(error.code).toBe('file.corrupt');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses a zip bomb from the sizes it declares, before inflating anything', async () => {
    const bytes = Buffer.from(await written((workbook) => workbook.addWorksheet('S').addRow([1])));
    // The name's last occurrence is in the central directory entry, 46 bytes after its start.
    const directoryEntry = bytes.lastIndexOf('xl/worksheets/sheet1.xml') - 46;
    bytes.writeUInt32LE(2 ** 31, directoryEntry + 24);

    expect(zipEntries(bytes).find((entry) => entry.name === 'xl/worksheets/sheet1.xml')?.uncompressedSize).toBe(2 ** 31);
    expect((await formatErrorOf(bytes)).code).toBe('file.too_large');
  });

  it.each([
    { lie: 'understates its size, as a zip bomb would', declared: (size: number) => ({ uncompressedSize: Math.floor(size / 4) }) },
    { lie: 'overstates its size', declared: (size: number) => ({ uncompressedSize: size + 1 }) },
    { lie: 'gives another checksum', declared: (_size: number, crc: number) => ({ crc: (crc + 1) >>> 0 }) },
  ])('refuses as corrupt a sheet that $lie, found by inflating it', async ({ declared }) => {
    const rows = Array.from({ length: 2000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const honest = Buffer.from(excelStyleWorkbook({ sheetData: rows }));
    const entries = zipEntries(honest).map((entry) => ({ ...entry, data: storedData(honest, entry) }));
    const lying = packZip(
      entries.map((entry) => (entry.name === 'xl/worksheets/sheet1.xml' ? { ...entry, ...declared(entry.uncompressedSize, entry.crc) } : entry)),
    );

    expect((await formatErrorOf(lying)).code).toBe('file.corrupt');
  });

  it('counts only rows that hold a value against the row limit: formatted empty rows far down are no part of the table', async () => {
    const bytes = excelStyleWorkbook({
      sheetData: '<row r="1"><c r="A1"><v>1</v></c></row><row r="500" s="1" customFormat="1"><c r="A500" s="1"/></row>',
    });

    const sheets = await readAllSheets(bytes, { maxRows: 100 });

    expect(sheets[0]?.rows).toEqual([[{ address: 'A1', row: 1, column: 1, value: 1 }]]);
  });

  it('refuses a workbook with more cells than the limit', async () => {
    const bytes = await written((workbook) => workbook.addWorksheet('S').addRows([[1, 2, 3], [4, 5, 6]]));

    const error = await formatErrorOf(bytes, { maxUncompressedBytes: 2 ** 20, maxCells: 5 });

    expect(error.code).toBe('file.too_large');
    expect(error.message).toContain('5');
  });

  it('refuses a workbook that unpacks to more than the limit', async () => {
    const bytes = await written((workbook) => workbook.addWorksheet('S').addRow(['x'.repeat(10_000)]));

    expect((await formatErrorOf(bytes, { maxUncompressedBytes: 5_000, maxCells: 10 })).code).toBe('file.too_large');
  });

  it.each([
    { limit: 'rows', limits: { maxRows: 100 }, cell: 'A101', detail: '100 行' },
    { limit: 'columns', limits: { maxColumns: 20 }, cell: 'U1', detail: '20 列' },
  ])('refuses a sheet past the limit of $limit, saying which', async ({ limits, cell, detail }) => {
    const bytes = await written((workbook) => {
      workbook.addWorksheet('S').getCell(cell).value = 1;
    });

    const error = await formatErrorOf(bytes, limits);

    expect(error.code).toBe('file.too_large');
    expect(error.message).toContain(detail);
  });

  it('says which PDF it was given', async () => {
    expect((await formatErrorOf(Buffer.from('%PDF-1.4\n', 'latin1'))).message).toContain('这是 PDF 文件');
  });

  it('refuses a zip that is not a workbook even when a file is renamed to look like one', async () => {
    const bytes = await written((workbook) => workbook.addWorksheet('S').addRow([1]));

    expect((await formatErrorOf(patched(bytes, 'xl/workbook.xml', 'xl/workbook.xmz'))).code).toBe('file.not_a_workbook');
  });
});
