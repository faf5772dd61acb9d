import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { WorkbookFormatError } from '../problem.js';
import { workbookFormatError } from './problems.js';

/**
 * The XML of a workbook's parts, read as XML with namespaces: an element is known by its namespace and local name,
 * whatever prefix its writer chose (Excel writes none, online suites write `<x:c>`), as the Open Packaging
 * Conventions and SpreadsheetML define it.
 */

/** SpreadsheetML's namespace, in the transitional form every office suite writes and the strict form of ISO 29500. */
export const SPREADSHEET_NAMESPACES: ReadonlySet<string> = new Set([
  'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  'http://purl.oclc.org/ooxml/spreadsheetml/main',
]);

/** The namespace of a relationship id attribute (`r:id`), transitional and strict. */
export const RELATIONSHIP_ID_NAMESPACES: ReadonlySet<string> = new Set([
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
]);

export const PACKAGE_RELATIONSHIPS_NAMESPACE = 'http://schemas.openxmlformats.org/package/2006/relationships';

export type XmlElement = SaxesTagNS;

/** What a part's reader does with its elements and text, as they come. */
export interface XmlHandlers {
  open(element: XmlElement): void;
  close(element: XmlElement): void;
  text(text: string): void;
}

/** A parser fed a part's bytes a piece at a time; XML that is not well-formed (cut short included) is file.corrupt. */
export interface XmlReader {
  write(piece: Buffer): void;
  /** The part has ended: throws file.corrupt if an element is left open. */
  end(): void;
}

function corrupt(cause: unknown): WorkbookFormatError {
  return workbookFormatError('file.corrupt', undefined, cause);
}

/**
 * Deeper than any part an office suite writes (a worksheet nests a dozen levels at most). Each level of namespace
 * scope costs the parser a step on every lookup below it, so a part nested 100,000 deep would take minutes.
 */
export const MAX_XML_DEPTH = 256;

export function xmlReader(handlers: XmlHandlers): XmlReader {
  const parser = new SaxesParser({ xmlns: true, position: false });
  // A UTF-8 character split between two pieces is decoded once both have come.
  const decoder = new StringDecoder('utf8');
  let depth = 0;
  parser.on('opentagstart', () => {
    depth += 1;
    if (depth > MAX_XML_DEPTH) {
      throw workbookFormatError('file.corrupt', { zh: `XML 元素嵌套超过 ${MAX_XML_DEPTH} 层`, en: `its XML nests elements more than ${MAX_XML_DEPTH} deep` });
    }
  });
  parser.on('opentag', (element) => handlers.open(element));
  // A self-closing element is closed too, at once.
  parser.on('closetag', (element) => {
    depth -= 1;
    handlers.close(element);
  });
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  const guarded = (step: () => void) => {
    try {
      step();
    } catch (error) {
      throw error instanceof WorkbookFormatError ? error : corrupt(error);
    }
  };
  return {
    write: (piece) => guarded(() => parser.write(decoder.write(piece))),
    end: () =>
      guarded(() => {
        parser.write(decoder.end());
        parser.close();
      }),
  };
}

let lastSpreadsheetUri = '';

/** The local name of a SpreadsheetML element, undefined for another namespace's; asked once for every element of a sheet. */
export function spreadsheetName(element: XmlElement): string | undefined {
  // A part writes one SpreadsheetML namespace throughout: compared as a string before the set is asked.
  if (element.uri === lastSpreadsheetUri) return element.local;
  if (!SPREADSHEET_NAMESPACES.has(element.uri)) return undefined;
  lastSpreadsheetUri = element.uri;
  return element.local;
}

/** Whether the element is SpreadsheetML's of this local name. */
export function isSpreadsheet(element: XmlElement, local: string): boolean {
  return spreadsheetName(element) === local;
}

/** An attribute without a namespace, as SpreadsheetML writes its own (`r`, `t`, `s`, `name`). */
export function plainAttribute(element: XmlElement, name: string): string | undefined {
  const attribute = element.attributes[name];
  return attribute && attribute.uri === '' ? attribute.value : undefined;
}

/** The relationship id an element points through (`r:id`, whatever the prefix). */
export function relationshipId(element: XmlElement): string | undefined {
  return Object.values(element.attributes).find((attribute) => attribute.local === 'id' && RELATIONSHIP_ID_NAMESPACES.has(attribute.uri))?.value;
}
