import { describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { catalog, CatalogError, loadCatalog } from '../../shared/catalog/catalog.js';

type Data = typeof catalogData;
type IndicatorEntry = Data['indicators'][number] & Record<string, unknown>;

/** A copy of the shipped catalog with one indicator changed. */
function withIndicator(id: string, change: (entry: IndicatorEntry) => unknown): unknown {
  const data = structuredClone(catalogData) as Data;
  data.indicators = data.indicators.map((entry) => (entry.id === id ? (change(entry as IndicatorEntry) as IndicatorEntry) : entry));
  return data;
}

describe('the shipped catalog', () => {
  it('holds every indicator of the brief under its public id', () => {
    expect(catalog.indicators.map((i) => i.id)).toEqual([
      'sci.rd_intensity',
      'sci.rd_intensity_city_avg',
      'sci.national_incubators',
      'sci.new_innovation_platforms',
      'sci.bayu_craftsmen',
      'sci.st_commissioners',
      'sci.tech_managers',
      'sci.patents_per_100m_revenue',
      'sci.patents_per_10k_residents',
      'sci.tech_contract_turnover',
      'sci.incentive_app_rollout',
      'edu.group_schooling_coverage',
      'edu.quality_community_share',
      'edu.traditional_feature_schools',
      'edu.national_designations',
      'voc.haitang_enrolment',
      'voc.hitech_enrolment',
      'voc.majors',
      'voc.industry_colleges',
      'voc.certificate_share',
    ]);
  });

  it('groups indicators by department', () => {
    expect(catalog.departments.map((d) => [d.id, catalog.indicatorsOf(d.id).length])).toEqual([
      ['science', 11],
      ['education', 4],
      ['vocational', 5],
    ]);
  });

  it.each([
    ['sci.tech_contract_turnover', 'flow', 'cny_100m', { type: 'reach', value: 30, deadline: '2027-12-31' }],
    ['voc.majors', 'stock', 'count', { type: 'hold', comparison: 'at_least', value: 22 }],
    ['sci.rd_intensity', 'ratio', 'percent', { type: 'relative', reference: 'sci.rd_intensity_city_avg' }],
    ['edu.group_schooling_coverage', 'ratio', 'percent', { type: 'reach', value: 100, deadline: '2029-12-31' }],
  ])('describes %s as a %s in %s with its target', (id, kind, unit, target) => {
    const indicator = catalog.indicator(id);
    expect(indicator).toMatchObject({ kind, unit, target });
  });

  it('leaves the city-wide average without a target: it is a reference value', () => {
    expect(catalog.indicator('sci.rd_intensity_city_avg')?.target).toBeUndefined();
  });
});

describe('the rules in the shipped catalog', () => {
  it('makes an implausible figure a warning and every other rule an error', () => {
    expect(catalog.severities).toEqual({
      'value.implausible': 'warning',
      'value.fell': 'error',
      'value.percent_out_of_range': 'error',
      'period.future': 'error',
      'indicator.duplicate': 'error',
      'indicator.other_department': 'error',
    });
  });

  it('marks the cumulative counts as never falling', () => {
    expect(catalog.indicators.filter((indicator) => indicator.neverFalls).map((indicator) => indicator.id)).toEqual([
      'sci.national_incubators',
      'edu.traditional_feature_schools',
    ]);
  });

  it('gives a plausible range to every count, amount and ratio that has a natural ceiling', () => {
    expect(catalog.indicator('sci.tech_contract_turnover')?.plausible).toEqual({ max: 30 });
    expect(catalog.indicator('voc.haitang_enrolment')?.plausible).toEqual({ max: 20000 });
  });

  it('defaults every severity when a catalog leaves them out', () => {
    const { severities: _left, ...data } = structuredClone(catalogData);

    expect(loadCatalog(data).severities).toEqual(catalog.severities);
  });
});

describe('loading a catalog', () => {
  it.each([
    [
      'an unknown unit',
      withIndicator('voc.majors', (e) => ({ ...e, unit: 'furlongs' })),
      'indicator "voc.majors": unknown unit "furlongs"',
    ],
    [
      'a duplicate id',
      withIndicator('voc.majors', (e) => ({ ...e, id: 'voc.industry_colleges' })),
      'indicator "voc.industry_colleges" is defined more than once',
    ],
    [
      'a reach target without a deadline',
      withIndicator('sci.bayu_craftsmen', (e) => ({ ...e, target: { ...(e.target as object), deadline: undefined } })),
      'indicators "sci.bayu_craftsmen" (target.deadline)',
    ],
    [
      'an unknown department',
      withIndicator('voc.majors', (e) => ({ ...e, department: 'police' })),
      'indicator "voc.majors": unknown department "police"',
    ],
    [
      'a relative target whose reference does not exist',
      withIndicator('sci.rd_intensity', (e) => ({ ...e, target: { ...(e.target as object), reference: 'sci.nothing' } })),
      'indicator "sci.rd_intensity": reference "sci.nothing" is not an indicator',
    ],
    [
      'a milestone target on a count',
      withIndicator('voc.majors', (e) => ({ ...e, target: { type: 'milestone' } })),
      'indicator "voc.majors": a stock indicator cannot have a milestone target',
    ],
    [
      'a baseline after the deadline',
      withIndicator('sci.tech_managers', (e) => ({
        ...e,
        target: { ...(e.target as object), baseline: { value: 0, date: '2028-01-01' } },
      })),
      'indicator "sci.tech_managers": baseline date 2028-01-01 is not before deadline 2027-12-31',
    ],
    [
      'a malformed date',
      withIndicator('sci.tech_managers', (e) => ({ ...e, target: { ...(e.target as object), deadline: '2027-13-01' } })),
      'indicators "sci.tech_managers" (target.deadline)',
    ],
    [
      'a plausible range whose minimum is above its maximum',
      withIndicator('voc.majors', (e) => ({ ...e, plausible: { min: 50, max: 10 } })),
      'indicators "voc.majors" (plausible): min is above max',
    ],
    [
      'a flow marked as never falling',
      withIndicator('sci.bayu_craftsmen', (e) => ({ ...e, neverFalls: true })),
      'indicator "sci.bayu_craftsmen": only a stock can be marked neverFalls',
    ],
    [
      'a severity that is neither error nor warning',
      { ...structuredClone(catalogData), severities: { ...catalogData.severities, 'value.fell': 'fatal' } },
      'severities.value.fell',
    ],
    [
      'a severity for a rule that does not exist',
      { ...structuredClone(catalogData), severities: { ...catalogData.severities, 'value.odd': 'error' } },
      'value.odd',
    ],
  ])('rejects %s, naming the entry', (_case, data, message) => {
    expect(() => loadCatalog(data)).toThrow(CatalogError);
    expect(() => loadCatalog(data)).toThrow(message);
  });

  it('accepts a new department and indicator without any code change', () => {
    const data = structuredClone(catalogData) as Data & { departments: unknown[]; indicators: unknown[] };
    data.departments.push({ id: 'health', zh: '区卫健委', en: 'Health Commission', aliases: [] });
    data.indicators.push({
      id: 'hea.clinics',
      department: 'health',
      zh: '社区诊所',
      en: 'Community clinics',
      unit: 'count',
      kind: 'stock',
      aliases: [],
      target: { type: 'reach', comparison: 'at_least', value: 12, deadline: '2028-12-31', baseline: { value: 8, date: '2025-12-31' } },
    });
    const extended = loadCatalog(data);
    expect(extended.indicatorsOf('health').map((i) => i.id)).toEqual(['hea.clinics']);
  });
});
