import { describe, expect, it } from 'vitest';
import type { Indicator, IndicatorKind, Target } from '../../shared/catalog/catalog.js';
import type { Observation } from '../../shared/observation.js';
import { progressOf } from '../../shared/progress.js';
import { observation } from '../fixtures.js';

const ID = 'sci.subject';
const REFERENCE = 'sci.city_average';

function indicator(kind: IndicatorKind, target?: Target): Indicator {
  return { id: ID, department: 'science', zh: '指标', en: 'Indicator', unit: 'count', kind, aliases: [], target };
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
    { case: 'below the line is behind', target: REACH_20, history: figures(['2026-06', 2]), period: '2026-06', status: 'behind', progress: 0.1, expected: 0.2479 },
    { case: 'unmet after the deadline is behind', target: REACH_20, history: figures(['2027-06', 19]), period: '2028-01', status: 'behind', progress: 0.95, expected: 1 },
    { case: 'equal to a strict target in the deadline month is behind', target: ABOVE_ONE, history: figures(['2027-12', 1]), period: '2027-12', status: 'behind', progress: 1, expected: 1 },
    { case: 'above a strict target is achieved', target: ABOVE_ONE, history: figures(['2026-12', 1.2]), period: '2026-12', status: 'achieved', progress: 1.5, expected: 0.5 },
    { case: 'fallen under its baseline has negative progress', target: ABOVE_ONE, history: figures(['2026-12', 0.5]), period: '2026-12', status: 'behind', progress: -0.25, expected: 0.5 },
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
    { case: 'at least, below, is behind', target: HOLD_AT_LEAST, value: 3990, status: 'behind', progress: 0.9975 },
    { case: 'greater than, equal, is behind', target: HOLD_ABOVE, value: 4000, status: 'behind', progress: 1 },
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
    { case: 'equal to the reference is behind', own: figures(['2026-11', 2.4]), ref: reference(['2026-11', 2.4]), status: 'behind', progress: 1, referenceValue: 2.4 },
    { case: 'compares with the latest reference up to the month', own: figures(['2026-11', 2.5]), ref: reference(['2026-06', 2], ['2026-12', 3]), status: 'achieved', progress: 1.25, referenceValue: 2 },
    { case: 'without a reference is no_data', own: figures(['2026-11', 2.5]), ref: [], status: 'no_data', progress: null, referenceValue: null },
    { case: 'with a reference only after the month is no_data', own: figures(['2026-11', 2.5]), ref: reference(['2026-12', 2.4]), status: 'no_data', progress: null, referenceValue: null },
    { case: 'without its own figure is no_data', own: [], ref: reference(['2026-11', 2.4]), status: 'no_data', progress: null, referenceValue: 2.4 },
  ])('$case', ({ own, ref, status, progress, referenceValue }) => {
    const result = progressOf(indicator('ratio', ABOVE_REFERENCE), '2026-11', own, ref);
    expect(result).toMatchObject({ status, progress, referenceValue, expected: 1, reference: REFERENCE, deadline: '2027-12-31' });
  });
});

describe('progressOf: a milestone', () => {
  it.each([
    { case: 'done is achieved', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-10', true]), period: '2026-10', status: 'achieved', progress: 1 },
    { case: 'not done before its deadline month is on track', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-10', false]), period: '2026-10', status: 'on_track', progress: 0 },
    { case: 'not done in its deadline month is behind', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-11', false]), period: '2026-11', status: 'behind', progress: 0 },
    { case: 'not done after its deadline is behind', target: MILESTONE_BY_NOVEMBER, history: figures(['2026-10', false]), period: '2027-01', status: 'behind', progress: 0 },
    { case: 'not done without a deadline is on track', target: MILESTONE_UNDATED, history: figures(['2030-01', false]), period: '2030-01', status: 'on_track', progress: 0 },
    { case: 'corrected to not done follows the latest month', target: MILESTONE_UNDATED, history: figures(['2026-09', true], ['2026-10', false]), period: '2026-10', status: 'on_track', progress: 0 },
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
