import type { Catalog, Indicator } from '../catalog/catalog.js';
import { periodOf, periodParts, yearToDate, type Period } from '../calendar.js';
import type { Problem } from '../problem.js';
import { indicatorNames } from './indicators.js';
import type { MonthSpan } from './month-columns.js';
import { problemAt } from './problems.js';
import { rowPeriod, type MonthBounds, type PeriodCell, type ReportingPeriod } from './reporting-period.js';
import type { RuledFigure } from './rules.js';
import type { ValueReading } from './value.js';

/**
 * A cumulative a clerk writes beside the months (a 累计 column, a 累计 sub-row) is never a month's figure: a flow is
 * reported as each month's own amount. Where the catalog says a cumulative is a sum, a flow's, it is compared with
 * the months it sums, and a difference is a warning at the cumulative's cell: one of the two was mistyped.
 */

/** What a cumulative sums. */
export type Summed =
  /**
   * A cumulative column beside month columns, or a summary row under month rows: the month cells beside or above
   * it, those of the months its heading names or all up to the reporting month.
   */
  | { over: 'cells'; cells: readonly string[]; months?: MonthSpan }
  /** A sub-row beside the month's own: January to its row's month, months stored before included. */
  | { over: 'year'; periodCell?: PeriodCell };

/** A cumulative cell of a row naming an indicator. */
export interface CumulativeRow {
  summed: Summed;
  indicator: Indicator;
  sheet: string;
  cell: string;
  reading: ValueReading;
}

/** A cumulative that is compared: a flow's number. */
export type SummedRow = CumulativeRow & { reading: { outcome: 'value'; value: number } };

/** Only a flow's months add up to its cumulative; a stock's or a ratio's latest month is its level. */
export function isSummed(row: CumulativeRow): row is SummedRow {
  return row.indicator.kind === 'flow' && row.reading.outcome === 'value' && typeof row.reading.value === 'number';
}

/** A month's figure of this upload, at its cell. */
export interface DatedFigure {
  indicator: Indicator;
  period: Period;
  value: number | boolean;
  sheet: string;
  cell: string;
}

export interface CumulativeInput extends MonthBounds {
  catalog: Catalog;
  cumulatives: readonly SummedRow[];
  /** Every figure of the upload with its month, in row order. */
  figures: readonly DatedFigure[];
  /** The department's stored figures; those of a month this upload reports are replaced by it. */
  previous: readonly RuledFigure[];
  reporting: ReportingPeriod;
  /** The month the upload reports on: the stated one, else its latest figures'. */
  period: Period | null;
}

/** The sum of the months, and which months, or undefined when a month it needs is not known. */
interface Expected {
  sum: number;
  months: Period[];
}

/** The figures a comparison looks up, each found at once however many cumulatives there are. */
interface Known {
  /** Each figure of the upload by its cell. */
  atCell: Map<string, DatedFigure>;
  /** Each indicator's month, from the upload (its first figure) or, for a month the upload does not report, stored. */
  byMonth: Map<string, number | boolean>;
}

const monthKey = (indicator: string, period: Period) => `${indicator}@${period}`;
const cellKey = (sheet: string, cell: string) => `${sheet}!${cell}`;

function knownOf(input: CumulativeInput): Known {
  const atCell = new Map(input.figures.map((figure) => [cellKey(figure.sheet, figure.cell), figure]));
  const uploaded = new Set(input.figures.map((figure) => figure.period));
  const byMonth = new Map<string, number | boolean>();
  for (const stored of input.previous) if (!uploaded.has(stored.period)) byMonth.set(monthKey(stored.indicator, stored.period), stored.value);
  for (const figure of input.figures) {
    const key = monthKey(figure.indicator.id, figure.period);
    if (!byMonth.has(key)) byMonth.set(key, figure.value);
  }
  return { atCell, byMonth };
}

function overCells(input: CumulativeInput, known: Known, row: SummedRow, summed: Extract<Summed, { over: 'cells' }>): Expected | undefined {
  if (input.period === null) return undefined;
  const { year, month } = periodParts(input.period);
  const [from, to] = [periodOf(year, summed.months?.from ?? 1), periodOf(year, summed.months?.to ?? month)];
  // A blank month cell adds nothing, as Excel's SUM counts it; a month past the reporting month was refused.
  const given = summed.cells.flatMap((cell) => {
    const figure = known.atCell.get(cellKey(row.sheet, cell));
    return figure && figure.period >= from && figure.period <= to ? [figure.value] : [];
  });
  return { sum: sumOf(given), months: yearToDate(to).filter((period) => period >= from) };
}

function overYear(input: CumulativeInput, known: Known, row: SummedRow, summed: Extract<Summed, { over: 'year' }>): Expected | undefined {
  const through = summed.periodCell ? rowPeriod({ ...input, periodCell: summed.periodCell }).period : input.reporting.period;
  if (through === null) return undefined;
  const months = yearToDate(through);
  const given = months.map((period) => known.byMonth.get(monthKey(row.indicator.id, period)));
  // A month not reported, here or before, leaves the sum unknown: nothing is guessed.
  return given.every((value) => value !== undefined) ? { sum: sumOf(given), months } : undefined;
}

function sumOf(values: readonly (number | boolean)[]): number {
  return values.reduce<number>((sum, value) => sum + (typeof value === 'number' ? value : 0), 0);
}

/** Figures converted from 万元 carry floating-point noise: the two agree when they differ only in it. */
function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const shown = (value: number) => String(Number(value.toPrecision(12)));

function mismatch(input: CumulativeInput, row: SummedRow, expected: Expected): Problem {
  const name = indicatorNames(row.indicator);
  const unit = input.catalog.unit(row.indicator.unit);
  const [first, last] = [expected.months[0], expected.months.at(-1)];
  const span = first === last ? `${first}` : `${first}…${last}`;
  const [value, sum] = [shown(row.reading.value), shown(expected.sum)];
  return problemAt('value.cumulative_mismatch', row.sheet, row.cell, {
    zh: `${name.zh}的累计为 ${value} ${unit.zh}，而 ${span} 各月之和为 ${sum} ${unit.zh}；请核对累计数或各月数值`,
    en: `the cumulative of ${name.en} is ${value} ${unit.en}, but the months ${span} add up to ${sum} ${unit.en}; check the cumulative or the monthly figures`,
  });
}

/** A warning for each flow's cumulative that differs from the sum of the months it covers, where all are known. */
export function cumulativeMismatches(input: CumulativeInput): Problem[] {
  if (input.cumulatives.length === 0) return [];
  const known = knownOf(input);
  return input.cumulatives.flatMap((row) => {
    const expected = row.summed.over === 'cells' ? overCells(input, known, row, row.summed) : overYear(input, known, row, row.summed);
    return expected === undefined || agrees(row.reading.value, expected.sum) ? [] : [mismatch(input, row, expected)];
  });
}
