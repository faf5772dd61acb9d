import { WorkbookFormatError } from '../problem.js';
import { beyondLimit, type ReadLimits } from './limits.js';
import { workbookFormatError } from './problems.js';
import { StringItem, unescapedText } from './spreadsheet.js';
import { cellAddress, columnNumber, dateOfSerial, isDateFormat, type CellValue, type WorkbookCell } from './sheet.js';
import { excerpt } from './text.js';
import { plainAttribute, spreadsheetName, xmlReader, type XmlElement, type XmlReader } from './xml.js';

/**
 * A worksheet part's cells, read as they stream: each row holding a value, its cells with plain values
 * (shared strings resolved, formulas their cached result, dates in the workbook's date system). A cell's `r` and a
 * row's `r` are optional: a position left out follows from the one before, as SpreadsheetML says.
 */

/** What the sheet's cells refer to, read from the workbook's other parts. */
export interface CellContext {
  /** The tab's name, for the problems found in its cells. */
  sheet: string;
  strings: readonly string[];
  /** The number format of each cell style, by index. */
  numberFormats: readonly (string | undefined)[];
  date1904: boolean;
}

/** file.corrupt naming the cell whose stored value is damaged. */
function damagedCell(sheet: string, address: string, text: string): WorkbookFormatError {
  const [where, shown] = [excerpt(sheet), excerpt(text)];
  return workbookFormatError('file.corrupt', {
    zh: `单元格 ${where.zh}!${address} 中存储的“${shown.zh}”不是有效的数值，保存该文件的软件可能写坏了它`,
    en: `cell ${where.en}!${address} stores '${shown.en}', which is not a valid value; the program that saved the file may have damaged it`,
  });
}

/** xsd:double without INF and NaN, which no cell holds; whitespace around it is allowed by the schema. */
const XSD_NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INDEX = /^\s*\d+\s*$/;
const BIT = /^\s*([01])\s*$/;
/**
 * An ISO 8601 date, date-time or time of day, as a `t="d"` cell stores it (Strict Open XML, openpyxl); a time alone
 * falls on Excel's day 0, 1899-12-30, as its serial would.
 */
const ISO_DATE = /^\s*(?:(\d{4})-(\d{2})-(\d{2}))?(?:T?(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?\s*$/;
const DAY_ZERO = { year: 1899, month: 12, day: 30 } as const;
/** Longer than any stored number or index: a value this long is not one. */
const MAX_STORED_NUMBER = 1024;
const REFERENCE = /^\s*\$?([A-Za-z]{1,3})\$?(\d+)\s*$/;

/**
 * Where each row and cell of a worksheet is: its `r` when it writes one, else the place after the one before (a row
 * below the last, a cell right of the last). The reader and the copy written for exceljs place them alike.
 */
export class CellPlaces {
  private rowNumber = 0;
  /** The place of the cell opened last (openCell); fields rather than a returned object, read for every cell. */
  row = 0;
  column = 0;

  /** The number of a row whose `r` is as written. */
  openRow(written: string | undefined): number {
    const number = Number(written);
    this.rowNumber = written !== undefined && Number.isInteger(number) && number > 0 ? number : this.rowNumber + 1;
    this.column = 0;
    return this.rowNumber;
  }

  /** Places a cell whose `r` is as written: at `row` and `column`. */
  openCell(written: string | undefined): void {
    const reference = REFERENCE.exec(written ?? '');
    this.column = reference ? columnNumber(reference[1] ?? '') : this.column + 1;
    this.row = reference ? Number(reference[2]) : this.rowNumber;
  }
}

/** Cells holding values read so far, across the sheets of a workbook: the limit on cells is the workbook's. */
export interface CellCount {
  cells: number;
}

/** A cell as its element is read. */
interface OpenCell {
  row: number;
  column: number;
  type: string;
  style: number;
  /** The text of its value element, '' when the element is empty; undefined when it has none. */
  value: string | undefined;
  formula: string | undefined;
  inline: StringItem | undefined;
}

function storedNumber(text: string): number | undefined {
  return text.length <= MAX_STORED_NUMBER && XSD_NUMBER.test(text) ? Number(text) : undefined;
}

function isoDate(text: string): Date | undefined {
  const match = ISO_DATE.exec(text);
  if (!match || (match[1] === undefined && match[4] === undefined)) return undefined;
  const [year, month, day] = match[1] === undefined ? [DAY_ZERO.year, DAY_ZERO.month, DAY_ZERO.day] : [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [match[4], match[5], match[6]].map((part) => Number(part ?? 0));
  const milliseconds = Math.round(Number(`0.${match[7] ?? '0'}`) * 1000);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, milliseconds));
  // Excel's dates carry no time zone, so an offset is dropped: the clock time is the one Excel shows.
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && (hour ?? 0) < 24 ? date : undefined;
}

/** The rows of one worksheet part, a batch per piece of its XML. */
export class WorksheetReader {
  private readonly xml: XmlReader;
  private readonly done: WorkbookCell[][] = [];
  private row: WorkbookCell[] = [];
  private readonly places = new CellPlaces();
  /** Whether each cell style's number format shows a date, worked out once per style rather than once per cell. */
  private readonly dateStyles: readonly boolean[];
  private cell: OpenCell | undefined;
  /** Where text goes: the cell's value, its formula, or its inline string. */
  private into: 'value' | 'formula' | undefined;
  private inSheetData = false;
  private inInline = false;

  constructor(
    private readonly context: CellContext,
    private readonly limits: ReadLimits,
    /** Cells holding values read so far, across sheets, counted against maxCells: shared with the other sheets' readers. */
    private readonly count: CellCount,
  ) {
    this.dateStyles = context.numberFormats.map(isDateFormat);
    this.xml = xmlReader({ open: (element) => this.open(element), close: (element) => this.close(element), text: (text) => this.text(text) });
  }

  /** Reads a piece of the part; returns the rows it completed. */
  take(piece: Buffer): WorkbookCell[][] {
    this.xml.write(piece);
    return this.done.splice(0);
  }

  end(): WorkbookCell[][] {
    this.xml.end();
    return this.done.splice(0);
  }

  private open(element: XmlElement): void {
    const cell = this.cell;
    if (this.inInline && cell?.inline) {
      cell.inline.open(element);
      return;
    }
    const name = spreadsheetName(element);
    if (!this.inSheetData) {
      this.inSheetData = name === 'sheetData';
      return;
    }
    if (name === 'row') this.openRow(element);
    else if (name === 'c') this.openCell(element);
    else if (!cell) return;
    else if (name === 'v') {
      cell.value ??= '';
      this.into = 'value';
    } else if (name === 'f') {
      cell.formula ??= '';
      this.into = 'formula';
    } else if (name === 'is') {
      cell.inline = new StringItem();
      this.inInline = true;
    }
  }

  private close(element: XmlElement): void {
    const cell = this.cell;
    const name = spreadsheetName(element);
    if (this.inInline && cell?.inline) {
      if (name === 'is') this.inInline = false;
      else cell.inline.close(element);
      return;
    }
    if (name === 'v' || name === 'f') this.into = undefined;
    else if (cell && name === 'c') this.closeCell(cell);
    else if (name === 'row') this.closeRow();
    else if (name === 'sheetData') this.inSheetData = false;
  }

  private text(text: string): void {
    const cell = this.cell;
    if (!cell) return;
    if (this.inInline) cell.inline?.text(text);
    else if (this.into === 'value') cell.value = (cell.value ?? '') + text;
    else if (this.into === 'formula') cell.formula = (cell.formula ?? '') + text;
  }

  private openRow(element: XmlElement): void {
    this.places.openRow(plainAttribute(element, 'r'));
  }

  private openCell(element: XmlElement): void {
    this.places.openCell(plainAttribute(element, 'r'));
    this.cell = {
      row: this.places.row,
      column: this.places.column,
      type: plainAttribute(element, 't') ?? 'n',
      style: Number(plainAttribute(element, 's') ?? 0),
      value: undefined,
      formula: undefined,
      inline: undefined,
    };
  }

  private closeCell(cell: OpenCell): void {
    this.cell = undefined;
    this.into = undefined;
    this.inInline = false;
    const value = this.valueOf(cell);
    if (value === null) return;
    if (cell.row > this.limits.maxRows) throw beyondLimit('rows', this.limits.maxRows);
    if (cell.column > this.limits.maxColumns) throw beyondLimit('columns', this.limits.maxColumns);
    this.count.cells += 1;
    if (this.count.cells > this.limits.maxCells) throw beyondLimit('cells', this.limits.maxCells);
    const numFmt = this.context.numberFormats[cell.style];
    const read: WorkbookCell = { address: cellAddress(cell.row, cell.column), row: cell.row, column: cell.column, value };
    if (numFmt !== undefined && numFmt !== 'General') read.numFmt = numFmt;
    this.row.push(read);
  }

  private closeRow(): void {
    if (this.row.length > 0) this.done.push(this.row);
    this.row = [];
  }

  /**
   * A cell's plain value: a formula's cached result when it has one, else the formula itself; empty text and
   * cells holding nothing but a style are null. A stored value its type does not allow is file.corrupt.
   */
  private valueOf(cell: OpenCell): CellValue {
    if (cell.inline && (cell.type === 'inlineStr' || cell.value === undefined)) return cell.inline.take() || null;
    if (cell.value === undefined) return cell.formula === undefined ? null : { formula: cell.formula };
    // A value element left empty stores nothing, whatever the type: Excel and LibreOffice show the cell empty.
    if (cell.value === '') return null;
    return this.storedValue(cell, cell.value);
  }

  /** Damage is rare: the cell's address is worked out only for its message. */
  private damaged(cell: OpenCell, text: string): WorkbookFormatError {
    return damagedCell(this.context.sheet, cellAddress(cell.row, cell.column), text);
  }

  private storedValue(cell: OpenCell, text: string): CellValue {
    switch (cell.type) {
      case 's': {
        const string = INDEX.test(text) ? this.context.strings[Number(text)] : undefined;
        if (string === undefined) throw this.damaged(cell, text);
        return string === '' ? null : string;
      }
      case 'str':
      case 'inlineStr':
        return text === '' ? null : unescapedText(text);
      case 'b': {
        const bit = BIT.exec(text)?.[1];
        if (bit === undefined) throw this.damaged(cell, text);
        return bit === '1';
      }
      case 'e':
        return { error: text.trim() || '#ERROR' };
      case 'd': {
        const date = isoDate(text);
        if (date === undefined) throw this.damaged(cell, text);
        return date;
      }
      default: {
        const number = storedNumber(text);
        if (number === undefined || !Number.isFinite(number)) throw this.damaged(cell, text);
        return this.dateStyles[cell.style] === true ? (dateOfSerial(number, this.context.date1904) ?? number) : number;
      }
    }
  }
}
