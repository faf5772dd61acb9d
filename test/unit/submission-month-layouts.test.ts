import { describe, expect, it } from 'vitest';
import type { RuledFigure } from '../../shared/workbook/rules.js';
import type { WorkbookSheet } from '../../shared/workbook/sheet.js';
import { parse, sheetOf, type CellInput } from './workbook-fixtures.js';

function figuresOf(result: ReturnType<typeof parse>) {
  return result.figures.map(({ indicator, period, value, unit, sheet, cell }) => ({ indicator, period, value, unit, sheet, cell }));
}

function located(problems: ReturnType<typeof parse>['errors']) {
  return problems.map(({ code, sheet, cell }) => ({ code, sheet, cell }));
}

function warningsOf(result: ReturnType<typeof parse>) {
  return located(result.warnings.filter((warning) => warning.code !== 'indicator.not_listed'));
}

/** A row per indicator and a column per month: a title, then 指标 | 单位 | the headings given. */
function monthsSheet(headings: readonly CellInput[], rows: readonly (readonly CellInput[])[], title = '大足区科技局2026年1-3月科技创新指标'): WorkbookSheet {
  return sheetOf('月报', [[title], ['指标', '单位', ...headings], ...rows]);
}

const CRAFTSMEN = ['巴渝工匠', '人', 10, 12, 8];
const TURNOVER = ['技术合同成交额', '万元', 1000, 2000, 500];

function craftsmen(period: string, value: number, cell: string) {
  return { indicator: 'sci.bayu_craftsmen', period, value, unit: 'persons', sheet: '月报', cell };
}

describe('parseSubmission reads a row per indicator with a column per month', () => {
  it.each<{ headings: CellInput[] }>([
    { headings: ['1月', '2月', '3月'] },
    { headings: ['1月份', '2月份', '3月份'] },
    { headings: ['2026年1月', '2026年2月', '2026年3月'] },
    { headings: ['2026-01', '2026-02', '2026-03'] },
    { headings: ['January', 'Feb', 'Mar.'] },
    { headings: ['一月', '二月', '三月'] },
    { headings: [new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 1, 1)), new Date(Date.UTC(2026, 2, 1))] },
  ])('with the months headed $headings', ({ headings }) => {
    const result = parse([monthsSheet(headings, [CRAFTSMEN, TURNOVER])]);

    expect(result.errors).toEqual([]);
    expect(result.period).toBe('2026-03');
    expect(result.periods).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(figuresOf(result)).toEqual([
      craftsmen('2026-01', 10, 'C3'),
      craftsmen('2026-02', 12, 'D3'),
      craftsmen('2026-03', 8, 'E3'),
      { indicator: 'sci.tech_contract_turnover', period: '2026-01', value: 0.1, unit: 'cny_100m', sheet: '月报', cell: 'C4' },
      { indicator: 'sci.tech_contract_turnover', period: '2026-02', value: 0.2, unit: 'cny_100m', sheet: '月报', cell: 'D4' },
      { indicator: 'sci.tech_contract_turnover', period: '2026-03', value: 0.05, unit: 'cny_100m', sheet: '月报', cell: 'E4' },
    ]);
  });

  it.each(['累计', '合计', '全年', '全年累计', '年度累计', '本年累计', '1-3月', '1-3月累计', 'Total'])(
    'never takes the cumulative column headed %s as a month, and says nothing when it is the sum',
    (heading) => {
      const result = parse([monthsSheet(['1月', '2月', '3月', heading], [[...CRAFTSMEN, 30], [...TURNOVER, 3500]])]);

      expect(result.errors).toEqual([]);
      expect(result.figures.map(({ cell }) => cell)).toEqual(['C3', 'D3', 'E3', 'C4', 'D4', 'E4']);
      expect(warningsOf(result)).toEqual([]);
    },
  );

  it('warns at a cumulative cell that is not the sum of its months, naming the sum', () => {
    const result = parse([monthsSheet(['1月', '2月', '3月', '累计'], [[...CRAFTSMEN, 31], [...TURNOVER, 3600]])]);

    expect(result.errors).toEqual([]);
    expect(result.figures).toHaveLength(6);
    expect(warningsOf(result)).toEqual([
      { code: 'value.cumulative_mismatch', sheet: '月报', cell: 'F3' },
      { code: 'value.cumulative_mismatch', sheet: '月报', cell: 'F4' },
    ]);
    expect(result.warnings[0]?.message).toContain('巴渝工匠（sci.bayu_craftsmen）的累计为 31 人，而 2026-01…2026-03 各月之和为 30 人');
    expect(result.warnings[1]?.message).toContain('(sci.tech_contract_turnover) is 0.36 100 million CNY, but the months 2026-01…2026-03 add up to 0.35 100 million CNY');
  });

  it.each([
    { case: 'a blank month adds nothing', row: ['巴渝工匠', '人', 10, undefined, 8, 18], warnings: [] },
    { case: 'a heading naming fewer months sums only those', row: ['巴渝工匠', '人', 10, 12, 8, 22], heading: '1-2月累计', warnings: [] },
    { case: 'a stock is not a sum', row: ['国家级孵化器', '个', 1, 1, 1, 1], warnings: [] },
    { case: 'a ratio is not a sum', row: ['研发投入强度', '%', 2.1, 2.2, 2.3, 2.3], warnings: [] },
  ])('compares only what the catalog sums: $case', ({ row, heading, warnings }) => {
    const result = parse([monthsSheet(['1月', '2月', '3月', heading ?? '累计'], [row])]);

    expect(result.errors).toEqual([]);
    expect(warningsOf(result).filter((warning) => warning.code !== 'value.missing')).toEqual(warnings);
  });

  it('skips a 序号 column, a 备注 column and a total row under the indicators', () => {
    const sheet = sheetOf('月报', [
      ['大足区科技局2026年1-2月科技创新指标'],
      ['序号', '指标名称', '计量单位', '1月', '2月', '备注'],
      [1, '巴渝工匠', '人', 10, 12, '含线上'],
      [2, '科技特派员', '人', 3, 4],
      ['合计', undefined, undefined, 13, 16],
      ['填报人：张三'],
    ]);

    const result = parse([sheet]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      craftsmen('2026-01', 10, 'D3'),
      craftsmen('2026-02', 12, 'E3'),
      { indicator: 'sci.st_commissioners', period: '2026-01', value: 3, unit: 'persons', sheet: '月报', cell: 'D4' },
      { indicator: 'sci.st_commissioners', period: '2026-02', value: 4, unit: 'persons', sheet: '月报', cell: 'E4' },
    ]);
  });

  it('refuses a month after the reporting month that holds a value, at its heading, as a wide table does its row', () => {
    const result = parse([monthsSheet(['1月', '2月', '3月', '4月'], [[...CRAFTSMEN, 9]])]);

    expect(located(result.errors)).toEqual([{ code: 'period.conflict', sheet: '月报', cell: 'F2' }]);
  });

  it('leaves a blank month after the reporting month alone', () => {
    const result = parse([monthsSheet(['1月', '2月', '3月', '4月', '累计'], [[...CRAFTSMEN, undefined, 30]])]);

    expect(result.errors).toEqual([]);
    expect(result.figures.map(({ cell }) => cell)).toEqual(['C3', 'D3', 'E3']);
    expect(warningsOf(result)).toEqual([]);
  });

  it.each([
    { source: 'the file name', title: '科技创新指标', fileName: '科技局2026年月报.xlsx', expected: { period: '2026-02', errors: [] } },
    { source: 'nowhere', title: '科技创新指标', fileName: 'report.xlsx', expected: { period: null, errors: [{ code: 'period.invalid', sheet: '月报', cell: 'C2' }] } },
  ])('takes the year of month headings from the title or, here, $source', ({ title, fileName, expected }) => {
    const result = parse([monthsSheet(['1月', '2月'], [['巴渝工匠', '人', 10, 12]], title)], { fileName });

    expect({ period: result.period, errors: located(result.errors).slice(0, 1) }).toEqual(expected);
  });

  it('refuses an indicator it does not know, as a long table does', () => {
    const result = parse([monthsSheet(['1月'], [['巴渝匠人', '人', 10]])]);

    expect(located(result.errors)).toEqual([{ code: 'indicator.unknown', sheet: '月报', cell: 'A3' }]);
  });
});

/** 指标 | 口径 | 数值 under a period line: an indicator's name merged down over its 本月 and 累计 rows. */
function subRowSheet(rows: readonly (readonly CellInput[])[], period = '2026-11', header: CellInput[] = ['指标', '口径', '数值']): WorkbookSheet {
  return sheetOf('报表', [['大足区科技局科技创新指标报表'], ['填报月份', period], [], header, ...rows]);
}

/** Technology contract turnover stored for January to October 2026, 0.93 亿元 each: 9.3 in all. */
const STORED: RuledFigure[] = Array.from({ length: 10 }, (_, i) => ({
  indicator: 'sci.tech_contract_turnover',
  period: `2026-${String(i + 1).padStart(2, '0')}`,
  value: 0.93,
}));

describe('parseSubmission reads an indicator reported in a 本月 row and a 累计 row', () => {
  it('takes the 本月 row as the month’s figure and the row under the merged name as the same indicator’s cumulative', () => {
    const result = parse([subRowSheet([['技术合同成交额', '本月', 1.2], [undefined, '累计', 10.5], ['巴渝工匠', '本月', 12], [undefined, '累计', 100]])], {
      previous: STORED,
    });

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.tech_contract_turnover', period: '2026-11', value: 1.2, unit: 'cny_100m', sheet: '报表', cell: 'C5' },
      { indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, unit: 'persons', sheet: '报表', cell: 'C7' },
    ]);
    expect(warningsOf(result)).toEqual([]);
  });

  it.each([
    { case: 'the stored months and this one add up to it', cumulative: 10.5, previous: STORED, warnings: [] },
    {
      case: 'they do not',
      cumulative: 11,
      previous: STORED,
      warnings: [{ code: 'value.cumulative_mismatch', sheet: '报表', cell: 'C6' }],
    },
    { case: 'a month of the year is not known', cumulative: 11, previous: STORED.slice(1), warnings: [] },
    { case: 'nothing is stored', cumulative: 11, previous: [], warnings: [] },
  ])('compares the cumulative with January to the month, warning only when all are known and $case', ({ cumulative, previous, warnings }) => {
    const result = parse([subRowSheet([['技术合同成交额', '本月', 1.2], [undefined, '累计', cumulative]])], { previous });

    expect(result.errors).toEqual([]);
    expect(warningsOf(result)).toEqual(warnings);
  });

  it('names the sum expected', () => {
    const result = parse([subRowSheet([['技术合同成交额', '本月', 1.2], [undefined, '累计', 1.5]], '2026-01')]);

    expect(located(result.warnings)).toContainEqual({ code: 'value.cumulative_mismatch', sheet: '报表', cell: 'C6' });
    expect(result.warnings.find((warning) => warning.code === 'value.cumulative_mismatch')?.message).toContain(
      'the cumulative of Technology contract turnover (sci.tech_contract_turnover) is 1.5 100 million CNY, but the months 2026-01 add up to 1.2 100 million CNY',
    );
  });

  it('reads the cumulative in the unit of the merged unit cell above it, and skips a 上年同期 row', () => {
    const rows = [
      ['技术合同成交额', '万元', '本月', 12000],
      [undefined, undefined, '累计', 105000],
      [undefined, undefined, '上年同期', 9000],
    ];
    const result = parse([subRowSheet(rows, '2026-11', ['指标', '单位', '口径', '数值'])], { previous: STORED });

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.tech_contract_turnover', period: '2026-11', value: 1.2, unit: 'cny_100m', sheet: '报表', cell: 'D5' },
    ]);
    expect(warningsOf(result)).toEqual([]);
  });

  it('takes a stock’s 本月 row as its level and does not sum it', () => {
    const result = parse([subRowSheet([['国家级孵化器', '本月', 1], [undefined, '累计', 3]])]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.national_incubators', period: '2026-11', value: 1, unit: 'count', sheet: '报表', cell: 'C5' },
    ]);
    expect(warningsOf(result)).toEqual([]);
  });

  it.each([
    { case: 'a value under a name without a sub-label', rows: [['巴渝工匠', '本月', 12], [undefined, undefined, 3]] },
    { case: 'a sub-label row with no named row above', rows: [[undefined, '累计', 3]] },
  ])('still refuses $case as a row without an indicator', ({ rows }) => {
    const result = parse([subRowSheet(rows)]);

    expect(located(result.errors)).toEqual([{ code: 'indicator.unknown', sheet: '报表', cell: `A${4 + rows.length}` }]);
  });
});

describe('parseSubmission compares a wide table’s summary row with the months above it', () => {
  /** 月份 | 巴渝工匠 | 国家级孵化器 for January to March 2026, then the summary rows given. */
  function progress(summaries: readonly (readonly CellInput[])[]): WorkbookSheet {
    return sheetOf('进度', [
      ['大足区科技局2026年1-3月科技创新进度表'],
      ['月份', '巴渝工匠', '国家级孵化器'],
      ['1月', 10, 0],
      ['2月', undefined, 1],
      ['3月', 8, 1],
      ...summaries,
    ]);
  }

  it.each([
    { case: 'a 合计 row that is the sum, a stock beside it not summed', summaries: [['合计', 18, 2]], warnings: [] },
    { case: 'a 合计 row that is not', summaries: [['合计', 20, 2]], warnings: [{ code: 'value.cumulative_mismatch', sheet: '进度', cell: 'B6' }] },
    { case: 'a 1-2月累计 row, of January and February only', summaries: [['1-2月累计', 10]], warnings: [] },
    {
      case: 'a second summary row under the first, of the same months',
      summaries: [['合计', 18], ['1-3月累计', 19]],
      warnings: [{ code: 'value.cumulative_mismatch', sheet: '进度', cell: 'B7' }],
    },
  ])('$case', ({ summaries, warnings }) => {
    const result = parse([progress(summaries)]);

    expect(result.errors).toEqual([]);
    expect(result.figures.map(({ cell }) => cell)).toEqual(['B3', 'C3', 'C4', 'B5', 'C5']);
    expect(warningsOf(result)).toEqual(warnings);
  });
});
