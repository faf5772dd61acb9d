import { beyondLimit } from './limits.js';
import { workbookFormatError } from './problems.js';
import { cellAddress, type WorkbookCell, type WorkbookSheet } from './sheet.js';

/**
 * A CSV upload, read as a workbook of one sheet. Excel on a Chinese Windows saves "CSV" in GB18030 (ANSI)
 * and "CSV UTF-8" with a byte-order mark; both are read. Every cell is text, as Excel would show it
 * before guessing types: the value rules read "1,234", "92%" and "2026-11" from text already.
 */

const UTF8_BOM = '\uFEFF';

export interface CsvLimits {
  maxRows: number;
  maxColumns: number;
}

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

/** RFC 4180 fields: quoted fields may hold the delimiter, line breaks and doubled quotes. */
function records(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (quoted) {
      if (char === '"' && text.charAt(index + 1) === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text.charAt(index + 1) === '\n') index += 1;
      rows.push([...row, field]);
      [row, field] = [[], ''];
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The CSV as one sheet named after the file, or a WorkbookFormatError when it cannot be decoded or is too large. */
export function readCsv(bytes: Uint8Array, sheetName: string, limits: CsvLimits): WorkbookSheet {
  const decoded = decode(bytes);
  const text = decoded.startsWith(UTF8_BOM) ? decoded.slice(UTF8_BOM.length) : decoded;
  const lines = records(text, delimiterOf(text));
  if (lines.length > limits.maxRows) throw beyondLimit('rows', limits.maxRows);
  const rows = lines.map((fields, index) => {
    if (fields.length > limits.maxColumns) {
      throw beyondLimit('columns', limits.maxColumns);
    }
    return fields.flatMap((field, column): WorkbookCell[] =>
      field.trim() === '' ? [] : [{ address: cellAddress(index + 1, column + 1), row: index + 1, column: column + 1, value: field }],
    );
  });
  return { name: sheetName, rows: rows.filter((cells) => cells.length > 0) };
}
