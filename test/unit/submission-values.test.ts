import { describe, expect, it } from 'vitest';
import { FIRST_FIGURE_ROW, parse, scienceSheet, sheetOf, type CellInput } from './workbook-fixtures.js';

/** One figure row under the usual 指标 | 单位 | 数值 header: the value lands in C5, the unit in B5. */
function single(indicator: string, unit: CellInput, typed: CellInput) {
  return parse([scienceSheet([[indicator, unit, typed]])]);
}

describe('parseSubmission reads each value in the canonical unit', () => {
  it.each([
    { indicator: '巴渝工匠', unit: '人', typed: 12, expected: 12 },
    { indicator: '巴渝工匠', unit: '人', typed: '1,234', expected: 1234 },
    { indicator: '巴渝工匠', unit: '人', typed: '１２３', expected: 123 },
    { indicator: '巴渝工匠', unit: '人', typed: ' 45 ', expected: 45 },
    { indicator: '巴渝工匠', unit: undefined, typed: '45人', expected: 45 },
    { indicator: '国家级孵化器', unit: '个', typed: 0, expected: 0 },
    { indicator: '整体研发投入强度', unit: '%', typed: { value: 0.92, numFmt: '0%' }, expected: 92 },
    { indicator: '整体研发投入强度', unit: '%', typed: { value: 0.925, numFmt: '0.00%' }, expected: 92.5 },
    { indicator: '整体研发投入强度', unit: '%', typed: '92%', expected: 92 },
    { indicator: '整体研发投入强度', unit: undefined, typed: '2.15％', expected: 2.15 },
    { indicator: '整体研发投入强度', unit: '%', typed: 92, expected: 92 },
    { indicator: '整体研发投入强度', unit: '%', typed: 0.92, expected: 0.92 },
    { indicator: '整体研发投入强度', unit: '%', typed: { value: 2.5, numFmt: '0.0"%"' }, expected: 2.5 },
    { indicator: '技术合同成交额', unit: '亿元', typed: 3.5, expected: 3.5 },
    { indicator: '技术合同成交额', unit: '万元', typed: 3500, expected: 0.35 },
    { indicator: '技术合同成交额', unit: '元', typed: '350,000,000', expected: 3.5 },
    { indicator: '技术合同成交额', unit: undefined, typed: '3500万元', expected: 0.35 },
    { indicator: '技术合同成交额', unit: '亿元', typed: '3500 万元', expected: 0.35 },
    { indicator: '每亿元营业收入有效发明专利数', unit: '件/亿元', typed: 0.85, expected: 0.85 },
    { indicator: '每亿元营业收入有效发明专利数', unit: '件', typed: 0.85, expected: 0.85 },
    { indicator: '万人发明专利', unit: '件', typed: 12.3, expected: 12.3 },
    { indicator: '万人发明专利', unit: '件/万人口', typed: '6.8', expected: 6.8 },
  ])('$indicator typed as $typed with unit $unit is $expected', ({ indicator, unit, typed, expected }) => {
    const { figures, errors } = single(indicator, unit, typed);

    expect(errors).toEqual([]);
    expect(figures.map(({ value, cell }) => ({ value, cell }))).toEqual([{ value: expected, cell: `C${FIRST_FIGURE_ROW}` }]);
  });

  it.each([
    { typed: '是', expected: true },
    { typed: '否', expected: false },
    { typed: '已完成', expected: true },
    { typed: '未完成', expected: false },
    { typed: 'yes', expected: true },
    { typed: 'No', expected: false },
    { typed: 'TRUE', expected: true },
    { typed: 'false', expected: false },
    { typed: 1, expected: true },
    { typed: 0, expected: false },
    { typed: 'Done ', expected: true },
    { typed: true, expected: true },
  ])('reads a milestone typed as $typed as $expected', ({ typed, expected }) => {
    const { figures, errors } = single('企业创新激励一件事', '是/否', typed);

    expect(errors).toEqual([]);
    expect(figures.map((figure) => figure.value)).toEqual([expected]);
  });

  it('applies a unit in the value header only to the rows it fits', () => {
    const sheet = sheetOf('科技创新', [
      ['填报月份', '2026-11'],
      ['指标', '数值（万元）'],
      ['技术合同成交额', 3500],
      ['国家级孵化器', 1],
    ]);

    const { figures, errors } = parse([sheet]);

    expect(errors).toEqual([]);
    expect(figures.map(({ indicator, value, cell }) => ({ indicator, value, cell }))).toEqual([
      { indicator: 'sci.tech_contract_turnover', value: 0.35, cell: 'B3' },
      { indicator: 'sci.national_incubators', value: 1, cell: 'B4' },
    ]);
  });

  it.each([
    { name: '技术合同成交额（万元）', typed: 3500, expected: 0.35 },
    { name: '技术合同成交额(亿元)', typed: 3.5, expected: 3.5 },
    { name: '国家级孵化器（累计）', typed: 2, expected: 2 },
  ])('reads a unit in brackets after the name $name, and ignores brackets that are not a unit', ({ name, typed, expected }) => {
    const { figures, errors } = single(name, undefined, typed);

    expect(errors).toEqual([]);
    expect(figures.map((figure) => figure.value)).toEqual([expected]);
  });

  it('warns, and does not fail, when a value is left blank', () => {
    const { figures, errors, warnings } = parse([
      scienceSheet([['巴渝工匠', '人', undefined], ['科技特派员', '人', '  '], ['技术经理人', '人', 2]]),
    ]);

    expect(errors).toEqual([]);
    expect(figures.map((f) => f.indicator)).toEqual(['sci.tech_managers']);
    expect(warnings.filter((warning) => warning.code === 'value.missing')).toEqual([
      {
        sheet: '科技创新',
        cell: 'C5',
        code: 'value.missing',
        message:
          '数值为空，视为本月未报送：巴渝工匠（sci.bayu_craftsmen）未填写，如有数据请在此填写 / The value is blank and counts as not reported this month; Bayu craftsmen trained (sci.bayu_craftsmen) has no value; type it here if you have the figure',
      },
      expect.objectContaining({ cell: 'C6', code: 'value.missing' }),
    ]);
  });
});

describe('parseSubmission refuses a value it cannot take, at its cell', () => {
  it.each([
    { indicator: '巴渝工匠', unit: '人', typed: 12.5, code: 'value.not_whole', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: '-3', code: 'value.negative', cell: 'C5' },
    { indicator: '技术合同成交额', unit: '亿元', typed: -1.5, code: 'value.negative', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: 'abc', code: 'value.not_a_number', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: '约12', code: 'value.not_a_number', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: '1,2345', code: 'value.not_a_number', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: new Date(Date.UTC(2026, 10, 1)), code: 'value.not_a_number', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: true, code: 'value.not_a_number', cell: 'C5' },
    { indicator: '整体研发投入强度', unit: '%', typed: -1, code: 'value.negative', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: '(12)', code: 'value.negative', cell: 'C5' },
    { indicator: '企业创新激励一件事', unit: '是/否', typed: '进行中', code: 'value.not_boolean', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: { error: '#DIV/0!' }, code: 'value.formula_error', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: { formula: 'SUM(X1:X9)' }, code: 'value.formula_uncalculated', cell: 'C5' },
    { indicator: '技术合同成交额', unit: '千元', typed: 3500, code: 'unit.unknown', cell: 'B5' },
    { indicator: '巴渝工匠', unit: '个', typed: 12, code: 'unit.unknown', cell: 'B5' },
    { indicator: '企业创新激励一件事', unit: '个', typed: '是', code: 'unit.unknown', cell: 'B5' },
    { indicator: '巴渝工匠', unit: undefined, typed: '12个', code: 'unit.unknown', cell: 'C5' },
    { indicator: '巴渝工匠', unit: '人', typed: '92%', code: 'unit.unknown', cell: 'C5' },
  ])('$indicator typed as $typed with unit $unit → $code at $cell', ({ indicator, unit, typed, code, cell }) => {
    const { figures, errors } = single(indicator, unit, typed);

    expect(figures).toEqual([]);
    expect(errors.map((error) => ({ sheet: error.sheet, cell: error.cell, code: error.code }))).toEqual([{ sheet: '科技创新', cell, code }]);
  });

  it.each([
    {
      typed: -3,
      message: '数值不能为负数：读到 -3 人，请填写 0 或正数 / The value cannot be negative; read -3 persons; type 0 or more',
    },
    {
      typed: '1,2345',
      message: "数值不是数字：“1,2345”无法识别为数字，请只填写数字，如 12 或 3.5 / The value is not a number; '1,2345' cannot be read as a number; type digits only, e.g. 12 or 3.5",
    },
    {
      typed: { error: '#REF!' },
      message: '公式计算出错：请修正公式或直接填写数值（错误值 #REF!） / The formula gives an error; fix the formula or type the number itself (error #REF!)',
    },
  ])('says what is wrong and what to type instead for $typed', ({ typed, message }) => {
    expect(single('巴渝工匠', '人', typed).errors.map((error) => error.message)).toEqual([message]);
  });

  it.each([
    { indicator: '巴渝工匠', unit: '人次' },
    { indicator: '国家级孵化器', unit: '件' },
    { indicator: '万人发明专利', unit: '件/亿元' },
  ])('refuses $indicator in $unit, a unit that would change what the figure counts', ({ indicator, unit }) => {
    const { figures, errors } = single(indicator, unit, 12);

    expect(figures).toEqual([]);
    expect(errors.map(({ code, cell }) => ({ code, cell }))).toEqual([{ code: 'unit.unknown', cell: `B${FIRST_FIGURE_ROW}` }]);
  });

  it('names the units that are accepted when a unit is not recognised', () => {
    const [error] = single('技术合同成交额', '千元', 3500).errors;

    expect(error?.message).toBe(
      "单位无法识别：“千元”不是该指标可用的单位，请填写：亿元、万元、元 / The unit is not recognised; '千元' cannot be used for this indicator; use 亿元, 万元, 元",
    );
  });

  it('reports every bad cell, not only the first', () => {
    const { errors } = parse([
      scienceSheet([
        ['巴渝工匠', '人', 12.5],
        ['科技特派员', '人', 30],
        ['技术经理人', '人', 'abc'],
        ['整体研发投入强度', '%', 250],
      ]),
    ]);

    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([
      { cell: 'C5', code: 'value.not_whole' },
      { cell: 'C7', code: 'value.not_a_number' },
      { cell: 'C8', code: 'value.percent_out_of_range' },
    ]);
  });
});
