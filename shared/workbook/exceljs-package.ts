import { SaxesParser } from 'saxes';
import { cellAddress } from './sheet.js';
import { CellPlaces } from './worksheet.js';
import { plainAttribute, spreadsheetName, SPREADSHEET_NAMESPACES, type XmlElement } from './xml.js';
import { deflatedEntry, entryText, packZip, packedEntries, zipEntries, type PackedEntry } from './zip.js';

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

/** The `r` a row or cell leaves out, placed as the reader places it (CellPlaces); undefined when it has one, or is neither. */
function impliedReference(local: string | undefined, written: string | undefined, places: CellPlaces): string | undefined {
  if (local === 'row') {
    const row = places.openRow(written);
    return written === undefined ? String(row) : undefined;
  }
  if (local !== 'c') return undefined;
  places.openCell(written);
  return written === undefined ? cellAddress(places.row, places.column) : undefined;
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
  const places = new CellPlaces();
  let clash = false;
  const nameOf = (element: XmlElement) => spreadsheetName(element) ?? element.name;
  parser.on('opentag', (element) => {
    const attributes = Object.values(element.attributes).map(({ name, prefix, value }) => {
      if (prefix === 'xmlns' && SPREADSHEET_NAMESPACES.has(value)) return ` xmlns="${escapeAttribute(value)}"`;
      if (name === 'xmlns' && !SPREADSHEET_NAMESPACES.has(value)) clash = true;
      return ` ${name}="${escapeAttribute(value)}"`;
    });
    const reference = impliedReference(spreadsheetName(element), plainAttribute(element, 'r'), places);
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

/** The package with every XML part that prefixes SpreadsheetML or leaves out references written again; the same bytes when none does. */
export function openableByExceljs(bytes: Uint8Array): Uint8Array {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let changed = false;
  const packed = packedEntries(zip, zipEntries(zip)).map((entry): PackedEntry => {
    if (!entry.name.toLowerCase().endsWith('.xml')) return entry;
    const xml = entryText(entry);
    const openable = declaresPrefix(xml) || UNREFERENCED.test(xml) ? openableXml(xml) : undefined;
    if (openable === undefined) return entry;
    changed = true;
    return deflatedEntry(entry.name, Buffer.from(openable, 'utf8'));
  });
  return changed ? packZip(packed) : bytes;
}
