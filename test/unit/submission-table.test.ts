import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../shared/catalog/catalog.js';
import { UnknownDepartmentError } from '../../shared/workbook/department.js';
import { parse, scienceSheet, sheetOf } from './workbook-fixtures.js';

function figuresOf(result: ReturnType<typeof parse>) {
  return result.figures.map(({ indicator, value, sheet, cell }) => ({ indicator, value, sheet, cell }));
}

describe('parseSubmission finds the table', () => {
  it('wherever its header row is, below a merged title and other lines', () => {
    const sheet = sheetOf('报表', [
      ['大足区科技局2026年11月科技创新指标报表'],
      [],
      ['填报单位：大足区科技局'],
      ['单位：人、个'],
      [],
      [],
      ['序号', '指标名称', '计量单位', '本月数', '备注'],
      [1, '巴渝工匠', '人', 12, '含线上培训'],
    ]);

    const result = parse([sheet]);

    expect(result.errors).toEqual([]);
    expect(result.period).toBe('2026-11');
    expect(figuresOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', value: 12, sheet: '报表', cell: 'D8' }]);
  });

  it.each([
    { header: ['数值', '指标'], row: [12, '巴渝工匠'], cell: 'A3' },
    { header: ['Indicator', 'Unit', 'Value'], row: ['Bayu craftsmen trained', 'persons', 12], cell: 'C3' },
    { header: ['指标编号 Indicator ID', '数值 Value'], row: ['sci.bayu_craftsmen', 12], cell: 'B3' },
    { header: ['项目', '单位', '数值（人）'], row: ['巴渝工匠', '人', 12], cell: 'C3' },
  ])('with headers $header', ({ header, row, cell }) => {
    const result = parse([sheetOf('S', [['填报月份', '2026-11'], header, row])]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', value: 12, sheet: 'S', cell }]);
  });

  it('skipping blank rows, note rows, section headings and a repeated header row', () => {
    const sheet = scienceSheet([
      ['Indicator', 'Unit', 'Value'],
      ['一、人才培养'],
      ['巴渝工匠', '人', 12],
      [],
      ['（二）科技服务'],
      ['科技特派员', '人', 30],
      ['注：数据截至月底。'],
      ['注1. 特派员含市级选派。'],
      ['填报人：张三', undefined, '联系电话：1234567'],
      ['审核人：李四'],
    ]);

    const result = parse([sheet]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.bayu_craftsmen', value: 12, sheet: '科技创新', cell: 'C7' },
      { indicator: 'sci.st_commissioners', value: 30, sheet: '科技创新', cell: 'C10' },
    ]);
  });

  it('but reads a figure whose other cells happen to use heading words: a repeated header has no figure in the value column', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', 12, '数值为估算', '项目组填报']])]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', value: 12, sheet: '科技创新', cell: 'C5' }]);
  });

  it('on every sheet that has one, leaving out sheets that do not', () => {
    const result = parse([
      sheetOf('说明', [['填报说明'], ['只填写数值列。数值 Value 指标 Indicator']]),
      scienceSheet([['巴渝工匠', '人', 12]], '2026-11', '人才'),
      scienceSheet([['技术合同成交额', '亿元', 3.5]], '2026-11', '成果转化'),
    ]);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result)).toEqual([
      { indicator: 'sci.bayu_craftsmen', value: 12, sheet: '人才', cell: 'C5' },
      { indicator: 'sci.tech_contract_turnover', value: 3.5, sheet: '成果转化', cell: 'C5' },
    ]);
  });

  it.each([
    { workbook: 'no sheets', sheets: [], rows: 0 },
    { workbook: 'sheets without a header row', sheets: [sheetOf('Sheet1', [['巴渝工匠', 12], ['科技特派员', 30]])], rows: 2 },
    { workbook: 'an indicator column but no value or month column', sheets: [sheetOf('Sheet1', [['指标', '说明'], ['巴渝工匠', 12]])], rows: 2 },
  ])('and says so when there is none: $workbook', ({ sheets, rows }) => {
    expect(parse(sheets)).toEqual({
      rowsRead: rows,
      period: null,
      periods: [],
      figures: [],
      errors: [
        {
          sheet: null,
          cell: null,
          code: 'sheet.no_table',
          message:
            "找不到填报表：没有哪个工作表的表头行同时有“指标”和“数值”两列，请使用模板并保留其表头行 / No data table found: no sheet has a header row with both an 'Indicator' and a 'Value' column; use the template and keep its header row",
        },
      ],
      warnings: [],
    });
  });
});

describe('parseSubmission refuses a table with nothing filled in', () => {
  it('as an error on the data sheet, beside the warnings for each blank value', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', undefined], ['科技特派员', '人', '']])]);
    expect(result.figures).toEqual([]);
    expect(result.errors.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual([
      { sheet: '科技创新', cell: null, code: 'sheet.no_figures' },
    ]);
    expect(result.warnings.filter((w) => w.code === 'value.missing').map((w) => w.cell)).toEqual(['C5', 'C6']);
  });
});

describe('parseSubmission is driven by the catalog', () => {
  const library = loadCatalog({
    version: 'test',
    units: [{ id: 'visits', zh: '人次', en: 'visits', value: 'integer', labels: ['人次', 'visits'] }],
    departments: [{ id: 'library', zh: '区图书馆', en: 'District Library' }],
    indicators: [{ id: 'lib.visitors', department: 'library', zh: '到馆人次', en: 'Library visits', unit: 'visits', kind: 'flow', aliases: ['进馆人次'] }],
  });

  it('reads a department and indicator that only the catalog knows', () => {
    const sheet = sheetOf('图书馆', [['区图书馆2026年11月报表'], ['指标', '单位', '数值'], ['进馆人次', '人次', '12,345']]);

    const result = parse([sheet], { catalog: library, department: 'library' });

    expect(result).toEqual({
      period: '2026-11',
      periods: ['2026-11'],
      figures: [{ indicator: 'lib.visitors', period: '2026-11', value: 12345, unit: 'visits', sheet: '图书馆', cell: 'C3' }],
      errors: [],
      warnings: [],
      rowsRead: 3,
    });
  });

  it('throws for a department the catalog does not have', () => {
    expect(() => parse([scienceSheet([])], { catalog: library, department: 'science' })).toThrow(UnknownDepartmentError);
  });
});
