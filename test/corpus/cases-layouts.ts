import type ExcelJS from 'exceljs';
import { periodOf } from '../../shared/calendar.js';
import type { RuledFigure } from '../../shared/workbook/rules.js';
import { columnLetters } from '../../shared/workbook/sheet.js';
import { addSheet, sheetWorkbook, workbook } from './build.js';
import { accepted, at, corpusCases, figure, rejected, SHEET, type CaseInput, type CorpusCase, type ExpectedFigure } from './outcome.js';

/**
 * The layouts clerks keep besides the template's: a row per indicator with a column per month (指标 | 单位 | 1月 …
 * 11月 | 累计), and an indicator's name merged down over its 本月 and 累计 rows.
 */

/** Bayu craftsmen trained in January to November: 5, 6, … 15, 110 in all. */
const CRAFTSMEN = Array.from({ length: 11 }, (_, i) => 5 + i);
/** Technology contract turnover, 0.5 亿元 a month: 5.5 in all. */
const TURNOVER = Array.from({ length: 11 }, () => 0.5);

const MONTHS = Array.from({ length: 11 }, (_, i) => `${i + 1}月`);

/** 序号 | 指标 | 单位 | 1月 … 11月 | 累计 under a merged title; the month columns start at D. */
function monthColumns(input: { title: string; headings?: string[]; cumulatives: [number, number] }): Promise<Uint8Array> {
  const headings = input.headings ?? MONTHS;
  return workbook((book) => {
    const sheet = addSheet(book, SHEET, [
      [input.title],
      ['序号', '指标', '单位', ...headings, '累计'],
      [1, '巴渝工匠', '人', ...CRAFTSMEN.slice(0, headings.length), input.cumulatives[0]],
      [2, '技术合同成交额', '亿元', ...TURNOVER.slice(0, headings.length), input.cumulatives[1]],
      ['填报人：张三'],
    ]);
    sheet.mergeCells(1, 1, 1, headings.length + 4);
  });
}

/** The figures of rows 3 and 4 for the months given. */
function monthFigures(months: number): ExpectedFigure[] {
  const row = (indicator: string, unit: string, values: number[], r: number) =>
    values.slice(0, months).map((value, i) => figure(indicator, value, unit, `${columnLetters(4 + i)}${r}`, periodOf(2026, i + 1)));
  return [...row('sci.bayu_craftsmen', 'persons', CRAFTSMEN, 3), ...row('sci.tech_contract_turnover', 'cny_100m', TURNOVER, 4)];
}

/** Technology contract turnover stored for January to October 2026, 0.93 亿元 each: 9.3 in all. */
const STORED: RuledFigure[] = Array.from({ length: 10 }, (_, i) => ({ indicator: 'sci.tech_contract_turnover', period: periodOf(2026, i + 1), value: 0.93 }));

/**
 * 指标 | 口径 | 数值 for November, each name merged down over its 本月 row and its 累计 row: the reader gives the name
 * to the first row only, so the 累计 row's name cell is empty.
 */
function subRows(turnoverCumulative: number): Promise<Uint8Array> {
  const rows: ExcelJS.CellValue[][] = [
    ['大足区科技局科技创新指标报表'],
    ['填报单位：大足区科技局'],
    ['填报月份', '2026-11'],
    [],
    ['指标', '口径', '数值'],
    ['技术合同成交额(亿元)', '本月', 1.2],
    [undefined, '累计', turnoverCumulative],
    ['巴渝工匠', '本月', 12],
    [undefined, '累计', 95],
  ];
  return workbook((book) => {
    const sheet = addSheet(book, SHEET, rows);
    sheet.mergeCells('A1:C1');
    sheet.mergeCells('A6:A7');
    sheet.mergeCells('A8:A9');
  });
}

const SUB_ROW_FIGURES = [figure('sci.tech_contract_turnover', 1.2, 'cny_100m', 'C6'), figure('sci.bayu_craftsmen', 12, 'persons', 'C8')];

const CASES: CaseInput[] = [
  {
    name: 'a column per month with a 序号 column and a 累计 column that is their sum',
    covers: 'layouts',
    bytes: () => monthColumns({ title: '大足区科技局2026年1-11月科技创新指标完成情况', cumulatives: [110, 5.5] }),
    expected: accepted(monthFigures(11)),
  },
  {
    name: 'a column per month headed 2026年1月 …, the year written with each month',
    covers: 'layouts',
    bytes: () =>
      monthColumns({ title: '大足区科技局科技创新指标', headings: MONTHS.map((month) => `2026年${month}`), cumulatives: [110, 5.5] }),
    expected: accepted(monthFigures(11)),
  },
  {
    name: 'a column per month whose 累计 is not the sum of the months',
    covers: 'layouts',
    bytes: () => monthColumns({ title: '大足区科技局2026年1-11月科技创新指标完成情况', cumulatives: [100, 5.5] }),
    expected: accepted(monthFigures(11), [at('value.cumulative_mismatch', 'O3')]),
  },
  {
    name: 'a column per month with a figure in a month after the one the title reports on',
    covers: 'layouts',
    bytes: () => monthColumns({ title: '大足区科技局2026年1-10月科技创新指标完成情况', cumulatives: [95, 5] }),
    expected: rejected([at('period.conflict', 'N2')], {
      period: '2026-10',
      figures: monthFigures(10),
    }),
  },
  {
    name: 'an indicator merged down over its 本月 and 累计 rows, the cumulative adding up with the stored months',
    covers: 'layouts',
    previous: STORED,
    bytes: () => subRows(10.5),
    expected: accepted(SUB_ROW_FIGURES),
  },
  {
    name: 'an indicator merged down over its 本月 and 累计 rows, the cumulative unlike the stored months and this one',
    covers: 'layouts',
    previous: STORED,
    bytes: () => subRows(11),
    expected: accepted(SUB_ROW_FIGURES, [at('value.cumulative_mismatch', 'C7')]),
  },
  {
    name: 'a row per month whose 合计 row is not the sum of the months above it',
    covers: 'layouts',
    bytes: () =>
      sheetWorkbook([
        ['大足区科技局2026年1-11月科技创新进度表'],
        ['月份', '巴渝工匠（人）', '技术合同成交额(万元)'],
        ['2026-10', 12, 2000],
        ['2026-11', 8, 500],
        ['合计', 20, 3000],
      ]),
    expected: accepted(
      [
        figure('sci.bayu_craftsmen', 12, 'persons', 'B3', '2026-10'),
        figure('sci.tech_contract_turnover', 0.2, 'cny_100m', 'C3', '2026-10'),
        figure('sci.bayu_craftsmen', 8, 'persons', 'B4'),
        figure('sci.tech_contract_turnover', 0.05, 'cny_100m', 'C4'),
      ],
      [at('value.cumulative_mismatch', 'C5')],
    ),
  },
];

export const LAYOUT_CASES: CorpusCase[] = corpusCases(CASES);
