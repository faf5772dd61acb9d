import { inflateRawSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { deflatedEntry, packZip, storedData, zipEntries, type PackedEntry, type ZipEntry } from './zip.js';
import { SPREADSHEET_NAMESPACES } from './xml.js';

/**
 * The package as exceljs can open it whole, for the annotated copy: exceljs matches elements by their written names,
 * so a part whose SpreadsheetML elements carry a prefix (`<x:c>`, as online suites export) is written again with
 * SpreadsheetML as its default namespace. The same XML, the same cells; parts already so are kept byte for byte.
 */

const PREFIX_DECLARATION = /\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g;

/** Whether the part declares a prefix for SpreadsheetML's namespace. */
function declaresPrefix(xml: string): boolean {
  return [...xml.matchAll(PREFIX_DECLARATION)].some((match) => SPREADSHEET_NAMESPACES.has(match[2] ?? ''));
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

/** The part's XML with SpreadsheetML unprefixed; undefined when that would clash with a default namespace of its own. */
function unprefixedXml(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'];
  let clash = false;
  const nameOf = (element: { uri: string; local: string; name: string }) => (SPREADSHEET_NAMESPACES.has(element.uri) ? element.local : element.name);
  parser.on('opentag', (element) => {
    const attributes = Object.values(element.attributes).map(({ name, prefix, value }) => {
      if (prefix === 'xmlns' && SPREADSHEET_NAMESPACES.has(value)) return ` xmlns="${escapeAttribute(value)}"`;
      if (name === 'xmlns' && !SPREADSHEET_NAMESPACES.has(value)) clash = true;
      return ` ${name}="${escapeAttribute(value)}"`;
    });
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

/** The package with SpreadsheetML unprefixed in every XML part that prefixes it; the same bytes when none does. */
export function withSpreadsheetUnprefixed(bytes: Uint8Array): Uint8Array {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let changed = false;
  const entries = zipEntries(zip).map((entry): PackedEntry => {
    const stored: PackedEntry = { name: entry.name, method: entry.method, crc: entry.crc, uncompressedSize: entry.uncompressedSize, data: storedData(zip, entry) };
    if (!entry.name.toLowerCase().endsWith('.xml')) return stored;
    const xml = partText(zip, entry);
    const unprefixed = declaresPrefix(xml) ? unprefixedXml(xml) : undefined;
    if (unprefixed === undefined) return stored;
    changed = true;
    return deflatedEntry(entry.name, Buffer.from(unprefixed, 'utf8'));
  });
  return changed ? packZip(entries) : bytes;
}
