import type { Problem } from '../problem.js';
import { LISTED_PER_CODE } from './listing.js';
import type { FigureRow } from './rows.js';
import type { CellValue } from './sheet.js';

/**
 * Rows of a long table that repeat an earlier row in everything but their cells: the same indicator, value and
 * period cell, in the same table. Such rows end alike (a month, maybe the same problems at their own cells, a
 * duplicate dropped or refused alike), so past the first LISTED_PER_CODE + 1 of a kind they are counted, not kept:
 * a sheet of a million copies of one figure keeps a hundred. Every problem such a row would give comes after as
 * many of its code at the kept rows, so it would not have been listed anyway.
 */

interface Repeats {
  kept: number;
  /** Rows counted and not kept. */
  more: number;
  /** The last row kept, whose problems the rows counted would each have given. */
  last: FigureRow;
}

function valueKey(value: CellValue | number | boolean): string {
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value !== null && typeof value === 'object') return 'error' in value ? `e${value.error}` : `f${value.formula}`;
  return `${typeof value}:${String(value)}`;
}

function kindOf(row: FigureRow, value: number | boolean): string | undefined {
  // A wide table's figures share their row's period cell, and its problem once: only long tables' rows are told apart so.
  if (row.periodCell?.table.layout === 'wide') return undefined;
  return [row.sheet, row.indicator.id, valueKey(value), row.periodCell ? valueKey(row.periodCell.cell.value) : ''].join('\u0000');
}

export class RepeatedRows {
  private readonly kinds = new Map<string, Repeats>();

  /** Whether a row that gives a value is kept, rather than counted as one more of a kind already kept often enough. */
  keeps(row: FigureRow, value: number | boolean): boolean {
    const kind = kindOf(row, value);
    if (kind === undefined) return true;
    const repeats = this.kinds.get(kind);
    if (!repeats) {
      this.kinds.set(kind, { kept: 1, more: 0, last: row });
      return true;
    }
    if (repeats.kept > LISTED_PER_CODE) {
      repeats.more += 1;
      return false;
    }
    repeats.kept += 1;
    repeats.last = row;
    return true;
  }

  /** Per code, the problems the rows counted would have given: each what the last kept row of its kind gave. */
  unlisted(problems: readonly Problem[]): Map<string, number> {
    const counted = [...this.kinds.values()].filter((repeats) => repeats.more > 0);
    const unlisted = new Map<string, number>();
    if (counted.length === 0) return unlisted;
    const at = new Map<string, string[]>();
    for (const { sheet, cell, code } of problems) {
      const where = `${sheet}!${cell}`;
      at.set(where, [...(at.get(where) ?? []), code]);
    }
    for (const { last, more } of counted) {
      const cells = [last.cell, ...(last.periodCell ? [last.periodCell.cell.address] : [])];
      for (const code of cells.flatMap((cell) => at.get(`${last.sheet}!${cell}`) ?? [])) unlisted.set(code, (unlisted.get(code) ?? 0) + more);
    }
    return unlisted;
  }
}
