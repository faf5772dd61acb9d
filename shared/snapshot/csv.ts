/** RFC 4180 text that Excel opens safely and with Chinese intact. */

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

/** Numbers and booleans are never formulas, so only text is guarded: -5 stays a number. */
export function csvCell(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return plainNumber(cell);
  if (typeof cell === 'boolean') return String(cell);
  if (FORMULA_START.test(cell)) return quoted(`'${cell}`);
  return NEEDS_QUOTES.test(cell) ? quoted(cell) : cell;
}

export function csvDocument(rows: CsvCell[][]): string {
  return BOM + rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
