import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { deflatedEntry, packedEntries, packZip, zipEntries, type PackedEntry } from '../../shared/workbook/zip.js';

/** Ways to write a corpus workbook: by exceljs, as a clerk's Excel would save it, or by hand for what Excel never writes. */

export type Rows = readonly (readonly ExcelJS.CellValue[])[];

/** A workbook written by exceljs after `build` has laid it out. */
export async function workbook(build: (book: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  build(book);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A sheet of plain rows, row 1 first; undefined leaves a cell empty. */
export function addSheet(book: ExcelJS.Workbook, name: string, rows: Rows): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(name);
  rows.forEach((row, index) => {
    sheet.getRow(index + 1).values = [...row];
  });
  return sheet;
}

/** A one-sheet workbook of plain rows. */
export function sheetWorkbook(rows: Rows, name = '报表'): Promise<Uint8Array> {
  return workbook((book) => addSheet(book, name, rows));
}

/** An entry stored uncompressed, as OpenDocument requires of its mimetype entry. */
export function stored(name: string, content: Buffer): PackedEntry {
  return { name, method: 0, crc: crc32(content), uncompressedSize: content.length, data: content };
}

/** An entry of the given content, deflated (zip.ts's deflatedEntry), to be packed with others. */
export const deflated = deflatedEntry;

/** The entries of a zip as they are stored, to be packed again with a change. */
export function storedEntries(bytes: Uint8Array): PackedEntry[] {
  const buffer = Buffer.from(bytes);
  return packedEntries(buffer, zipEntries(buffer));
}

/** The workbook's zip with one more entry, as Excel adds a macro project to an .xlsm. */
export function withEntry(bytes: Uint8Array, name: string, content: Buffer): Uint8Array {
  return packZip([...storedEntries(bytes), deflated(name, content)]);
}

/**
 * A real workbook whose sheet XML, tens of megabytes of repeated rows, deflates to a few hundred kilobytes:
 * only the sizes the zip declares can refuse it before the sheet is read.
 */
export async function zipBomb(unpackedBytes: number): Promise<Uint8Array> {
  const bytes = await sheetWorkbook([['指标', '数值']]);
  const row = Buffer.from('<row><c t="inlineStr"><is><t>巴渝工匠</t></is></c><c><v>12</v></c></row>');
  const rows = Buffer.alloc(unpackedBytes, row);
  const sheet = Buffer.concat([Buffer.from('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'), rows, Buffer.from('</sheetData></worksheet>')]);
  return packZip(storedEntries(bytes).map((entry) => (entry.name === 'xl/worksheets/sheet1.xml' ? deflated(entry.name, sheet) : entry)));
}

/** An OLE compound file as Excel 97-2003 writes it, or as Office writes a password-protected workbook. */
export function compoundFile(stream: 'Workbook' | 'EncryptedPackage'): Uint8Array {
  return Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.from(stream, 'utf16le'), Buffer.alloc(512)]);
}
