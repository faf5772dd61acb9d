import { posix } from 'node:path';
import { columnNumber } from '../../shared/workbook/sheet.js';
import { entryText, packZip } from '../../shared/workbook/zip.js';
import { deflated, storedEntries } from './build.js';

/**
 * A workbook written by exceljs, re-encoded the way another writer saves the same content: each change is one the
 * Open Packaging Conventions or SpreadsheetML allow and some office suite or online service makes.
 */

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A part's new name and text; undefined keeps it as stored. */
type PartEdit = (name: string, text: string) => { name?: string; text?: string } | undefined;

/** The zip with its parts edited one by one, in the order stored; a part left alone is kept byte for byte. */
export function editParts(bytes: Uint8Array, edit: PartEdit): Uint8Array {
  return packZip(
    storedEntries(bytes).map((entry) => {
      const text = entryText(entry);
      const change = edit(entry.name, text);
      if (change === undefined) return entry;
      return deflated(change.name ?? entry.name, Buffer.from(change.text ?? text, 'utf8'));
    }),
  );
}

function isSpreadsheetPart(name: string, text: string): boolean {
  return name.endsWith('.xml') && text.includes(`xmlns="${MAIN}"`);
}

/**
 * SpreadsheetML's elements written with a namespace prefix, as online suites (Tencent Docs among them) export:
 * `<x:worksheet xmlns:x="…">`, `<x:c>`. `only` limits it to the parts whose names it matches.
 */
export function withPrefixedNamespace(bytes: Uint8Array, prefix = 'x', only: RegExp = /./): Uint8Array {
  return editParts(bytes, (name, text) => {
    if (!only.test(name) || !isSpreadsheetPart(name, text)) return undefined;
    const prefixed = text
      .replace(/<(\/?)([A-Za-z_][\w.-]*)(?=[\s/>])/g, (_, slash: string, local: string) => `<${slash}${prefix}:${local}`)
      .replace(`xmlns="${MAIN}"`, `xmlns:${prefix}="${MAIN}"`);
    return { text: prefixed };
  });
}

/** The relationships part of a part, as OPC places it. */
function relationshipsOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

/** The part a relationships part belongs to: `xl/_rels/workbook.xml.rels` is `xl/workbook.xml`'s. */
function sourceOf(relationshipsPart: string): string {
  return posix.join(posix.dirname(posix.dirname(relationshipsPart)), posix.basename(relationshipsPart, '.rels'));
}

/**
 * Parts moved to new names, every relationship to them rewritten with an absolute target (`/xl/…`), as some
 * writers always write them, and the content types moved along: `renames` maps old part names to new ones.
 */
export function withPartsRenamed(bytes: Uint8Array, renames: Readonly<Record<string, string>> = {}): Uint8Array {
  const renamed = (name: string) => renames[name] ?? name;
  return editParts(bytes, (name, text) => {
    if (name === '[Content_Types].xml') return { text: text.replace(/PartName="\/([^"]*)"/g, (_, part: string) => `PartName="/${renamed(part)}"`) };
    if (!name.endsWith('.rels')) return renames[name] === undefined ? undefined : { name: renamed(name) };
    const source = name === '_rels/.rels' ? '' : sourceOf(name);
    const absolute = text.replace(/Target="([^"]*)"/g, (whole, target: string) => {
      if (/^[a-z]+:/i.test(target)) return whole;
      const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(posix.dirname(source || '.'), target));
      return `Target="/${renamed(resolved)}"`;
    });
    return { name: source === '' ? name : relationshipsOf(renamed(source)), text: absolute };
  });
}

/**
 * Cells and rows without their optional `r` attribute wherever their place follows from the one before, as a
 * writer that omits references writes them: a row right after the last, a cell right of the last.
 */
export function withoutReferences(bytes: Uint8Array): Uint8Array {
  const letters = (reference: string) => /^[A-Z]+/.exec(reference)?.[0] ?? '';
  return editParts(bytes, (name, text) => {
    if (!name.startsWith('xl/worksheets/') || !name.endsWith('.xml')) return undefined;
    let row = 0;
    let column = 0;
    const implied = text.replace(/<(c|row)(\s[^>]*?)?\sr="([^"]*)"/g, (whole, element: string, before: string | undefined, reference: string) => {
      const place = element === 'row' ? Number(reference) : columnNumber(letters(reference));
      const follows = place === (element === 'row' ? row : column) + 1;
      if (element === 'row') [row, column] = [place, 0];
      else column = place;
      return follows ? `<${element}${before ?? ''}` : whole;
    });
    return { text: implied };
  });
}

/** The first worksheet's XML changed by `change`, as a writer would lay out the same sheet. */
export function withSheetXml(bytes: Uint8Array, change: (xml: string) => string): Uint8Array {
  return editParts(bytes, (name, text) => (name === 'xl/worksheets/sheet1.xml' ? { text: change(text) } : undefined));
}
