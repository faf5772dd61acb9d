import { describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/problem.js';
import { LISTED_PER_CODE } from '../../shared/workbook/listing.js';
import { FIRST_FIGURE_ROW, parse, scienceSheet, sheetOf } from './workbook-fixtures.js';

/** Rows naming no catalog indicator, each with a value: an indicator.unknown apiece. */
const unknownRows = (count: number) => Array.from({ length: count }, (_, i) => [`指标 ${i + 1}`, '人', i + 1]);

describe('parseSubmission lists at most LISTED_PER_CODE problems of a code', () => {
  it('the first ones in row order, then one summary saying how many more, without a cell', () => {
    const result = parse([scienceSheet(unknownRows(LISTED_PER_CODE + 50))]);

    const cells = result.errors.map((error) => error.cell);
    expect(result.errors).toHaveLength(LISTED_PER_CODE + 1);
    expect(cells.slice(0, LISTED_PER_CODE)).toEqual(Array.from({ length: LISTED_PER_CODE }, (_, i) => `A${FIRST_FIGURE_ROW + i}`));
    expect(result.errors.at(-1)).toEqual({
      sheet: null,
      cell: null,
      code: 'indicator.unknown',
      message: expect.stringMatching(/^另有 50 处同类问题（indicator\.unknown）未逐一列出.* \/ 50 more problems like these \(indicator\.unknown\)/),
    });
  });

  it('each code on its own: a problem of another code after the listed ones is still listed, before the summaries', () => {
    const result = parse([scienceSheet([...unknownRows(LISTED_PER_CODE + 1), ['巴渝工匠', '人', 'thirty']])]);

    expect(result.errors.slice(-2).map(({ code, cell }) => ({ code, cell }))).toEqual([
      { code: 'value.not_a_number', cell: `C${FIRST_FIGURE_ROW + LISTED_PER_CODE + 1}` },
      { code: 'indicator.unknown', cell: null },
    ]);
  });

  it('lists all of them, with no summary, up to LISTED_PER_CODE', () => {
    const result = parse([scienceSheet(unknownRows(LISTED_PER_CODE))]);

    expect(result.errors).toHaveLength(LISTED_PER_CODE);
    expect(result.errors.every((error) => error.cell !== null)).toBe(true);
  });
});

describe('parseSubmission counts copies of one row rather than keeping each', () => {
  /** A long table with a period column under a sheet that reports on 2026-11. */
  const withMonths = (months: readonly string[]) =>
    sheetOf('科技创新', [['填报月份', '2026-11'], ['指标', '单位', '数值', '月份'], ...months.map((month) => ['巴渝工匠', '人', 12, month])]);
  const located = (problems: readonly Problem[]) => problems.map(({ code, cell }) => ({ code, cell }));

  it('takes a figure given on many rows once, however many', () => {
    const result = parse([scienceSheet(Array.from({ length: 3 * LISTED_PER_CODE }, () => ['巴渝工匠', '人', 12]))]);

    expect(result.errors).toEqual([]);
    expect(result.figures).toEqual([expect.objectContaining({ indicator: 'sci.bayu_craftsmen', value: 12, cell: `C${FIRST_FIGURE_ROW}` })]);
  });

  it('refuses copies alike: the same problems listed and counted as when every row is told apart', () => {
    const rows = 3 * LISTED_PER_CODE;
    // The same month written six ways: the rows give the same problem but are no copies of each other.
    const spellings = ['2027-05', '2027/05', '2027.05', '2027年5月', '2027-5', '2027年05月'];
    const copies = parse([withMonths(Array.from({ length: rows }, () => '2027-05'))]);
    const distinct = parse([withMonths(Array.from({ length: rows }, (_, i) => spellings[i % spellings.length] ?? ''))]);

    expect(located(copies.errors)).toEqual(located(distinct.errors));
    expect(copies.errors).toHaveLength(LISTED_PER_CODE + 1);
    expect(copies.errors.at(-1)?.message).toContain(`另有 ${rows - LISTED_PER_CODE} 处同类问题（period.conflict）`);
  });
});
