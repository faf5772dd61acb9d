import { builtInNumberFormat } from './number-formats.js';
import type { Package, Relationship } from './package.js';
import { isSpreadsheet, plainAttribute, relationshipId, type XmlElement, type XmlHandlers } from './xml.js';

/**
 * A SpreadsheetML package's workbook as its parts say it is: the workbook part the package points to, its sheets
 * in tab order with the names and visibility Excel shows, the part of each found through the workbook's
 * relationships, and the shared strings and number formats the sheets' cells refer to.
 */

/** What a tab of the workbook is, by the relationship that reaches its part. */
export type SheetKind = 'worksheet' | 'chartsheet' | 'dialogsheet' | 'macrosheet' | 'missing';

export interface SheetEntry {
  /** The name on the tab. */
  name: string;
  hidden: boolean;
  kind: SheetKind;
  /** The part holding its cells; undefined when the relationship is missing or its part is not in the package. */
  part?: string;
}

export interface WorkbookStructure {
  sheets: SheetEntry[];
  date1904: boolean;
  sharedStrings?: string;
  styles?: string;
}

const SHEET_KINDS: Readonly<Record<string, SheetKind>> = {
  worksheet: 'worksheet',
  chartsheet: 'chartsheet',
  dialogsheet: 'dialogsheet',
  xlMacrosheet: 'macrosheet',
  xlIntlMacrosheet: 'macrosheet',
};

/** xsd:boolean, as workbookPr's date1904 may be written. */
function xsdTrue(text: string | undefined): boolean {
  return text !== undefined && /^\s*(?:1|true)\s*$/.test(text);
}

const NO_TEXT = { close: () => undefined, text: () => undefined } as const;

/**
 * The workbook part: the package relationship of type officeDocument. A package without relationships is read where
 * Excel puts its workbook, as Excel itself does.
 */
async function workbookPart(pkg: Package): Promise<string> {
  const relationships = await pkg.relationships('');
  const main = relationships.find((relationship) => relationship.kind === 'officeDocument')?.target;
  const part = main ?? (pkg.has('xl/workbook.xml') ? 'xl/workbook.xml' : undefined);
  if (part === undefined || !pkg.has(part) || !part.toLowerCase().endsWith('.xml')) throw pkg.notAWorkbook();
  return part;
}

interface SheetElement {
  name: string;
  hidden: boolean;
  relationship: string | undefined;
}

async function readWorkbookPart(pkg: Package, part: string): Promise<{ sheets: SheetElement[]; date1904: boolean; isWorkbook: boolean }> {
  const sheets: SheetElement[] = [];
  let date1904 = false;
  let isWorkbook = false;
  await pkg.readXml(part, {
    ...NO_TEXT,
    open(element) {
      if (isSpreadsheet(element, 'workbook')) isWorkbook = true;
      else if (isSpreadsheet(element, 'workbookPr')) date1904 = xsdTrue(plainAttribute(element, 'date1904'));
      else if (isSpreadsheet(element, 'sheet')) {
        const state = plainAttribute(element, 'state');
        sheets.push({ name: plainAttribute(element, 'name') ?? '', hidden: state === 'hidden' || state === 'veryHidden', relationship: relationshipId(element) });
      }
    },
  });
  return { sheets, date1904, isWorkbook };
}

function sheetEntry(pkg: Package, sheet: SheetElement, byId: ReadonlyMap<string, Relationship>): SheetEntry {
  const relationship = sheet.relationship === undefined ? undefined : byId.get(sheet.relationship);
  const kind = relationship === undefined ? undefined : SHEET_KINDS[relationship.kind];
  const base = { name: sheet.name, hidden: sheet.hidden };
  if (!relationship || !kind || !pkg.has(relationship.target)) return { ...base, kind: 'missing' };
  return { ...base, kind, part: relationship.target };
}

export async function workbookStructure(pkg: Package): Promise<WorkbookStructure> {
  const part = await workbookPart(pkg);
  const [read, relationships] = await Promise.all([readWorkbookPart(pkg, part), pkg.relationships(part)]);
  if (!read.isWorkbook) throw pkg.notAWorkbook();
  const byId = new Map(relationships.map((relationship) => [relationship.id, relationship]));
  const target = (kind: string) => relationships.find((relationship) => relationship.kind === kind && pkg.has(relationship.target))?.target;
  const structure: WorkbookStructure = { sheets: read.sheets.map((sheet) => sheetEntry(pkg, sheet, byId)), date1904: read.date1904 };
  const [sharedStrings, styles] = [target('sharedStrings'), target('styles')];
  if (sharedStrings !== undefined) structure.sharedStrings = sharedStrings;
  if (styles !== undefined) structure.styles = styles;
  return structure;
}

/**
 * Text as SpreadsheetML stores it (ST_Xstring): a character XML cannot hold, a carriage return among them, is
 * written `_xHHHH_`, and an underscore that would start one `_x005F_`.
 */
export function unescapedText(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 16))) : text;
}

/**
 * Collects the text of a string item (`<si>` or `<is>`): its `<t>`, or the `<t>` of each rich-text run, never the
 * phonetic guide (`<rPh>`) printed above it.
 */
export class StringItem {
  private pieces: string[] = [];
  private inText = false;
  private phonetic = 0;

  open(element: XmlElement): void {
    if (isSpreadsheet(element, 'rPh')) this.phonetic += 1;
    else if (isSpreadsheet(element, 't') && this.phonetic === 0) this.inText = true;
  }

  close(element: XmlElement): void {
    if (isSpreadsheet(element, 'rPh')) this.phonetic -= 1;
    else if (isSpreadsheet(element, 't')) this.inText = false;
  }

  text(text: string): void {
    if (this.inText) this.pieces.push(text);
  }

  /** The item's text, and a clean start for the next item. */
  take(): string {
    const text = this.pieces.length === 1 ? (this.pieces[0] ?? '') : this.pieces.join('');
    this.pieces = [];
    return unescapedText(text);
  }
}

/** The shared strings table, each item once: cells that repeat a text share one string. */
export async function sharedStrings(pkg: Package, part: string | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (part === undefined) return strings;
  const item = new StringItem();
  const handlers: XmlHandlers = {
    open: (element) => item.open(element),
    close(element) {
      if (isSpreadsheet(element, 'si')) strings.push(item.take());
      else item.close(element);
    },
    text: (text) => item.text(text),
  };
  await pkg.readXml(part, handlers);
  return strings;
}

/** The number format of each cell style (`<cellXfs>`), by the style's index: what a cell's `s` refers to. */
export async function cellNumberFormats(pkg: Package, part: string | undefined): Promise<(string | undefined)[]> {
  const custom = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellStyles = false;
  if (part === undefined) return [];
  await pkg.readXml(part, {
    open(element) {
      if (isSpreadsheet(element, 'numFmt')) {
        const id = Number(plainAttribute(element, 'numFmtId'));
        const code = plainAttribute(element, 'formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (isSpreadsheet(element, 'cellXfs')) inCellStyles = true;
      else if (inCellStyles && isSpreadsheet(element, 'xf')) styleFormats.push(Number(plainAttribute(element, 'numFmtId') ?? 0));
    },
    close(element) {
      if (isSpreadsheet(element, 'cellXfs')) inCellStyles = false;
    },
    text: () => undefined,
  });
  return styleFormats.map((id) => custom.get(id) ?? builtInNumberFormat(id));
}
