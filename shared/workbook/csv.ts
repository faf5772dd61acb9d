import { beyondLimit, MAX_CELL_TEXT, type ReadLimits } from './limits.js';
import { workbookFormatError } from './problems.js';
import { cellAddress, type WorkbookCell, type WorkbookSheet } from './sheet.js';

/**
 * A CSV upload, read as a workbook of one sheet. Excel on a Chinese Windows saves "CSV" in GB18030 (ANSI)
 * and "CSV UTF-8" with a byte-order mark; both are read. Every cell is text, as Excel would show it
 * before guessing types: the value rules read "1,234", "92%" and "2026-11" from text already.
 */

const UTF8_BOM = '\uFEFF';

export type CsvLimits = Pick<ReadLimits, 'maxRows' | 'maxColumns' | 'maxCells'>;

function decode(bytes: Uint8Array): string {
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // Not this encoding: try the next.
    }
  }
  throw workbookFormatError('file.text_encoding');
}

/** Tab-separated text saved with a .csv name is common; a first line with tabs and no commas says so. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

/**
 * The cells holding a value, built as the text is read and refused at the limits as soon as one is passed. As in a
 * workbook, only what holds a value counts: Excel saves the blank rows and columns of a formatted range as empty
 * records and fields, which are no part of the table. Nothing is kept of them, so memory follows the cells, and the
 * time a file of nothing but line breaks or commas takes is bounded by the file's size limit.
 */
class CsvCells {
  readonly rows: WorkbookCell[][] = [];
  private cells: WorkbookCell[] = [];
  private row = 1;
  private column = 1;
  private count = 0;

  constructor(private readonly limits: CsvLimits) {}

  field(text: string): void {
    if (text.trim() !== '') {
      if (this.row > this.limits.maxRows) throw beyondLimit('rows', this.limits.maxRows);
      if (this.column > this.limits.maxColumns) throw beyondLimit('columns', this.limits.maxColumns);
      this.count += 1;
      if (this.count > this.limits.maxCells) throw beyondLimit('cells', this.limits.maxCells);
      this.cells.push({ address: cellAddress(this.row, this.column), row: this.row, column: this.column, value: text });
    }
    this.column += 1;
  }

  endRecord(): void {
    if (this.cells.length > 0) this.rows.push(this.cells);
    this.cells = [];
    this.row += 1;
    this.column = 1;
  }

  /**
   * A run of delimiters and line breaks after a blank field: blank fields and ends of records, counted at once, so that
   * millions of them cost a few native string scans rather than a step each.
   */
  blankRun(run: string): void {
    const count = (of: string) => run.length - run.replaceAll(of, '').length;
    const crlf = count('\r\n') / 2;
    const breaks = count('\n') + count('\r') - crlf;
    if (breaks === 0) {
      this.column += run.length;
      return;
    }
    this.endRecord();
    this.row += breaks - 1;
    // The delimiters after the last line break are blank fields of the record it starts.
    this.column += run.length - 1 - Math.max(run.lastIndexOf('\n'), run.lastIndexOf('\r'));
  }
}

/** A field's text, refused once longer than any cell of Excel's: it is built up to that and no further. */
function checkedLength(field: string): string {
  if (field.length > MAX_CELL_TEXT) throw beyondLimit('cellText', MAX_CELL_TEXT);
  return field;
}

/** RFC 4180 fields: quoted fields may hold the delimiter, line breaks and doubled quotes. Runs of plain characters are taken whole. */
function readRecords(text: string, delimiter: string, cells: CsvCells): void {
  const special = delimiter === ',' ? /[",\r\n]/g : /["\t\r\n]/g;
  const blanks = delimiter === ',' ? /[,\r\n]+/y : /[\t\r\n]+/y;
  let field = '';
  let quoted = false;
  let started = false;
  let index = 0;
  while (index < text.length) {
    started = true;
    if (quoted) {
      const close = text.indexOf('"', index);
      const end = close === -1 ? text.length : close;
      field = checkedLength(field + text.slice(index, end));
      if (close === -1) break;
      if (text.charAt(close + 1) === '"') {
        field = checkedLength(`${field}"`);
        index = close + 2;
      } else {
        quoted = false;
        index = close + 1;
      }
      continue;
    }
    special.lastIndex = index;
    const found = special.exec(text);
    const at = found ? found.index : text.length;
    field = checkedLength(field + text.slice(index, at));
    if (!found) break;
    const char = found[0];
    if (char !== '"' && field === '') {
      blanks.lastIndex = at;
      const run = blanks.exec(text)?.[0] ?? char;
      cells.blankRun(run);
      index = at + run.length;
      started = !/[\r\n]$/.test(run);
      continue;
    }
    index = at + 1;
    if (char === '"') {
      // A quote opens a quoted field only at its start; elsewhere it is text.
      if (field === '') quoted = true;
      else field = checkedLength(`${field}"`);
    } else if (char === delimiter) {
      cells.field(field);
      field = '';
    } else {
      if (char === '\r' && text.charAt(index) === '\n') index += 1;
      cells.field(field);
      cells.endRecord();
      [field, started] = ['', false];
    }
  }
  if (started) {
    cells.field(field);
    cells.endRecord();
  }
}

/** The CSV as one sheet named after the file, or a WorkbookFormatError when it cannot be decoded or is past a limit. */
export function readCsv(bytes: Uint8Array, sheetName: string, limits: CsvLimits): WorkbookSheet {
  const decoded = decode(bytes);
  const text = decoded.startsWith(UTF8_BOM) ? decoded.slice(UTF8_BOM.length) : decoded;
  const cells = new CsvCells(limits);
  readRecords(text, delimiterOf(text), cells);
  return { name: sheetName, rows: cells.rows };
}
