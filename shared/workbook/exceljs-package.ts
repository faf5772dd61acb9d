import { inflateRawSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { deflatedEntry, packZip, storedData, zipEntries, type PackedEntry, type ZipEntry } from './zip.js';
import { cellAddress, columnNumber } from './sheet.js';
import { SPREADSHEET_NAMESPACES } from './xml.js';

/**
 * The package as exceljs can open it whole, for the annotated copy. exceljs matches elements by their written names
 * and places cells by their references, so a part whose SpreadsheetML elements carry a prefix (`<x:c>`, as online
 * suites export) is written again with SpreadsheetML as its default namespace, and a worksheet whose rows or cells
 * leave out their references gets the ones their order implies. The same XML, the same cells; parts needing neither
 * are kept byte for byte.
 */

const PREFIX_DECLARATION = /\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g;

/** Whether the part declares a prefix for SpreadsheetML's namespace. */
function declaresPrefix(xml: string): boolean {
  return [...xml.matchAll(PREFIX_DECLARATION)].some((match) => SPREADSHEET_NAMESPACES.has(match[2] ?? ''));
}

/** A row or cell start tag without an `r` attribute. */
const UNREFERENCED = /<(?:[A-Za-z_][\w.-]*:)?(?:c|row)(?=[\s/>])(?:(?!\sr\s*=)[^>])*>/;

/** Where the parser is in a worksheet's rows, to give a row or cell the reference its order implies. */
interface Place {
  row: number;
  column: number;
}

/** The `r` a row or cell leaves out, as the reader places it (worksheet.ts); undefined when it has one, or is neither. */
function impliedReference(local: string | undefined, written: string | undefined, place: Place): string | undefined {
  if (local === 'row') {
    const number = Number(written);
    place.row = written !== undefined && Number.isInteger(number) && number > 0 ? number : place.row + 1;
    place.column = 0;
    return written === undefined ? String(place.row) : undefined;
  }
  if (local !== 'c') return undefined;
  const letters = written === undefined ? undefined : /^\s*\$?([A-Za-z]{1,3})\$?\d+\s*$/.exec(written)?.[1];
  place.column = letters === undefined ? place.column + 1 : columnNumber(letters);
  return written === undefined ? cellAddress(place.row, place.column) : undefined;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

/**
 * The part's XML with SpreadsheetML unprefixed and every row and cell referenced; undefined when unprefixing would
 * clash with a default namespace of its own.
 */
function openableXml(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'];
  const place: Place = { row: 0, column: 0 };
  let clash = false;
  const spreadsheetLocal = (element: { uri: string; local: string }) => (SPREADSHEET_NAMESPACES.has(element.uri) ? element.local : undefined);
  const nameOf = (element: { uri: string; local: string; name: string }) => spreadsheetLocal(element) ?? element.name;
  parser.on('opentag', (element) => {
    const attributes = Object.values(element.attributes).map(({ name, prefix, value }) => {
      if (prefix === 'xmlns' && SPREADSHEET_NAMESPACES.has(value)) return ` xmlns="${escapeAttribute(value)}"`;
      if (name === 'xmlns' && !SPREADSHEET_NAMESPACES.has(value)) clash = true;
      return ` ${name}="${escapeAttribute(value)}"`;
    });
    const reference = impliedReference(spreadsheetLocal(element), element.attributes.r?.value, place);
    if (reference !== undefined) attributes.unshift(` r="${reference}"`);
    out.push(`<${nameOf(element)}${attributes.join('')}${element.isSelfClosing ? '/>' : '>'}`);
  });
  parser.on('closetag', (element) => {
    if (!element.isSelfClosing) out.push(`</${nameOf(element)}>`);
  });
  parser.on('text', (text) => out.push(escapeText(text)));
  parser.on('cdata', (text) => out.push(escapeText(text)));
  parser.write(xml).close();
  return clash ? undefined : out.join('');
}

function partText(bytes: Buffer, entry: ZipEntry): string {
  const data = storedData(bytes, entry);
  return (entry.method === 0 ? data : inflateRawSync(data)).toString('utf8');
}

/** The package with every XML part that prefixes SpreadsheetML or leaves out references written again; the same bytes when none does. */
export function openableByExceljs(bytes: Uint8Array): Uint8Array {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let changed = false;
  const entries = zipEntries(zip).map((entry): PackedEntry => {
    const stored: PackedEntry = { name: entry.name, method: entry.method, crc: entry.crc, uncompressedSize: entry.uncompressedSize, data: storedData(zip, entry) };
    if (!entry.name.toLowerCase().endsWith('.xml')) return stored;
    const xml = partText(zip, entry);
    const openable = declaresPrefix(xml) || UNREFERENCED.test(xml) ? openableXml(xml) : undefined;
    if (openable === undefined) return stored;
    changed = true;
    return deflatedEntry(entry.name, Buffer.from(openable, 'utf8'));
  });
  return changed ? packZip(entries) : bytes;
}
