import { describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { catalog, CatalogError, loadCatalog, type Indicator, type TargetRevision } from '../../shared/catalog/catalog.js';
import { revisionsEffectiveIn, targetInForce } from '../../shared/catalog/target-revisions.js';

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

/** sci.tech_managers: ≥ 10 by 2027-12-31 from 0 at 2025-12-31. */
const MANAGERS = 'sci.tech_managers';
const MANAGERS_TARGET = { type: 'reach', comparison: 'at_least', value: 10, deadline: '2027-12-31', baseline: { value: 0, date: '2025-12-31' } };

/** A revision of sci.tech_managers to `value`, effective on `effective`, with any field changed. */
function managersRevision(effective: string, value: number, change: Record<string, unknown> = {}) {
  return { effective, reason: '市科技局下达任务调整', decidedBy: '区政府常务会议纪要〔2026〕12号', target: { ...MANAGERS_TARGET, value }, ...change };
}

const withRevisions = (id: string, revisions: unknown[]) => withIndicator(id, (e) => ({ ...e, targetRevisions: revisions }));

describe('loading a catalog with revised targets', () => {
  it('keeps the original target and lists the revisions beside it', () => {
    const revised = loadCatalog(withRevisions(MANAGERS, [managersRevision('2026-07-01', 15), managersRevision('2027-01-01', 12)]));
    expect(revised.indicator(MANAGERS)?.target).toMatchObject({ value: 10 });
    expect(revised.indicator(MANAGERS)?.targetRevisions?.map((r) => [r.effective, r.target.type === 'reach' && r.target.value])).toEqual([
      ['2026-07-01', 15],
      ['2027-01-01', 12],
    ]);
  });

  it('leaves the shipped catalog unrevised: the brief records no decision that revised a target', () => {
    expect(catalog.indicators.filter((i) => i.targetRevisions !== undefined)).toEqual([]);
  });

  it.each([
    ['a revision without a reason', withRevisions(MANAGERS, [managersRevision('2026-07-01', 15, { reason: '  ' })]), '(targetRevisions.0.reason): a revision needs its reason'],
    ['a revision without who decided it', withRevisions(MANAGERS, [managersRevision('2026-07-01', 15, { decidedBy: '' })]), '(targetRevisions.0.decidedBy): a revision names who decided it'],
    ['a malformed effective date', withRevisions(MANAGERS, [managersRevision('2026-7-1', 15)]), '(targetRevisions.0.effective)'],
    [
      'a revision of another type',
      withRevisions(MANAGERS, [managersRevision('2026-07-01', 15, { target: { type: 'hold', comparison: 'at_least', value: 15 } })]),
      'indicator "sci.tech_managers", revision effective 2026-07-01: a reach target cannot be revised to a hold target',
    ],
    [
      'a revision on the baseline date',
      withRevisions(MANAGERS, [managersRevision('2025-12-31', 15)]),
      'indicator "sci.tech_managers", revision effective 2025-12-31: not after the baseline date 2025-12-31',
    ],
    [
      'a revision after the deadline of the original',
      withRevisions(MANAGERS, [managersRevision('2028-01-01', 15, { target: { ...MANAGERS_TARGET, deadline: '2028-12-31' } })]),
      'indicator "sci.tech_managers", revision effective 2028-01-01: after 2027-12-31, the deadline of the target it revises',
    ],
    [
      'a revision after the deadline of the revision it follows',
      withRevisions(MANAGERS, [
        managersRevision('2026-07-01', 15, { target: { ...MANAGERS_TARGET, deadline: '2026-12-31' } }),
        managersRevision('2027-03-01', 12),
      ]),
      'indicator "sci.tech_managers", revision effective 2027-03-01: after 2026-12-31, the deadline of the target it revises',
    ],
    [
      'revisions out of date order',
      withRevisions(MANAGERS, [managersRevision('2027-01-01', 12), managersRevision('2026-07-01', 15)]),
      'indicator "sci.tech_managers", revision effective 2026-07-01: not after the revision effective 2027-01-01',
    ],
    [
      'two revisions on one date',
      withRevisions(MANAGERS, [managersRevision('2026-07-01', 12), managersRevision('2026-07-01', 15)]),
      'not after the revision effective 2026-07-01; revisions are listed oldest first, one per date',
    ],
    [
      'a revision that moves the baseline',
      withRevisions(MANAGERS, [managersRevision('2026-07-01', 15, { target: { ...MANAGERS_TARGET, baseline: { value: 2, date: '2025-12-31' } } })]),
      "revision effective 2026-07-01: a revision keeps the original's baseline (0 at 2025-12-31)",
    ],
    [
      'a revised reach target whose deadline is not after its baseline',
      withRevisions(MANAGERS, [managersRevision('2026-07-01', 15, { target: { ...MANAGERS_TARGET, deadline: '2025-06-30' } })]),
      'revision effective 2026-07-01: baseline date 2025-12-31 is not before deadline 2025-06-30',
    ],
    [
      'a relative revision that changes its reference',
      withRevisions('sci.rd_intensity', [
        { effective: '2026-07-01', reason: '口径调整', decidedBy: '区科技局', target: { type: 'relative', comparison: 'at_least', reference: 'edu.quality_community_share', until: '2027-12-31' } },
      ]),
      'indicator "sci.rd_intensity", revision effective 2026-07-01: a revision keeps the original\'s reference "sci.rd_intensity_city_avg"',
    ],
    [
      'revisions of an indicator without a target',
      withRevisions('sci.rd_intensity_city_avg', [managersRevision('2026-07-01', 15)]),
      'indicator "sci.rd_intensity_city_avg": targetRevisions revise no target: give the original target first',
    ],
  ])('rejects %s, naming the entry and the revision', (_case, data, message) => {
    expect(() => loadCatalog(data)).toThrow(CatalogError);
    expect(() => loadCatalog(data)).toThrow(message);
  });

  it('accepts a revision on the deadline day itself and of a hold target at any date', () => {
    const hold = { effective: '2030-01-01', reason: '扩招', decidedBy: '区教委', target: { type: 'hold', comparison: 'at_least', value: 4500 } };
    const data = withRevisions(MANAGERS, [managersRevision('2027-12-31', 12)]) as Data;
    data.indicators = data.indicators.map((e) => (e.id === 'voc.haitang_enrolment' ? { ...e, targetRevisions: [hold] } : e));
    expect(() => loadCatalog(data)).not.toThrow();
  });
});

const revision = (effective: string, value: number): TargetRevision => ({
  effective,
  reason: `调整为 ${value}`,
  decidedBy: '区政府常务会议纪要',
  target: { type: 'hold', comparison: 'at_least', value },
});
const HOLD_4000 = { type: 'hold', comparison: 'at_least', value: 4000 } as const;
const revised: Pick<Indicator, 'id' | 'target' | 'targetRevisions'> = {
  id: 'voc.haitang_enrolment',
  target: HOLD_4000,
  targetRevisions: [revision('2026-07-01', 4500), revision('2026-09-15', 5000)],
};

describe('targetInForce', () => {
  const holding = (value: number) => ({ ...HOLD_4000, value });
  it.each([
    { why: 'before the first revision, the original', indicator: revised, period: '2026-06', target: HOLD_4000 },
    { why: 'a revision effective on the first day of the month', indicator: revised, period: '2026-07', target: holding(4500) },
    { why: 'the latest revision effective by the month', indicator: revised, period: '2026-08', target: holding(4500) },
    { why: 'a revision effective within the month judges the whole month', indicator: revised, period: '2026-09', target: holding(5000) },
    { why: 'the last revision stays in force', indicator: revised, period: '2027-01', target: holding(5000) },
    { why: 'an indicator never revised keeps its original', indicator: { target: HOLD_4000 }, period: '2026-11', target: HOLD_4000 },
    { why: 'an indicator without a target has none', indicator: {}, period: '2026-11', target: undefined },
  ])('in $period: $why', ({ indicator, period, target }) => {
    expect(targetInForce(indicator, period)).toEqual(target);
  });
});

describe('revisionsEffectiveIn', () => {
  it.each([
    { period: '2026-07', entries: [{ at: '2026-06-30T16:00:00.000Z', by: '区政府常务会议纪要', reason: '调整为 4500', indicator: 'voc.haitang_enrolment' }] },
    { period: '2026-09', entries: [{ at: '2026-09-14T16:00:00.000Z', by: '区政府常务会议纪要', reason: '调整为 5000', indicator: 'voc.haitang_enrolment' }] },
    { period: '2026-08', entries: [] },
  ])('lists what took effect in $period, at the start of the day in the district', ({ period, entries }) => {
    expect(revisionsEffectiveIn([revised, { id: 'voc.majors' }], period)).toEqual(entries);
  });
});
