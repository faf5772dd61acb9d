import { describe, expect, it } from 'vitest';
import type { Indicator, IndicatorKind, Target, TargetRevision } from '../../shared/catalog/catalog.js';
import type { Observation } from '../../shared/observation.js';
import { progressOf } from '../../shared/progress.js';
import { observation } from '../fixtures.js';

const ID = 'sci.subject';
const REFERENCE = 'sci.city_average';

function indicator(kind: IndicatorKind, target?: Target, targetRevisions?: TargetRevision[]): Indicator {
  return { id: ID, department: 'science', zh: '指标', en: 'Indicator', unit: 'count', kind, aliases: [], target, targetRevisions };
}

function figures(...entries: [period: string, value: number | boolean][]): Observation[] {
  return entries.map(([period, value]) => observation(ID, period, value));
}

const REACH_20: Target = {
  type: 'reach',
  comparison: 'at_least',
  value: 20,
  deadline: '2027-12-31',
  baseline: { value: 0, date: '2025-12-31', assumed: false },
};
const ABOVE_ONE: Target = {
  type: 'reach',
  comparison: 'greater_than',
  value: 1,
  deadline: '2027-12-31',
  baseline: { value: 0.6, date: '2025-12-31', assumed: true },
};
const HOLD_AT_LEAST: Target = { type: 'hold', comparison: 'at_least', value: 4000 };
const HOLD_ABOVE: Target = { type: 'hold', comparison: 'greater_than', value: 4000 };
const ABOVE_REFERENCE: Target = { type: 'relative', comparison: 'greater_than', reference: REFERENCE, until: '2027-12-31' };
const MILESTONE_BY_NOVEMBER: Target = { type: 'milestone', deadline: '2026-11-30' };
const MILESTONE_UNDATED: Target = { type: 'milestone' };

describe('progressOf: a reach target', () => {
  it.each([
    { case: 'met is achieved', target: REACH_20, history: figures(['2026-06', 20]), period: '2026-06', status: 'achieved', progress: 1, expected: 0.2479 },
    { case: 'overshot is achieved above 1', target: REACH_20, history: figures(['2026-06', 25]), period: '2026-06', status: 'achieved', progress: 1.25, expected: 0.2479 },
    { case: 'ahead of the line is on track', target: REACH_20, history: figures(['2026-06', 10]), period: '2026-06', status: 'on_track', progress: 0.5, expected: 0.2479 },
    { case: 'exactly on the line is on track', target: REACH_20, history: figures(['2026-06', 4.958]), period: '2026-06', status: 'on_track', progress: 0.2479, expected: 0.2479 },
    { case: 'below the line and projected short is off track', target: REACH_20, history: figures(['2026-06', 2]), period: '2026-06', status: 'off_track', progress: 0.1, expected: 0.2479 },
    { case: 'on the line but stalled is at risk', target: REACH_20, history: figures(['2026-03', 6], ['2026-06', 6]), period: '2026-06', status: 'at_risk', progress: 0.3, expected: 0.2479 },
    { case: 'below the line but projected to 80 % is at risk', target: REACH_20, history: figures(['2026-03', 2], ['2026-06', 4]), period: '2026-06', status: 'at_risk', progress: 0.2, expected: 0.2479 },
    { case: 'below the line but projected to meet the target is on track', target: REACH_20, history: figures(['2026-03', 0], ['2026-06', 4.5]), period: '2026-06', status: 'on_track', progress: 0.225, expected: 0.2479 },
    { case: 'unmet after the deadline is off track', target: REACH_20, history: figures(['2027-11', 19]), period: '2028-01', status: 'off_track', progress: 0.95, expected: 1 },
    { case: 'equal to a strict target in the deadline month is off track', target: ABOVE_ONE, history: figures(['2027-12', 1]), period: '2027-12', status: 'off_track', progress: 1, expected: 1 },
    { case: 'above a strict target is achieved', target: ABOVE_ONE, history: figures(['2026-12', 1.2]), period: '2026-12', status: 'achieved', progress: 1.5, expected: 0.5 },
    { case: 'fallen under its baseline has negative progress', target: ABOVE_ONE, history: figures(['2026-12', 0.5]), period: '2026-12', status: 'off_track', progress: -0.25, expected: 0.5 },
    { case: 'without figures is no_data but keeps its line', target: REACH_20, history: [], period: '2026-06', status: 'no_data', progress: null, expected: 0.2479 },
    { case: 'with figures only after the month is no_data', target: REACH_20, history: figures(['2026-07', 20]), period: '2026-06', status: 'no_data', progress: null, expected: 0.2479 },
  ])('$case', ({ target, history, period, status, progress, expected }) => {
    const result = progressOf(indicator('stock', target), period, history);
    expect({ status: result.status, progress: result.progress, expected: result.expected }).toEqual({ status, progress, expected });
  });

  it.each([
    { period: '2025-11', expected: 0 },
    { period: '2025-12', expected: 0 },
    { period: '2026-01', expected: 0.0425 },
    { period: '2026-06', expected: 0.2479 },
    { period: '2026-12', expected: 0.5 },
    { period: '2027-06', expected: 0.7479 },
    { period: '2027-11', expected: 0.9575 },
    { period: '2027-12', expected: 1 },
    { period: '2028-03', expected: 1 },
  ])('expects $expected of the way from baseline to deadline at the end of $period', ({ period, expected }) => {
    expect(progressOf(indicator('stock', REACH_20), period, []).expected).toBe(expected);
  });
});

describe('progressOf: a hold target', () => {
  it.each([
    { case: 'at least, equal, is achieved', target: HOLD_AT_LEAST, value: 4000, status: 'achieved', progress: 1 },
    { case: 'at least, below, is off track', target: HOLD_AT_LEAST, value: 3990, status: 'off_track', progress: 0.9975 },
    { case: 'greater than, equal, is off track', target: HOLD_ABOVE, value: 4000, status: 'off_track', progress: 1 },
    { case: 'greater than, above, is achieved', target: HOLD_ABOVE, value: 4100, status: 'achieved', progress: 1.025 },
  ])('$case', ({ target, value, status, progress }) => {
    expect(progressOf(indicator('stock', target), '2026-11', figures(['2026-11', value]))).toMatchObject({ status, progress, expected: 1 });
  });

  it('is no_data without a figure', () => {
    expect(progressOf(indicator('stock', HOLD_AT_LEAST), '2026-11', [])).toMatchObject({ status: 'no_data', progress: null, value: null });
  });
});

describe('progressOf: a relative target', () => {
  const reference = (...entries: [period: string, value: number][]) =>
    entries.map(([period, value]) => observation(REFERENCE, period, value));

  it.each([
    { case: 'above the reference is achieved', own: figures(['2026-11', 2.5]), ref: reference(['2026-11', 2.4]), status: 'achieved', progress: 1.0417, referenceValue: 2.4 },
    { case: 'equal to the reference is off track', own: figures(['2026-11', 2.4]), ref: reference(['2026-11', 2.4]), status: 'off_track', progress: 1, referenceValue: 2.4 },
    { case: 'compares with the reference of the same month', own: figures(['2026-11', 2.5]), ref: reference(['2026-06', 2], ['2026-11', 2.4], ['2026-12', 3]), status: 'achieved', progress: 1.0417, referenceValue: 2.4 },
    { case: 'below the reference is off track', own: figures(['2026-11', 2.3]), ref: reference(['2026-11', 2.4]), status: 'off_track', progress: 0.9583, referenceValue: 2.4 },
    { case: 'with a reference of another month only is no_data', own: figures(['2026-11', 2.5]), ref: reference(['2026-10', 2.4]), status: 'no_data', progress: null, referenceValue: null },
    { case: 'without a reference is no_data', own: figures(['2026-11', 2.5]), ref: [], status: 'no_data', progress: null, referenceValue: null },
    { case: 'with a reference only after the month is no_data', own: figures(['2026-11', 2.5]), ref: reference(['2026-12', 2.4]), status: 'no_data', progress: null, referenceValue: null },
    { case: 'without its own figure is no_data', own: [], ref: reference(['2026-11', 2.4]), status: 'no_data', progress: null, referenceValue: null },
  ])('$case', ({ own, ref, status, progress, referenceValue }) => {
    const result = progressOf(indicator('ratio', ABOVE_REFERENCE), '2026-11', own, { referenceHistory: ref });
    expect(result).toMatchObject({ status, progress, referenceValue, expected: 1, reference: REFERENCE, deadline: '2027-12-31' });
  });
});

describe('progressOf: a milestone', () => {
  it.each([
    { case: 'done is achieved', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-10', true]), period: '2026-10', status: 'achieved', progress: 1 },
    { case: 'not done before its deadline month is on track', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-10', false]), period: '2026-10', status: 'on_track', progress: 0 },
    { case: 'not done in its deadline month is off track', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-11', false]), period: '2026-11', status: 'off_track', progress: 0 },
    { case: 'not done after its deadline is off track', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-10', false]), period: '2027-01', status: 'off_track', progress: 0 },
    { case: 'not done without a deadline is at risk', target: MILESTONE_UNDATED, history: figures(['2030-01', false]), period: '2030-01', status: 'at_risk', progress: 0 },
    { case: 'corrected to not done follows the latest month', target: MILESTONE_UNDATED, history: figures(['2026-09', true], ['2026-10', false]), period: '2026-10', status: 'at_risk', progress: 0 },
    { case: 'unreported is no_data', target: MILESTONE_BY_NOVEMBER, history: [], period: '2026-12', status: 'no_data', progress: null },
  ])('$case', ({ target, history, period, status, progress }) => {
    expect(progressOf(indicator('milestone', target), period, history)).toMatchObject({ status, progress, expected: null });
  });
});

describe('progressOf: an indicator without a target', () => {
  it.each([
    { case: 'with a figure is no_target', history: figures(['2026-11', 2.4]), status: 'no_target', value: 2.4 },
    { case: 'without a figure is no_data', history: [], status: 'no_data', value: null },
  ])('$case', ({ history, status, value }) => {
    expect(progressOf(indicator('ratio'), '2026-11', history)).toMatchObject({ status, value, progress: null, expected: null });
  });
});

describe('progressOf: the value as of the month', () => {
  const stock = figures(['2026-01', 5], ['2026-03', 7], ['2026-05', 9]);

  it.each([
    { order: 'oldest first', history: stock },
    { order: 'newest first', history: [...stock].reverse() },
  ])('takes the latest stock up to the month, $order', ({ history }) => {
    expect(progressOf(indicator('stock', REACH_20), '2026-04', history)).toMatchObject({ value: 7, asOf: '2026-03' });
  });

  const amounts = figures(['2025-11', 100], ['2025-12', 50], ['2026-01', 0.1], ['2026-02', 0.2], ['2026-04', 5]);

  it.each([
    { period: '2025-12', value: null, asOf: null },
    { period: '2026-01', value: 0.1, asOf: '2026-01' },
    { period: '2026-02', value: 0.3, asOf: '2026-02' },
    { period: '2026-03', value: 0.3, asOf: '2026-02' },
    { period: '2026-04', value: 5.3, asOf: '2026-04' },
  ])('sums a flow after the baseline month up to $period', ({ period, value, asOf }) => {
    expect(progressOf(indicator('flow', REACH_20), period, amounts)).toMatchObject({ value, asOf });
  });

  it('starts a flow from its baseline level', () => {
    const fromTen: Target = { ...REACH_20, baseline: { value: 10, date: '2025-12-31', assumed: false } };
    expect(progressOf(indicator('flow', fromTen), '2026-02', amounts)).toMatchObject({ value: 10.3, progress: 0.03 });
  });

  it('sums every amount up to the month of a flow without a baseline', () => {
    expect(progressOf(indicator('flow'), '2026-02', amounts)).toMatchObject({ value: 150.3, asOf: '2026-02', status: 'no_target' });
  });

  it('counts a figure of the wrong type as no figure', () => {
    expect(progressOf(indicator('stock', HOLD_AT_LEAST), '2026-11', figures(['2026-11', true]))).toMatchObject({ value: null, status: 'no_data' });
  });
});

describe('progressOf: the target terms', () => {
  it.each([
    {
      name: 'a reach',
      target: REACH_20,
      terms: { targetType: 'reach', comparison: 'at_least', targetValue: 20, reference: null, baselineValue: 0, baselineDate: '2025-12-31', baselineAssumed: false, deadline: '2027-12-31' },
    },
    {
      name: 'a hold',
      target: HOLD_ABOVE,
      terms: { targetType: 'hold', comparison: 'greater_than', targetValue: 4000, reference: null, baselineValue: null, baselineDate: null, baselineAssumed: null, deadline: null },
    },
    {
      name: 'a relative',
      target: ABOVE_REFERENCE,
      terms: { targetType: 'relative', comparison: 'greater_than', targetValue: null, reference: REFERENCE, baselineValue: null, baselineDate: null, baselineAssumed: null, deadline: '2027-12-31' },
    },
    {
      name: 'a milestone',
      target: MILESTONE_UNDATED,
      terms: { targetType: 'milestone', comparison: null, targetValue: null, reference: null, baselineValue: null, baselineDate: null, baselineAssumed: null, deadline: null },
    },
    {
      name: 'no',
      target: undefined,
      terms: { targetType: null, comparison: null, targetValue: null, reference: null, baselineValue: null, baselineDate: null, baselineAssumed: null, deadline: null },
    },
  ])('describes $name target', ({ target, terms }) => {
    const kind = target?.type === 'milestone' ? 'milestone' : 'stock';
    expect(progressOf(indicator(kind, target), '2026-11', [])).toMatchObject({ indicator: ID, ...terms });
  });
});

describe('progressOf: run-rates of a reach target', () => {
  it.each([
    {
      case: 'a flow counts the amounts of the last 3 and 12 months',
      kind: 'flow' as const,
      history: figures(['2026-01', 1], ['2026-08', 2], ['2026-09', 2], ['2026-10', 2], ['2026-11', 2]),
      rates: { runRate3m: 2, runRate12m: 0.75, requiredRunRate: 0.8461538462, projectedValue: 35 },
    },
    {
      case: 'a stock before its first figure starts from the baseline',
      kind: 'stock' as const,
      history: figures(['2026-11', 6]),
      rates: { runRate3m: 2, runRate12m: 0.5, requiredRunRate: 1.0769230769, projectedValue: 32 },
    },
    {
      case: 'a month with no report carries the level it had',
      kind: 'stock' as const,
      history: figures(['2026-07', 3], ['2026-09', 6]),
      rates: { runRate3m: 1, runRate12m: 0.5, requiredRunRate: 1.0769230769, projectedValue: 19 },
    },
  ])('$case', ({ kind, history, rates }) => {
    const result = progressOf(indicator(kind, REACH_20), '2026-11', history);
    expect({ runRate3m: result.runRate3m, runRate12m: result.runRate12m, requiredRunRate: result.requiredRunRate, projectedValue: result.projectedValue }).toEqual(rates);
  });

  it('needs no rate once the deadline month has come', () => {
    expect(progressOf(indicator('stock', REACH_20), '2027-12', figures(['2027-12', 15]))).toMatchObject({ requiredRunRate: null, projectedValue: 15 });
  });

  it('has no rates for a hold target', () => {
    expect(progressOf(indicator('stock', HOLD_AT_LEAST), '2026-11', figures(['2026-11', 4000]))).toMatchObject({
      runRate3m: null,
      runRate12m: null,
      requiredRunRate: null,
      projectedValue: null,
    });
  });
});

describe('progressOf: stale figures and corrections', () => {
  it.each([
    { case: 'a figure exactly as old as allowed still counts', history: figures(['2026-08', 4000]), status: 'achieved' },
    { case: 'a figure older than allowed is stale, whatever it said', history: figures(['2026-07', 4000]), status: 'stale' },
    { case: 'a month with no report keeps the latest figure', history: figures(['2026-09', 3990]), status: 'off_track' },
    { case: 'of two figures for one month the correction counts', history: figures(['2026-11', 3990], ['2026-11', 4010]), status: 'achieved' },
  ])('$case', ({ history, status }) => {
    expect(progressOf(indicator('stock', HOLD_AT_LEAST), '2026-11', history, { staleAfterMonths: 3 }).status).toBe(status);
  });

  it('counts a corrected flow amount once', () => {
    expect(progressOf(indicator('flow', REACH_20), '2026-02', figures(['2026-01', 5], ['2026-02', 1], ['2026-02', 2])).value).toBe(7);
  });

  it('marks a milestone stale like any figure', () => {
    expect(progressOf(indicator('milestone', MILESTONE_UNDATED), '2026-11', figures(['2026-01', true]), { staleAfterMonths: 3 }).status).toBe('stale');
  });
});

describe('progressOf: the worked example of the README', () => {
  // ≥ 20 new platforms by 2027-12-31 from 0 at 2025-12-31; 4 new by August 2026, then one a month.
  const history = figures(['2026-03', 2], ['2026-08', 2], ['2026-09', 1], ['2026-10', 1], ['2026-11', 1]);

  it('is on track in November 2026: the recent pace reaches the target exactly', () => {
    expect(progressOf(indicator('flow', REACH_20), '2026-11', history)).toMatchObject({
      value: 7,
      progress: 0.35,
      expected: 0.4575,
      runRate3m: 1,
      runRate12m: 0.5833333333,
      requiredRunRate: 1,
      projectedValue: 20,
      status: 'on_track',
    });
  });

  it.each([
    { case: 'a November without new platforms is off track', november: 0, projectedValue: 14.6666666667, status: 'off_track' },
    { case: 'half a platform short of the pace is at risk', november: 0.5, projectedValue: 17.3333333333, status: 'at_risk' },
  ])('$case', ({ november, projectedValue, status }) => {
    const slower = [...history.slice(0, -1), ...figures(['2026-11', november])];
    expect(progressOf(indicator('flow', REACH_20), '2026-11', slower)).toMatchObject({ projectedValue, status });
  });
});

describe('progressOf: a revised target', () => {
  const decision = { reason: '市级任务下调', decidedBy: '区政府常务会议纪要〔2026〕12号' };
  const revisedTo = (effective: string, target: Target): TargetRevision => ({ effective, ...decision, target });
  const REACH_12: Target = { ...REACH_20, value: 12 };
  const REACH_20_BY_2026: Target = { ...REACH_20, deadline: '2026-12-31' };
  const lowered = indicator('flow', REACH_20, [revisedTo('2026-07-01', REACH_12)]);
  // 1 a month from January: 6 by June, 12 by December.
  const monthly = figures(...Array.from({ length: 12 }, (_, i): [string, number] => [`2026-${String(i + 1).padStart(2, '0')}`, 1]));

  it.each([
    {
      case: 'before the revision takes effect, the original is in force and no other is reported',
      period: '2026-06',
      inForce: { targetValue: 20, progress: 0.3, status: 'on_track' },
      revision: null,
      original: null,
    },
    {
      case: 'from its month on, the revision is in force and the original is judged beside it',
      period: '2026-07',
      inForce: { targetValue: 12, progress: 0.5833, expected: 0.2904, status: 'on_track', requiredRunRate: 0.2941176471 },
      revision: { effective: '2026-07-01', ...decision },
      original: { targetType: 'reach', targetValue: 20, baselineValue: 0, deadline: '2027-12-31', progress: 0.35, expected: 0.2904, status: 'on_track' },
    },
    {
      case: 'met against the revision while still on the way to the original',
      period: '2026-12',
      inForce: { targetValue: 12, progress: 1, status: 'achieved' },
      revision: { effective: '2026-07-01', ...decision },
      original: { targetValue: 20, progress: 0.6, expected: 0.5, status: 'on_track' },
    },
  ])('$case', ({ period, inForce, revision, original }) => {
    const result = progressOf(lowered, period, monthly);
    expect(result).toMatchObject({ ...inForce, revision });
    if (original === null) expect(result.original).toBeNull();
    else expect(result.original).toMatchObject(original);
  });

  it.each([
    {
      case: 'an earlier deadline makes a target on the original line off track',
      indicator: indicator('flow', REACH_20, [revisedTo('2026-03-01', REACH_20_BY_2026)]),
      history: monthly,
      period: '2026-11',
      status: 'off_track',
      original: { deadline: '2027-12-31', status: 'on_track' },
    },
    {
      case: 'a later revision replaces an earlier one',
      indicator: indicator('flow', REACH_20, [revisedTo('2026-03-01', REACH_20_BY_2026), revisedTo('2026-10-15', REACH_12)]),
      history: monthly,
      period: '2026-11',
      status: 'on_track',
      original: { targetValue: 20, deadline: '2027-12-31', status: 'on_track' },
    },
    {
      case: 'a hold target raised is judged against both thresholds',
      indicator: indicator('stock', HOLD_AT_LEAST, [revisedTo('2026-09-01', { ...HOLD_AT_LEAST, value: 4500 })]),
      history: figures(['2026-11', 4200]),
      period: '2026-11',
      status: 'off_track',
      original: { targetType: 'hold', targetValue: 4000, progress: 1.05, expected: 1, status: 'achieved' },
    },
    {
      case: 'a milestone given a later deadline',
      indicator: indicator('milestone', MILESTONE_BY_NOVEMBER, [revisedTo('2026-10-20', { type: 'milestone', deadline: '2027-06-30' })]),
      history: figures(['2026-12', false]),
      period: '2026-12',
      status: 'on_track',
      original: { deadline: '2026-11-30', progress: 0, expected: null, status: 'off_track' },
    },
    {
      case: 'a stale figure is stale against both',
      indicator: indicator('stock', HOLD_AT_LEAST, [revisedTo('2026-09-01', { ...HOLD_AT_LEAST, value: 4500 })]),
      history: figures(['2026-01', 4200]),
      period: '2026-11',
      status: 'stale',
      original: { status: 'stale' },
    },
    {
      case: 'without a figure, no data against both',
      indicator: indicator('stock', HOLD_AT_LEAST, [revisedTo('2026-09-01', { ...HOLD_AT_LEAST, value: 4500 })]),
      history: [],
      period: '2026-11',
      status: 'no_data',
      original: { progress: null, status: 'no_data' },
    },
  ])('$case', ({ indicator: revised, history, period, status, original }) => {
    const result = progressOf(revised, period, history, { staleAfterMonths: 3 });
    expect(result.status).toBe(status);
    expect(result.original).toMatchObject(original);
  });
});
