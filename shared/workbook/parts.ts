import { WorkbookFormatError } from '../problem.js';
import { workbookFormatError } from './problems.js';
import { cellAddress, columnNumber } from './sheet.js';
import { excerpt } from './text.js';

/**
 * Checks of a workbook's XML parts as they pass to exceljs, a piece at a time, for what exceljs would otherwise read
 * wrong without a word. A part cut short and zipped again with valid checksums parses as far as it goes, so every XML
 * part must end its root element. exceljs reads a cell's number with parseFloat ("1,234" is 1), a shared-string index
 * and a boolean with parseInt, so each is checked to be what the schema allows. And exceljs honours date1904 only
 * when written "1", so the attribute is read here. Markup is ASCII: the bytes are read as latin1, which never splits
 * a character at a piece boundary and leaves UTF-8 text as bytes that match no markup.
 */

/** A cell whose stored value is not what its type says, found as its part passed. */
export class DamagedCell extends WorkbookFormatError {
  constructor(
    /** The zip entry, e.g. xl/worksheets/sheet1.xml. */
    readonly part: string,
    readonly address: string,
    readonly text: string,
  ) {
    super('file.corrupt', damagedCellMessage(null, address, text));
  }
}

/** file.corrupt naming the cell whose number is damaged, and its sheet when known. */
export function damagedCellMessage(sheet: string | null, address: string, text: string): string {
  const where = sheet === null ? address : `${excerpt(sheet).zh}!${address}`;
  const whereEn = sheet === null ? address : `${excerpt(sheet).en}!${address}`;
  const shown = excerpt(text);
  return workbookFormatError('file.corrupt', {
    zh: `单元格 ${where} 中存储的“${shown.zh}”不是有效的数值，保存该文件的软件可能写坏了它`,
    en: `cell ${whereEn} stores '${shown.en}', which is not a valid value; the program that saved the file may have damaged it`,
  }).message;
}

/** What is known of a part once it has passed. */
export interface PartFacts {
  /** Set when the part is the workbook and its workbookPr says date1904 in any of the schema's spellings. */
  date1904?: boolean;
}

export interface PartCheck {
  /** The next piece of the part; throws file.corrupt as soon as the part shows damage. */
  take(piece: Buffer): void;
  /** The part has ended; throws file.corrupt when it does not end its root element. */
  end(): PartFacts;
}

/** The schema's booleans (xsd:boolean), as an attribute may write them. */
const XSD_TRUE = /^\s*(?:1|true)\s*$/;
/** xsd:double without INF and NaN, which no cell holds; whitespace around it is allowed by the schema. */
const XSD_NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INDEX = /^\s*\d+\s*$/;
const BIT = /^\s*[01]\s*$/;

/** How each cell type's stored value must look; types whose value is text are not checked. */
const STORED_VALUE: Readonly<Record<string, (text: string) => boolean>> = {
  n: (text) => XSD_NUMBER.test(text) && Number.isFinite(Number(text)),
  s: (text) => INDEX.test(text),
  b: (text) => BIT.test(text),
  // An ISO 8601 date cell, which exceljs would read as its year.
  d: () => false,
};

/** Longer than any stored number or index: a value this long is not one. */
const MAX_STORED_NUMBER = 1024;
/** The most of the root start tag looked for before the part is taken for damaged. */
const MAX_HEAD = 64 * 1024;
/** A tag cut by a piece boundary is carried to the next piece when it may be one of the tags looked for. */
const MAX_CARRIED_TAG = 1024;
const TAIL = 256;

const NAME = '(?:[A-Za-z_][\\w.-]*:)?';
/**
 * The start tags of a cell, its value and its row, with or without a namespace prefix (online suites write <x:c>).
 * End tags are not needed: a value only ever comes inside the cell that opened last.
 */
const CELL_TOKEN = new RegExp(`<${NAME}(row|c|v)(?=[\\s/>])([^>]*)>`, 'g');
const ROOT_START = /<([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/;
const WORKBOOK_PR = new RegExp(`<${NAME}workbookPr(?=[\\s/>])[^>]*>`);
const DATE_1904 = /\sdate1904\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** The attributes read of cells and rows, each compiled once: every cell of a sheet is asked. */
const ATTRIBUTES = { r: /\sr\s*=\s*(?:"([^"]*)"|'([^']*)')/, t: /\st\s*=\s*(?:"([^"]*)"|'([^']*)')/ } as const;

function attribute(attributes: string, name: keyof typeof ATTRIBUTES): string | undefined {
  const match = ATTRIBUTES[name].exec(attributes);
  return match ? (match[1] ?? match[2]) : undefined;
}

function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1);
}

function corrupt(): WorkbookFormatError {
  return workbookFormatError('file.corrupt');
}

interface OpenCell {
  address: string;
  type: string;
}

/** Reads the cells of a worksheet part as they pass, checking each stored number. */
class CellScan {
  private carry = '';
  private row = 0;
  private column = 0;
  /** The last cell's own reference, from which a cell without one takes its column. */
  private reference: string | undefined;
  private cell: OpenCell | undefined;

  constructor(private readonly part: string) {}

  take(text: string): void {
    const all = this.carry + text;
    this.carry = '';
    CELL_TOKEN.lastIndex = 0;
    for (let token = CELL_TOKEN.exec(all); token; token = CELL_TOKEN.exec(all)) {
      const [whole, name, attributes = ''] = token;
      const selfClosing = attributes.endsWith('/');
      if (name === 'row') this.openRow(attributes);
      else if (name === 'c') {
        const cell = this.openCell(attributes);
        this.cell = selfClosing ? undefined : cell;
      } else if (this.cell) {
        const check = STORED_VALUE[this.cell.type];
        if (!check) continue;
        if (selfClosing) throw new DamagedCell(this.part, this.cell.address, '');
        const start = token.index + whole.length;
        const end = all.indexOf('<', start);
        if (end === -1) {
          if (all.length - start > MAX_STORED_NUMBER) throw new DamagedCell(this.part, this.cell.address, all.slice(start));
          this.carry = all.slice(token.index);
          return;
        }
        const stored = all.slice(start, end);
        if (!check(stored)) throw new DamagedCell(this.part, this.cell.address, stored);
        CELL_TOKEN.lastIndex = end;
      }
    }
    const open = all.lastIndexOf('<');
    if (open > all.lastIndexOf('>') && all.length - open <= MAX_CARRIED_TAG) this.carry = all.slice(open);
  }

  private openRow(attributes: string): void {
    const number = Number(attribute(attributes, 'r'));
    this.row = Number.isInteger(number) && number > 0 ? number : this.row + 1;
    this.column = 0;
    this.reference = undefined;
  }

  /** A cell may omit its reference: its place follows from the one before, worked out only then. */
  private openCell(attributes: string): OpenCell {
    const type = attribute(attributes, 't') ?? 'n';
    const reference = attribute(attributes, 'r');
    if (reference !== undefined) {
      this.reference = reference;
      return { address: reference, type };
    }
    const letters = this.reference === undefined ? undefined : /^[A-Z]+/i.exec(this.reference)?.[0];
    this.column = (letters === undefined ? this.column : columnNumber(letters)) + 1;
    this.reference = undefined;
    return { address: cellAddress(this.row, this.column), type };
  }
}

/** Whether the part is XML by its name: pictures and binary parts are not looked into. */
function isXmlPart(name: string): boolean {
  return /\.(?:xml|rels)$/i.test(name);
}

/** The check for a part by its name: XML parts are checked as described above, others pass as they are. */
export function partCheck(name: string): PartCheck {
  if (!isXmlPart(name)) return { take: () => undefined, end: () => ({}) };
  let head = '';
  let root: { name: string; selfClosing: boolean } | undefined;
  let tail = '';
  let cells: CellScan | undefined;
  let facts: PartFacts = {};
  /** The workbook part's text so far, until its workbookPr is found; undefined once it is, or once looking is given up. */
  let workbookHead: string | undefined = '';

  function findRoot(text: string): string {
    head += text;
    // Skips the XML declaration, processing instructions and comments before the root.
    const start = head.search(/<[^?!]/);
    const match = start === -1 ? null : ROOT_START.exec(head.slice(start));
    if (!match?.[1]) {
      if (head.length > MAX_HEAD) throw corrupt();
      return '';
    }
    root = { name: match[1], selfClosing: match[2] === '/' };
    if (localName(root.name) === 'worksheet') cells = new CellScan(name);
    const rest = head;
    head = '';
    return rest;
  }

  /** workbookPr comes near the start of the workbook part, before its sheets. */
  function readWorkbookPr(text: string): void {
    if (workbookHead === undefined || root === undefined || localName(root.name) !== 'workbook') return;
    workbookHead += text;
    const tag = WORKBOOK_PR.exec(workbookHead)?.[0];
    if (tag !== undefined) {
      const written = DATE_1904.exec(tag);
      facts = { date1904: written ? XSD_TRUE.test(written[1] ?? written[2] ?? '') : false };
    }
    if (tag !== undefined || workbookHead.length > MAX_HEAD) workbookHead = undefined;
  }

  return {
    take(piece) {
      const latin1 = piece.toString('latin1');
      const text = root === undefined ? findRoot(latin1) : latin1;
      if (text === '') return;
      readWorkbookPr(text);
      cells?.take(text);
      tail = (tail + text).slice(-TAIL);
    },
    end() {
      if (root === undefined) throw corrupt();
      const ended = root.selfClosing ? /\/>\s*$/ : new RegExp(`</${root.name.replace(/[.]/g, '\\.')}\\s*>\\s*$`);
      if (!ended.test(tail)) throw corrupt();
      return facts;
    },
  };
}
