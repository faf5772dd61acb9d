import { describe, expect, it } from 'vitest';
import { LISTED_PER_CODE } from '../../shared/workbook/listing.js';
import { FIRST_FIGURE_ROW, parse, scienceSheet } from './workbook-fixtures.js';

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
