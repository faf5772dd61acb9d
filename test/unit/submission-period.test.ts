import { describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { loadCatalog, type Catalog } from '../../shared/catalog/catalog.js';
import { keepAbove } from '../../shared/workbook/reporting-period.js';
import { parse, scienceSheet, sheetOf, type CellInput } from './workbook-fixtures.js';

const FIGURE: CellInput[] = ['巴渝工匠', '人', 12];

function withPeriodCell(period: CellInput, fileName = 'report.xlsx', catalog?: Catalog) {
  return parse([scienceSheet([FIGURE], period)], { fileName, ...(catalog ? { catalog } : {}) });
}

describe('parseSubmission finds the reporting period', () => {
  it.each<{ written: CellInput }>([
    { written: '2026-11' },
    { written: '2026/11' },
    { written: '2026年11月' },
    { written: '2026.11' },
    { written: '２０２６年１１月' },
    { written: ' 2026 年 11 月 ' },
    { written: '2026-11-30' },
    { written: '202611' },
    { written: new Date(Date.UTC(2026, 10, 1)) },
    { written: 2026.11 },
    { written: 202611 },
    { written: 46327 },
  ])('in the period cell written as $written', ({ written }) => {
    const { period, errors, figures } = withPeriodCell(written);

    expect(errors).toEqual([]);
    expect(period).toBe('2026-11');
    expect(figures.map((figure) => figure.period)).toEqual(['2026-11']);
  });

  it.each([
    { row: ['填报月份：2026年11月'] },
    { row: ['报告期', '2026-11'] },
    { row: ['Reporting period:', '2026-11'] },
    { row: ['月份：', '2026/11'] },
    { row: ['年月', '2026-11'] },
    { row: ['所属期：2026年11月'] },
    { row: ['填报单位', '区科技局', '填报月份', '2026-11'] },
  ])('behind the label in $row', ({ row }) => {
    const sheet = sheetOf('科技创新', [['大足区科技局科技创新指标报表'], row, ['指标', '数值'], ['巴渝工匠', 12]]);

    expect(parse([sheet])).toMatchObject({ period: '2026-11', errors: [] });
  });

  it('in the title when no cell states it', () => {
    const sheet = sheetOf('科技创新', [['大足区科技局2026年11月科技创新指标报表'], [], ['指标', '数值'], ['巴渝工匠', 12]]);

    expect(parse([sheet])).toMatchObject({ period: '2026-11', errors: [] });
  });

  it.each(['science-2026-11.xlsx', '科技局2026年11月报表.xlsx', 'science_202611.xlsx', 'incoming/science/科技局 2026.11 (1).xlsx'])(
    'in the file name %s when the workbook does not state it',
    (fileName) => {
      const sheet = sheetOf('科技创新', [['指标', '数值'], ['巴渝工匠', 12]]);

      expect(parse([sheet], { fileName })).toMatchObject({ period: '2026-11', errors: [] });
    },
  );

  it('in a bare date serial, counted from 1904 when the workbook is saved so', () => {
    const sheet = { ...scienceSheet([FIGURE], 46327 - 1462), date1904: true };

    expect(parse([sheet])).toMatchObject({ period: '2026-11', errors: [] });
  });

  it('accepts the current month', () => {
    expect(withPeriodCell('2026-12')).toMatchObject({ period: '2026-12', errors: [] });
  });
});

describe('the period cell wins over a title that names another month', () => {
  it('takes the period cell and warns at the title, saying which month was taken', () => {
    const sheet = sheetOf('科技创新', [['大足区科技局2026年10月科技创新指标报表'], ['填报月份', '2026-11'], ['指标', '数值'], ['巴渝工匠', 12]]);

    const { period, errors, warnings, figures } = parse([sheet]);

    expect(period).toBe('2026-11');
    expect(errors).toEqual([]);
    expect(figures.map(({ indicator, period: month, value }) => ({ indicator, month, value }))).toEqual([{ indicator: 'sci.bayu_craftsmen', month: '2026-11', value: 12 }]);
    expect(warnings.filter((warning) => warning.code !== 'indicator.not_listed')).toEqual([
      {
        sheet: '科技创新',
        cell: 'A1',
        code: 'period.overruled',
        message:
          '标题或文件名中的月份与填报月份不一致，已按填报月份读取：标题 科技创新!A1 为 2026-10，已按 单元格 科技创新!B2 读作 2026-11；如月份有误，请修改该单元格 / The title or the file name names another month than the period cell; the period cell was taken; the title in 科技创新!A1 says 2026-10; the figures were read as 2026-11, from cell 科技创新!B2; if that month is wrong, change that cell',
      },
    ]);
  });

  it('takes the period cell over a reused file name and title, both still naming last month, with a warning for each', () => {
    const sheet = sheetOf('科技创新', [['大足区科技局2026年10月科技创新指标报表'], ['填报月份', '2026-11'], ['指标', '数值'], ['巴渝工匠', 12]]);

    const { period, errors, warnings } = parse([sheet], { fileName: 'science-2026-10.xlsx' });

    expect(period).toBe('2026-11');
    expect(errors).toEqual([]);
    expect(warnings.filter((warning) => warning.code === 'period.overruled').map(({ cell }) => cell)).toEqual(['A1', 'B2']);
  });
});

describe('a file name naming another month than the period cell', () => {
  it('is overruled by the cell, with a warning at the cell that names both', () => {
    const { period, errors, warnings } = withPeriodCell('2026-11', 'science-2026-10.xlsx');

    expect(period).toBe('2026-11');
    expect(errors).toEqual([]);
    expect(warnings.filter((warning) => warning.code === 'period.overruled')).toEqual([
      {
        sheet: '科技创新',
        cell: 'B2',
        code: 'period.overruled',
        message:
          "标题或文件名中的月份与填报月份不一致，已按填报月份读取：文件名“science-2026-10” 为 2026-10，已按 单元格 科技创新!B2 读作 2026-11；如月份有误，请修改该单元格 / The title or the file name names another month than the period cell; the period cell was taken; the file name 'science-2026-10' says 2026-10; the figures were read as 2026-11, from cell 科技创新!B2; if that month is wrong, change that cell",
      },
    ]);
  });
});

describe('the file name states a month only when it is unambiguous and plausible', () => {
  const table = () => sheetOf('科技创新', [['指标', '数值'], ['巴渝工匠', 12]]);

  it.each([
    { fileName: '500112-科技局-2026年10月.xlsx', period: '2026-10', why: 'a district code before it' },
    { fileName: '500113_科技局_202610.xlsx', period: '2026-10', why: 'a district code before six digits' },
    { fileName: '科技局_2026-11_GB18030.csv', period: '2026-11', why: 'an encoding name after it' },
    { fileName: 'science-2026-11-30.xlsx', period: '2026-11', why: 'a day after it' },
    { fileName: '科技局2026年1-11月进度.xlsx', period: '2026-11', why: 'the last month of a year-to-date range' },
    { fileName: 'science-2026-11（2026年11月）.xlsx', period: '2026-11', why: 'the same month written twice' },
    { fileName: '科技局２０２６年１１月.xlsx', period: '2026-11', why: 'full-width digits' },
  ])('reads $period from $fileName ($why)', ({ fileName, period }) => {
    expect(parse([table()], { fileName })).toMatchObject({ period, errors: [] });
  });

  it.each([
    { fileName: 'science-2000-01.xlsx', period: '2000-01', code: 'period.too_early' },
    { fileName: 'science-2099-12.xlsx', period: '2099-12', code: 'period.future' },
  ])('reads the years 2000 to 2099, then checks them as any month: $fileName is $code', ({ fileName, period, code }) => {
    const { period: read, errors } = parse([table()], { fileName });

    expect(read).toBe(period);
    expect(errors.map((error) => ({ sheet: error.sheet, cell: error.cell, code: error.code }))).toEqual([{ sheet: null, cell: null, code }]);
  });

  it.each([
    { fileName: 'GB18030.xlsx', why: 'an encoding name' },
    { fileName: '科技局-GB1803-0.xlsx', why: 'a year outside 2000–2099' },
    { fileName: '500112-科技局.xlsx', why: 'a district code alone' },
    { fileName: 'science-2026-13.xlsx', why: 'no month 13' },
    { fileName: 'science-2026-00.xlsx', why: 'no month 0' },
    { fileName: 'science-1999-12.xlsx', why: 'a year before 2000' },
    { fileName: 'science-2100-01.xlsx', why: 'a year after 2099' },
    { fileName: '报表_20261130.xlsx', why: 'part of a longer run of digits' },
    { fileName: 'science-2026-10-to-2026-11.xlsx', why: 'two different months' },
  ])('ignores $fileName ($why): no month, and no error of its own', ({ fileName }) => {
    expect(parse([table()], { fileName }).errors.map(({ code }) => code)).toEqual(['period.missing']);
    expect(withPeriodCell('2026-11', fileName)).toMatchObject({ period: '2026-11', errors: [] });
  });
});

describe('parseSubmission refuses a period it cannot trust', () => {
  it('when the title and the file name disagree and no cell states the month, at the title', () => {
    const sheet = sheetOf('科技创新', [['大足区科技局2026年10月科技创新指标报表'], ['指标', '数值'], ['巴渝工匠', 12]]);

    const { errors } = parse([sheet], { fileName: 'science-2026-11.xlsx' });

    expect(errors.map(({ sheet: name, cell, code }) => ({ name, cell, code }))).toEqual([{ name: '科技创新', cell: 'A1', code: 'period.conflict' }]);
  });

  it('when two data sheets state different months', () => {
    const { errors } = parse([scienceSheet([FIGURE], '2026-11', '十一月'), scienceSheet([['科技特派员', '人', 3]], '2026-10', '十月')]);

    expect(errors.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual([{ sheet: '十月', cell: 'B2', code: 'period.conflict' }]);
  });

  it('when no period is stated anywhere, and then gives no figures', () => {
    const sheet = sheetOf('科技创新', [['指标', '数值'], ['巴渝工匠', 12]]);

    expect(parse([sheet], { fileName: 'report.xlsx' })).toEqual({
      period: null,
      periods: [],
      figures: [],
      rowsRead: 2,
      errors: [
        {
          sheet: '科技创新',
          cell: null,
          code: 'period.missing',
          message:
            '找不到填报月份：请在“填报月份”单元格填写如 2026-12，或在文件名中写明，如 science-2026-12.xlsx / No reporting period found; type it as 2026-12 in the 填报月份 Period cell, or name the file like science-2026-12.xlsx',
        },
      ],
      warnings: expect.any(Array),
    });
  });

  it('when no period is stated, beside the problems of rows it cannot read', () => {
    const sheet = sheetOf('科技创新', [['指标', '数值'], ['巴渝工匠', 'abc']]);

    const { errors } = parse([sheet], { fileName: 'report.xlsx' });

    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([
      { cell: 'B2', code: 'value.not_a_number' },
      { cell: null, code: 'period.missing' },
    ]);
  });

  it('when the period is after the current month', () => {
    const { errors } = withPeriodCell('2027-01');

    expect(errors).toEqual([
      {
        sheet: '科技创新',
        cell: 'B2',
        code: 'period.future',
        message: '填报月份晚于本月：2027-01 晚于本月 2026-12，请填写已经开始的月份 / The reporting period is in the future; 2027-01 is after the current month 2026-12; report a month that has begun',
      },
    ]);
  });

  it.each<{ written: CellInput }>([{ written: '2026-13' }, { written: '十一月' }, { written: 2026.1 }, { written: 2026 }, { written: '2026-00' }])(
    'when the period cell holds $written, which is not a clear month',
    ({ written }) => {
      const { period, errors } = withPeriodCell(written);

      expect(period).toBeNull();
      expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'B2', code: 'period.invalid' }]);
      expect(errors[0]?.message).toContain('type it as year-month, e.g. 2026-12');
    },
  );

  it('takes the file name when the period cell cannot be read, and still reports the cell', () => {
    const { period, errors } = withPeriodCell('十一月', 'science-2026-11.xlsx');

    expect(period).toBe('2026-11');
    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'B2', code: 'period.invalid' }]);
  });
});

describe('keepAbove keeps of the rows above a header only what reading the period needs', () => {
  const title = sheetOf('S', [['大足区科技局2026年科技创新指标报表']]).rows;
  const noYearTitle = sheetOf('S', [['科技创新指标报表']]).rows;
  const row = (...cells: CellInput[]) => sheetOf('S', [cells]).rows[0] ?? [];

  it.each([
    { case: 'the first row, the title', kept: [], year: false, row: row('科技创新指标报表'), keeps: true },
    { case: 'a label row', kept: title, year: true, row: row('填报月份', '2026-11'), keeps: true },
    { case: 'a row writing a year when none kept does', kept: noYearTitle, year: false, row: row('填报单位：科技局 2026年'), keeps: true },
    { case: 'a row writing a year after one that did', kept: title, year: true, row: row('2026年度'), keeps: false },
    { case: 'any other row', kept: title, year: true, row: row('填报单位：大足区科技局'), keeps: false },
  ])('$case: kept $keeps', ({ kept, year, row: next, keeps }) => {
    const above = { rows: [...kept], year };

    keepAbove(above, next);

    expect(above.rows.length).toBe(kept.length + (keeps ? 1 : 0));
  });

  it('so a header far down still gets the month of a label among many lines above it', () => {
    const lines = Array.from({ length: 300 }, (_, i) => [`说明第 ${i + 1} 条`]);
    const sheet = sheetOf('S', [['科技创新指标报表'], ...lines.slice(0, 150), ['填报月份', '2026-11'], ...lines.slice(150), ['指标', '单位', '数值'], FIGURE]);

    const { period, errors } = parse([sheet]);

    expect(errors).toEqual([]);
    expect(period).toBe('2026-11');
  });
});

describe("parseSubmission refuses months before the catalog's earliest baseline", () => {
  it.each<{ written: CellInput }>([{ written: '2025-11' }, { written: '2000-01' }, { written: '0999-01' }, { written: new Date(Date.UTC(1899, 11, 30)) }])(
    'in the period cell, $written is a period.too_early naming the first month to report',
    ({ written }) => {
      const { errors } = withPeriodCell(written);

      expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'B2', code: 'period.too_early' }]);
      expect(errors[0]?.message).toContain('请填写 2025-12 或之后的月份');
      expect(errors[0]?.message).toContain('report 2025-12 or a later month');
    },
  );

  it('accepts the baseline month itself', () => {
    expect(withPeriodCell('2025-12')).toMatchObject({ period: '2025-12', errors: [] });
  });

  it("in a wide table's month column, refusing each early month at its cell and keeping the others", () => {
    const months = Array.from({ length: 200 }, (_, i) => [`${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, i]);
    const sheet = sheetOf('进度', [['月份', '巴渝工匠'], ...months, ['2026-01', 300]]);

    const { errors, figures } = parse([sheet]);

    expect(figures.map((figure) => figure.period)).toEqual(['2026-01']);
    expect(errors.filter((error) => error.code === 'period.too_early').map((error) => error.cell).slice(0, 2)).toEqual(['A2', 'A3']);
    expect(errors.map((error) => error.code).every((code) => code === 'period.too_early')).toBe(true);
    expect(errors.at(-1)?.message).toContain('另有 100 处同类问题（period.too_early）');
  });

  it('takes the earliest baseline from the catalog data', () => {
    const data = structuredClone(catalogData) as { indicators: { target?: { type: string; baseline?: { date: string } } }[] };
    for (const { target } of data.indicators) if (target?.baseline) target.baseline.date = '2019-06-30';
    const earlier = loadCatalog(data);

    expect(withPeriodCell('2019-06', 'report.xlsx', earlier)).toMatchObject({ period: '2019-06', errors: [] });
    expect(withPeriodCell('2019-05', 'report.xlsx', earlier).errors.map((error) => error.code)).toEqual(['period.too_early']);
  });
});
