import type { ColumnType } from './columns.js';

/** RFC 4180 text that Excel opens safely and with Chinese intact, and that type-guessing readers read as documented. */

export type CsvCell = string | number | boolean | null;

/** Excel runs a text cell starting with one of these as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
/** Excel only reads a CSV as UTF-8 when it starts with a byte order mark. */
const BOM = '\uFEFF';

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Number-to-string conversion switches to exponent notation below 1e-6 and from 1e21; spreadsheets and BI loaders want digits. */
function plainNumber(n: number): string {
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', fraction = '', exponent = ''] = match;
  const digits = lead + fraction;
  const point = 1 + Number(exponent);
  return point <= 0 ? `${sign}0.${'0'.repeat(-point)}${digits}` : `${sign}${digits.padEnd(point, '0')}`;
}

/**
 * Numbers and booleans are never formulas, so only text is guarded: -5 stays a number. A whole number in a decimal
 * column keeps a fractional digit (20.0): DuckDB's read_csv and pandas guess a column's type from its text, and
 * would read a column of whole figures as integers.
 */
export function csvCell(cell: CsvCell, type?: ColumnType): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return type === 'decimal' && Number.isInteger(cell) ? `${plainNumber(cell)}.0` : plainNumber(cell);
  if (typeof cell === 'boolean') return String(cell);
  if (FORMULA_START.test(cell)) return quoted(`'${cell}`);
  return NEEDS_QUOTES.test(cell) ? quoted(cell) : cell;
}

/** A header row naming the columns, then the rows, each cell written as its column's type. */
export function csvDocument(columns: readonly { name: string; type: ColumnType }[], rows: CsvCell[][]): string {
  const lines = [columns.map((column) => csvCell(column.name)), ...rows.map((row) => row.map((cell, i) => csvCell(cell, columns[i]?.type)))];
  return BOM + lines.map((line) => `${line.join(',')}\r\n`).join('');
}
