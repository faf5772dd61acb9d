import { describe, expect, it } from 'vitest';
import { openableByExceljs } from '../../shared/workbook/exceljs-package.js';
import { entryText, storedData, zipEntries } from '../../shared/workbook/zip.js';
import { filledTemplate } from '../office/filled-template.js';
import { sheetWorkbook } from '../corpus/build.js';
import { withoutReferences, withPrefixedNamespace } from '../corpus/writers.js';
import { readAllSheets } from './workbook-fixtures.js';

function partXml(bytes: Uint8Array, name: string): string {
  const zip = Buffer.from(bytes);
  const entry = zipEntries(zip).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no part ${name}`);
  return entryText({ method: entry.method, data: storedData(zip, entry) });
}

describe('the package written again as exceljs can open it whole', () => {
  it('holds the same sheets and cells as the prefixed package it came from', async () => {
    const prefixed = withPrefixedNamespace(await filledTemplate({ period: '2026-11' }));

    const unprefixed = openableByExceljs(prefixed);

    expect(partXml(prefixed, 'xl/worksheets/sheet1.xml')).toContain('<x:c ');
    expect(partXml(unprefixed, 'xl/worksheets/sheet1.xml')).not.toMatch(/<\/?x:/);
    expect(partXml(unprefixed, 'xl/worksheets/sheet1.xml')).toContain('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"');
    const sheets = await readAllSheets(prefixed);
    expect(sheets.flatMap((sheet) => sheet.rows.flat()).length).toBeGreaterThan(50);
    expect(await readAllSheets(unprefixed)).toEqual(sheets);
  });

  it('keeps other namespaces as written, and text that needs escaping', async () => {
    const prefixed = withPrefixedNamespace(await sheetWorkbook([['指标', '说明'], ['R&D <投入> "强度"', '=1']]));

    const unprefixed = openableByExceljs(prefixed);

    const sheet = partXml(unprefixed, 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain('xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"');
    expect(sheet).toContain('mc:Ignorable="x14ac"');
    expect(partXml(unprefixed, 'xl/workbook.xml')).toMatch(/<sheet [^>]*r:id="rId\d+"/);
    expect((await readAllSheets(unprefixed)).flatMap((read) => read.rows.flat().map((cell) => cell.value))).toEqual(['指标', '说明', 'R&D <投入> "强度"', '=1']);
  });

  it('gives rows and cells written without references the ones their order implies', async () => {
    const unreferenced = withoutReferences(await filledTemplate({ period: '2026-11' }));

    const openable = openableByExceljs(unreferenced);

    const sheet = partXml(openable, 'xl/worksheets/sheet1.xml');
    expect(partXml(unreferenced, 'xl/worksheets/sheet1.xml')).toMatch(/<c [^>]*s=/);
    expect(sheet).not.toMatch(/<(c|row)(?![^>]*\sr=)[\s>]/);
    const sheets = await readAllSheets(unreferenced);
    expect(sheets.flatMap((sheet) => sheet.rows.flat()).length).toBeGreaterThan(50);
    expect(await readAllSheets(openable)).toEqual(sheets);
  });

  it('returns the very bytes of a package that prefixes nothing and references every cell', async () => {
    const bytes = await filledTemplate({ period: '2026-11' });

    expect(openableByExceljs(bytes)).toBe(bytes);
  });
});
