import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { parse, scienceSheet, sheetOf } from './workbook-fixtures.js';

describe('parseSubmission recognises an indicator', () => {
  it.each([
    { written: 'sci.bayu_craftsmen', id: 'sci.bayu_craftsmen' },
    { written: ' SCI.BAYU_CRAFTSMEN ', id: 'sci.bayu_craftsmen' },
    { written: '巴渝工匠', id: 'sci.bayu_craftsmen' },
    { written: '巴渝 工匠', id: 'sci.bayu_craftsmen' },
    { written: 'Bayu craftsmen trained', id: 'sci.bayu_craftsmen' },
    { written: 'bayu  CRAFTSMEN   trained', id: 'sci.bayu_craftsmen' },
    { written: '培育巴渝工匠', id: 'sci.bayu_craftsmen' },
    { written: 'ＢＡＹＵ　ｃｒａｆｔｓｍｅｎ', id: 'sci.bayu_craftsmen' },
    { written: '1. 巴渝工匠', id: 'sci.bayu_craftsmen' },
    { written: '3、巴渝工匠', id: 'sci.bayu_craftsmen' },
    { written: '"企业创新激励一件事"应用全市推广复用', id: 'sci.incentive_app_rollout' },
    { written: '「企业创新激励一件事」应用全市推广复用', id: 'sci.incentive_app_rollout' },
    { written: '技术合同成交额（累计）', id: 'sci.tech_contract_turnover' },
    { written: '技术合同成交额【亿元】', id: 'sci.tech_contract_turnover' },
    { written: 'R&D intensity', id: 'sci.rd_intensity' },
  ])('written as $written', ({ written, id }) => {
    const { figures, errors } = parse([scienceSheet([[written, undefined, 1]])]);

    expect(errors).toEqual([]);
    expect(figures.map((figure) => figure.indicator)).toEqual([id]);
  });

  it('by its name when the id column holds a mistyped id', () => {
    const sheet = sheetOf('科技创新', [['填报月份', '2026-11'], ['指标编号', '指标名称', '本月数'], ['sci.bayu_craftsman', '巴渝工匠', 12]]);

    const { figures, errors } = parse([sheet]);

    expect(errors).toEqual([]);
    expect(figures).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, unit: 'persons', sheet: '科技创新', cell: 'C3' }]);
  });
});

describe('parseSubmission refuses a row it cannot attribute', () => {
  it("when the indicator is another department's: it belongs in that department's folder", () => {
    const { errors, figures } = parse([scienceSheet([['集团化办学覆盖率', '%', 95]])]);

    expect(figures).toEqual([]);
    expect(errors).toEqual([
      {
        sheet: '科技创新',
        cell: 'A5',
        code: 'indicator.other_department',
        message:
          '该指标属于其他部门：集团化办学覆盖率（edu.group_schooling_coverage）属于区教委，不属于区科技局；请删除此行，或上传到 incoming/education/ / This indicator belongs to another department; Share of schools in school groups (edu.group_schooling_coverage) belongs to Education Commission, not Science & Technology Bureau; delete this row or upload it to incoming/education/',
      },
    ]);
  });

  it('when the indicator is unknown, naming the nearest catalog names', () => {
    const { errors } = parse([scienceSheet([['巴渝工将', '人', 12]])]);

    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'A5', code: 'indicator.unknown' }]);
    expect(errors[0]?.message).toMatch(/^无法识别的指标：“巴渝工将”不在指标目录中，最接近的是：巴渝工匠（sci\.bayu_craftsmen）、/);
    expect(errors[0]?.message).toContain("/ Unknown indicator; '巴渝工将' is not in the indicator catalog; nearest: Bayu craftsmen trained (sci.bayu_craftsmen), ");
  });

  it('when a row has a value but no indicator', () => {
    const { errors } = parse([scienceSheet([[undefined, '人', 12]])]);

    expect(errors.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual([{ sheet: '科技创新', cell: 'A5', code: 'indicator.unknown' }]);
    expect(errors[0]?.message).toContain('第 5 行有数值但没有指标');
  });

  it('when the same indicator is given twice with different values, at the second', () => {
    const { errors, figures } = parse([scienceSheet([['巴渝工匠', '人', 12], ['科技特派员', '人', 3], ['Bayu craftsmen trained', '人', 15]])]);

    expect(figures.map(({ indicator, value, cell }) => ({ indicator, value, cell }))).toEqual([
      { indicator: 'sci.bayu_craftsmen', value: 12, cell: 'C5' },
      { indicator: 'sci.st_commissioners', value: 3, cell: 'C6' },
    ]);
    expect(errors).toEqual([
      {
        sheet: '科技创新',
        cell: 'C7',
        code: 'indicator.duplicate',
        message:
          '同一指标填写了两次且数值不同：巴渝工匠（sci.bayu_craftsmen） 2026-11 已在 科技创新!C5 填为 12，此处为 15，请只保留一个 / The same indicator is given twice with different values; Bayu craftsmen trained (sci.bayu_craftsmen) for 2026-11 is already given as 12 in 科技创新!C5, here 15; keep only one',
      },
    ]);
  });

  it('but takes the same indicator given twice with the same value once', () => {
    const { errors, figures } = parse([scienceSheet([['巴渝工匠', '人', 12], ['sci.bayu_craftsmen', '人', '12']])]);

    expect(errors).toEqual([]);
    expect(figures.map(({ indicator, cell }) => ({ indicator, cell }))).toEqual([{ indicator: 'sci.bayu_craftsmen', cell: 'C5' }]);
  });

  it('does not warn of a blank row when the indicator is given elsewhere', () => {
    const { warnings } = parse([scienceSheet([['巴渝工匠', '人', undefined], ['巴渝工匠', '人', 12]])]);

    expect(warnings.filter((warning) => warning.code === 'value.missing')).toEqual([]);
  });
});

describe('parseSubmission warns of indicators missing from the workbook', () => {
  it("lists each of the department's indicators that has no row, in catalog order", () => {
    const { warnings } = parse([scienceSheet([['巴渝工匠', '人', 12]])]);

    const expected = catalog.indicatorsOf('science').filter((indicator) => indicator.id !== 'sci.bayu_craftsmen');
    expect(warnings.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual(expected.map(() => ({ sheet: null, cell: null, code: 'indicator.not_listed' })));
    expect(warnings[0]?.message).toBe(
      '表中没有该指标，视为本月未报送：整体研发投入强度（sci.rd_intensity）不在表中，如需报送请按模板添加该行 / The indicator is not in the workbook and counts as not reported this month; District R&D spending intensity (R&D / GDP) (sci.rd_intensity) is not in the workbook; add its row as in the template to report it',
    );
  });
});
