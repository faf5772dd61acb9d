import { describe, expect, it } from 'vitest';
import type { WorkbookSheet } from '../../shared/workbook/sheet.js';
import { parse, scienceSheet, sheetOf, type CellInput } from './workbook-fixtures.js';

function figuresOf(result: ReturnType<typeof parse>) {
  return result.figures.map(({ indicator, period, value, cell }) => ({ indicator, period, value, cell }));
}

function located(problems: ReturnType<typeof parse>['errors']) {
  return problems.map(({ code, sheet, cell }) => ({ code, sheet, cell }));
}

/** A year-to-date sheet: a title, then 月份 | 巴渝工匠 | 科技特派员 and a row per month. */
function progressSheet(rows: readonly (readonly CellInput[])[], title = '大足区科技局2026年1-11月科技创新进度表'): WorkbookSheet {
  return sheetOf('进度', [[title], ['月份', '巴渝工匠（人）', '科技特派员'], ...rows]);
}

describe('parseSubmission reads a wide table, a row per month', () => {
  it.each<{ written: CellInput }>([
    { written: '2026-10' },
    { written: '2026年10月' },
    { written: '10月' },
    { written: 10 },
    { written: new Date(Date.UTC(2026, 9, 1)) },
  ])('with the month written as $written', ({ written }) => {
    const result = parse([progressSheet([[written, 12, 3]])]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.bayu_craftsmen', period: '2026-10', value: 12, cell: 'B3' },
      { indicator: 'sci.st_commissioners', period: '2026-10', value: 3, cell: 'C3' },
    ]);
  });

  it('lists every month it has figures for, and reports on the one the title states', () => {
    const result = parse([progressSheet([['2026-09', 10], ['2026-10', undefined, 4], ['2026-11', 8, 3]])]);

    expect(result.period).toBe('2026-11');
    expect(result.periods).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(result.figures).toHaveLength(4);
  });

  it('reports on its latest month when nothing states one', () => {
    const result = parse([progressSheet([['2026-09', 10], ['2026-10', 12]], '科技创新进度表')]);

    expect(result).toMatchObject({ period: '2026-10', periods: ['2026-09', '2026-10'], errors: [] });
  });

  it('skips summary, note and blank rows and the columns a clerk adds', () => {
    const sheet = sheetOf('进度', [
      ['大足区科技局2026年1-11月科技创新进度表'],
      ['序号', '月份', '巴渝工匠', '备注'],
      [1, '2026-11', 12, '含线上'],
      [],
      ['合计', undefined, 12],
      [undefined, '1-11月累计', 12],
      ['填报人：张三'],
    ]);

    const result = parse([sheet]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, cell: 'C3' }]);
  });

  it.each([
    { problem: 'a row with figures but no month', rows: [[undefined, 12]], title: undefined, expected: [{ code: 'period.missing', cell: 'A3' }] },
    { problem: 'a month number without a year anywhere', rows: [['11月', 12]], title: '科技创新进度表', expected: [{ code: 'period.invalid', cell: 'A3' }] },
    { problem: 'a month after the one the title states', rows: [['2026-12', 12]], title: undefined, expected: [{ code: 'period.conflict', cell: 'A3' }] },
    { problem: 'a month in the future', rows: [['2027-01', 12]], title: '科技创新进度表', expected: [{ code: 'period.future', cell: 'A3' }] },
  ])('refuses $problem at the month cell', ({ rows, title, expected }) => {
    const result = parse([progressSheet(rows, title)]);

    expect(result.errors.map(({ code, cell }) => ({ code, cell }))).toEqual(expected);
  });

  it('reports a month cell once, however many figures its row has', () => {
    const result = parse([progressSheet([['2026-13', 12, 3]])]);

    expect(located(result.errors)).toEqual([{ code: 'period.invalid', sheet: '进度', cell: 'A3' }]);
  });

  it('refuses the same indicator and month given differently in a long and a wide table', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', 12]]), progressSheet([['2026-11', 15]])]);

    expect(located(result.errors)).toEqual([{ code: 'indicator.duplicate', sheet: '进度', cell: 'B3' }]);
  });
});

describe('parseSubmission reads a long table with a period column', () => {
  it.each(['月份', '年月', '报表期', '所属期', 'Period'])('taking each row’s month when nothing else states one, the column headed %s', (heading) => {
    const result = parse([sheetOf('报表', [['指标', '数值', heading], ['巴渝工匠', 12, '2026-11'], ['科技特派员', 3, '2026年11月']])]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, cell: 'B2' },
      { indicator: 'sci.st_commissioners', period: '2026-11', value: 3, cell: 'B3' },
    ]);
  });

  it('and the stated month for a row that leaves it blank', () => {
    const result = parse([sheetOf('报表', [['填报月份', '2026-11'], ['指标', '数值', '月份'], ['巴渝工匠', 12]])]);

    expect(figuresOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, cell: 'B3' }]);
  });
});

describe('parseSubmission and sheets it does not read', () => {
  it('ignores a hidden sheet, even one with a table', () => {
    const hidden = { ...scienceSheet([['巴渝工匠', '人', 99]], '2026-11', '旧表'), hidden: true };

    const result = parse([scienceSheet([['巴渝工匠', '人', 12]]), hidden]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, cell: 'C5' }]);
  });

  it('warns of a visible sheet that names indicators beside numbers but has no header row', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', 12]]), sheetOf('补充', [['科技特派员', 3]]), sheetOf('说明', [['只填数值', 1]])]);

    expect(located(result.warnings.filter((warning) => warning.code === 'sheet.unreadable'))).toEqual([
      { code: 'sheet.unreadable', sheet: '补充', cell: null },
    ]);
  });
});
