import { describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { catalog, loadCatalog } from '../../shared/catalog/catalog.js';
import { checkRules, type RuledFigure, type UploadedFigure } from '../../shared/workbook/rules.js';
import { parse, scienceSheet } from './workbook-fixtures.js';

function uploaded(indicator: string, value: number | boolean, period = '2026-11', cell = 'C5'): UploadedFigure {
  return { indicator, period, value, sheet: '报表', cell };
}

function findings(figures: UploadedFigure[], previous: RuledFigure[] = [], rules = catalog) {
  return checkRules({ catalog: rules, figures, previous }).map(({ code, cell, severity }) => ({ code, cell, severity }));
}

describe('checkRules', () => {
  it.each([
    { case: 'a count within its range', figure: uploaded('sci.bayu_craftsmen', 1000), expected: [] },
    { case: 'a count above its range', figure: uploaded('sci.bayu_craftsmen', 1001), expected: [{ code: 'value.implausible', cell: 'C5', severity: 'warning' }] },
    { case: 'an amount typed in 元 as 亿元', figure: uploaded('sci.tech_contract_turnover', 350_000_000), expected: [{ code: 'value.implausible', cell: 'C5', severity: 'warning' }] },
    { case: 'an indicator without a range', figure: uploaded('sci.rd_intensity_city_avg', 99), expected: [] },
    { case: 'a percentage of exactly 100', figure: uploaded('edu.group_schooling_coverage', 100), expected: [] },
    { case: 'a percentage over 100', figure: uploaded('edu.group_schooling_coverage', 100.5), expected: [{ code: 'value.percent_out_of_range', cell: 'C5', severity: 'error' }] },
    { case: 'a milestone', figure: uploaded('sci.incentive_app_rollout', true), expected: [] },
  ])('$case', ({ figure, expected }) => {
    expect(findings([figure])).toEqual(expected);
  });

  it.each([
    { case: 'below the month before', previous: [['2026-10', 52]], value: 50, expected: ['value.fell'] },
    { case: 'equal to the month before', previous: [['2026-10', 52]], value: 52, expected: [] },
    { case: 'below a month long before, the nearest being higher', previous: [['2026-06', 40], ['2026-10', 45]], value: 44, expected: ['value.fell'] },
    { case: 'above a later month already stored (a late correction)', previous: [['2026-12', 50]], value: 55, expected: ['value.fell'] },
    { case: 'below the figure it replaces for the same month', previous: [['2026-11', 60]], value: 50, expected: [] },
    { case: 'with nothing stored before it', previous: [], value: 50, expected: [] },
  ])('a cumulative count $case', ({ previous, value, expected }) => {
    const stored = previous.map(([period, stock]) => ({ indicator: 'edu.traditional_feature_schools', period: String(period), value: Number(stock) }));

    expect(findings([uploaded('edu.traditional_feature_schools', value)], stored).map(({ code }) => code)).toEqual(expected);
  });

  it('compares the months of one upload with each other', () => {
    const figures = [uploaded('sci.national_incubators', 2, '2026-10', 'B3'), uploaded('sci.national_incubators', 1, '2026-11', 'B4')];

    expect(findings(figures)).toEqual([
      { code: 'value.fell', cell: 'B3', severity: 'error' },
      { code: 'value.fell', cell: 'B4', severity: 'error' },
    ]);
  });

  it('lets a stock that may fall, such as enrolment, fall', () => {
    const stored = [{ indicator: 'voc.haitang_enrolment', period: '2026-10', value: 4100 }];

    expect(findings([uploaded('voc.haitang_enrolment', 3900)], stored)).toEqual([]);
  });

  it('gives one finding per cell, the percentage first', () => {
    const strict = loadCatalog({
      ...structuredClone(catalogData),
      indicators: catalogData.indicators.map((entry) => (entry.id === 'edu.group_schooling_coverage' ? { ...entry, plausible: { max: 50 } } : entry)),
    });

    expect(findings([uploaded('edu.group_schooling_coverage', 120)], [], strict)).toEqual([{ code: 'value.percent_out_of_range', cell: 'C5', severity: 'error' }]);
  });

  it('takes each severity from the catalog, an indicator’s own range severity first', () => {
    const data = structuredClone(catalogData);
    const strict = loadCatalog({
      ...data,
      severities: { ...data.severities, 'value.fell': 'warning', 'value.percent_out_of_range': 'warning' },
      indicators: data.indicators.map((entry) => (entry.id === 'sci.bayu_craftsmen' ? { ...entry, plausible: { max: 1000, severity: 'error' } } : entry)),
    });
    const stored = [{ indicator: 'edu.traditional_feature_schools', period: '2026-10', value: 52 }];

    expect(findings([uploaded('sci.bayu_craftsmen', 5000), uploaded('edu.traditional_feature_schools', 50, '2026-11', 'C6'), uploaded('edu.group_schooling_coverage', 120, '2026-11', 'C7')], stored, strict)).toEqual([
      { code: 'value.implausible', cell: 'C5', severity: 'error' },
      { code: 'value.fell', cell: 'C6', severity: 'warning' },
      { code: 'value.percent_out_of_range', cell: 'C7', severity: 'warning' },
    ]);
  });

  it('says what was read and what to check', () => {
    const [finding] = checkRules({ catalog, figures: [uploaded('edu.traditional_feature_schools', 50)], previous: [{ indicator: 'edu.traditional_feature_schools', period: '2026-10', value: 52 }] });

    expect(finding?.message).toBe(
      '累计数不应比之前月份减少：国家级、市级传统特色学校(累计)（edu.traditional_feature_schools）为 50，低于 2026-10 的 52；累计数只增不减，请核对 / A cumulative figure cannot be lower than an earlier month; National and municipal traditional-feature schools, cumulative (edu.traditional_feature_schools) is 50, below 52 in 2026-10; a cumulative count never falls, check it',
    );
  });
});

describe('parseSubmission applies the rules with the catalog’s severities', () => {
  it('accepts a figure with a warning, and lists the warning', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', 5000]])]);

    expect(result.errors).toEqual([]);
    expect(result.figures.map(({ indicator, value }) => ({ indicator, value }))).toEqual([{ indicator: 'sci.bayu_craftsmen', value: 5000 }]);
    expect(result.warnings.filter((warning) => warning.code !== 'indicator.not_listed').map(({ code, cell }) => ({ code, cell }))).toEqual([
      { code: 'value.implausible', cell: 'C5' },
    ]);
  });

  it('compares with the figures already stored', () => {
    const previous = [{ indicator: 'sci.national_incubators', period: '2026-10', value: 2 }];

    const { errors } = parse([scienceSheet([['国家级孵化器', '个', 1]])], { previous });

    expect(errors.map(({ code, cell }) => ({ code, cell }))).toEqual([{ code: 'value.fell', cell: 'C5' }]);
  });

  it.each([
    { code: 'period.future', rows: [['巴渝工匠', '人', 12]], period: '2027-01', cell: 'B2' },
    { code: 'indicator.duplicate', rows: [['巴渝工匠', '人', 12], ['巴渝工匠', '人', 13]], period: '2026-11', cell: 'C6' },
    { code: 'indicator.other_department', rows: [['巴渝工匠', '人', 12], ['开设专业', '个', 22]], period: '2026-11', cell: 'A6' },
  ])('makes $code a warning when the catalog says so', ({ code, rows, period, cell }) => {
    const lenient = loadCatalog({ ...structuredClone(catalogData), severities: { ...catalogData.severities, [code]: 'warning' } });

    const result = parse([scienceSheet(rows, period)], { catalog: lenient });

    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((warning) => warning.code === code).map((warning) => warning.cell)).toEqual([cell]);
    expect(result.figures.map(({ indicator, value, period: month }) => ({ indicator, value, month }))).toEqual([
      { indicator: 'sci.bayu_craftsmen', value: 12, month: period },
    ]);
  });
});
