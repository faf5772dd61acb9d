import ExcelJS from 'exceljs';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { fillTemplate } from '../cli/samples.js';
import { catalog } from '../shared/catalog/catalog.js';
import { buildTemplate } from '../shared/workbook/template.js';
import { packZip, storedData, zipEntries, type PackedEntry } from '../shared/workbook/zip.js';

/** The workbooks the benchmark reads, written to files so that each case is read by a process of its own. */

/**
 * The parts exceljs's streaming reader, the baseline of the reading benchmark, must meet before any sheet: it sets
 * aside a sheet that comes before the shared strings and may then lose them.
 */
const EXCELJS_READS_FIRST = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'];

function inExceljsReadingOrder<T extends { name: string }>(entries: readonly T[]): T[] {
  const rank = (entry: T) => {
    const index = EXCELJS_READS_FIRST.indexOf(entry.name);
    return index === -1 ? EXCELJS_READS_FIRST.length : index;
  };
  return [...entries].sort((a, b) => rank(a) - rank(b));
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DEFLATED = 8;

const SKELETON: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/></Types>',
  '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets><sheet name="报表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
};

function deflated(name: string, content: Buffer): PackedEntry {
  return { name, method: DEFLATED, crc: crc32(content), uncompressedSize: content.length, data: deflateRawSync(content) };
}

/**
 * A workbook of a few hundred kilobytes whose one sheet inflates to `inflatedBytes` of identical rows.
 * With `understated`, the zip claims the sheet is 1 KB, as a hostile file would, so only inflating tells.
 */
export function zipBomb(inflatedBytes: number, understated: boolean): Buffer {
  const row = Buffer.from('<row><c t="n"><v>1</v></c></row>'.repeat(2048));
  const head = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`);
  const tail = Buffer.from('</sheetData></worksheet>');
  const rows = Math.ceil(inflatedBytes / row.length);
  const sheet = Buffer.concat([head, ...Array.from({ length: rows }, () => row), tail]);
  const entry = deflated('xl/worksheets/sheet1.xml', sheet);
  const parts = Object.entries(SKELETON).map(([name, text]) => deflated(name, Buffer.from(text)));
  return packZip([...parts, understated ? { ...entry, uncompressedSize: 1024 } : entry]);
}

/** A clerk's filled-in monthly template. */
export async function normalWorkbook(): Promise<Uint8Array> {
  const figures = new Map<string, number | boolean>(
    catalog.indicatorsOf('science').map((indicator, i) => [indicator.id, indicator.kind === 'milestone' ? true : i + 1]),
  );
  return fillTemplate(await buildTemplate(catalog, 'science', '2026-11'), figures);
}

/**
 * `rows` rows of 7 columns (text, numbers, a date), streamed to `path` so that writing it stays small too, then
 * repacked with the shared strings and styles before the sheet, as the ingest hands it to exceljs: exceljs alone,
 * given exceljs's own order, would first copy the sheet to a temporary file, and the comparison would flatter the ingest.
 */
export async function largeWorkbook(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(path), useSharedStrings: true });
  const sheet = workbook.addWorksheet('明细 Detail');
  sheet.addRow(['指标', '单位', '数值', '月份', '备注', '序号', '日期']).commit();
  for (let i = 1; i <= rows; i++) {
    sheet.addRow([`指标 ${i % 500}`, '人', i * 1.5, '2026-11', i % 7 === 0 ? '注：估算' : '', i, new Date(Date.UTC(2026, 10, 1 + (i % 28)))]).commit();
  }
  sheet.commit();
  await workbook.commit();
  const bytes = readFileSync(path);
  writeFileSync(path, packZip(inExceljsReadingOrder(zipEntries(bytes).map((entry) => ({ ...entry, data: storedData(bytes, entry) })))));
}
