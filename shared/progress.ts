import type { Comparison, Indicator, Target } from './catalog/catalog.js';
import type { Observation } from './observation.js';
import { periodEnd, periodOfDate, type Period } from './period.js';

/**
 * Where an indicator stands in a month: its figure as of that month, the target's terms,
 * progress toward the target, where a straight line from baseline to deadline says it
 * should be by now, and a status.
 */

export type ProgressStatus = 'achieved' | 'on_track' | 'behind' | 'no_data' | 'no_target';

/** The target as a reader sees it; what a target type does not have is null. */
export interface TargetTerms {
  targetType: Target['type'] | null;
  comparison: Comparison | null;
  targetValue: number | null;
  /** The indicator a relative target is compared with. */
  reference: string | null;
  baselineValue: number | null;
  baselineDate: string | null;
  /** The catalog marks a baseline as assumed while it is a placeholder, so progress built on it is provisional. */
  baselineAssumed: boolean | null;
  /** Deadline of a reach or milestone target; the date a relative target must hold until. */
  deadline: string | null;
}

export interface IndicatorProgress extends TargetTerms {
  indicator: string;
  /** Stock and ratio: the latest level; flow: the cumulative level; milestone: done. */
  value: number | boolean | null;
  /** The latest month the value draws on. */
  asOf: Period | null;
  /** The reference indicator's latest value up to the month, for a relative target. */
  referenceValue: number | null;
  progress: number | null;
  /** Where progress should be by the end of the month. */
  expected: number | null;
  status: ProgressStatus;
}

const PROGRESS_DIGITS = 4;
/** Enough to keep any reported precision while removing binary noise such as 0.1 + 0.2. */
const VALUE_DIGITS = 10;

/** toFixed is exactly specified, so equal inputs give equal bytes everywhere; adding 0 turns -0 into 0. */
function round(x: number, digits: number): number {
  return Number(x.toFixed(digits)) + 0;
}

type Figure<T extends number | boolean> = Observation & { value: T };
type ReachTarget = Extract<Target, { type: 'reach' }>;

interface Reading {
  value: number | boolean;
  asOf: Period;
}

interface Assessment {
  progress: number | null;
  status: ProgressStatus;
}

const NO_DATA: Assessment = { progress: null, status: 'no_data' };
const NO_TARGET: Assessment = { progress: null, status: 'no_target' };

const isNumber = (o: Observation): o is Figure<number> => typeof o.value === 'number';
const isDone = (o: Observation): o is Figure<boolean> => typeof o.value === 'boolean';

/** The figure of the latest month; of two figures for one month, the later in the list. */
function latest<T extends Observation>(figures: T[]): T | undefined {
  return figures.reduce<T | undefined>((found, o) => (!found || o.period >= found.period ? o : found), undefined);
}

function upTo(history: Observation[], period: Period): Observation[] {
  return history.filter((o) => o.period <= period);
}

function readingFrom(figure: Observation | undefined): Reading | undefined {
  return figure && { value: figure.value, asOf: figure.period };
}

/**
 * A flow's cumulative level: the baseline plus the monthly amounts of the months after the
 * baseline's month. A flow without a baseline counts every amount from zero.
 */
function cumulative(amounts: Figure<number>[], target: Target | undefined): Reading | undefined {
  const baseline = target?.type === 'reach' ? target.baseline : undefined;
  const counted = baseline ? amounts.filter((o) => o.period > periodOfDate(baseline.date)) : amounts;
  const last = latest(counted);
  if (!last) return undefined;
  const total = counted.reduce((sum, o) => sum + o.value, baseline?.value ?? 0);
  return { value: round(total, VALUE_DIGITS), asOf: last.period };
}

function readingOf(indicator: Indicator, period: Period, history: Observation[]): Reading | undefined {
  const known = upTo(history, period);
  if (indicator.kind === 'milestone') return readingFrom(latest(known.filter(isDone)));
  const numbers = known.filter(isNumber);
  return indicator.kind === 'flow' ? cumulative(numbers, indicator.target) : readingFrom(latest(numbers));
}

const NO_TERMS: TargetTerms = {
  targetType: null,
  comparison: null,
  targetValue: null,
  reference: null,
  baselineValue: null,
  baselineDate: null,
  baselineAssumed: null,
  deadline: null,
};

function termsOf(target: Target | undefined): TargetTerms {
  if (!target) return NO_TERMS;
  const targetType = target.type;
  switch (target.type) {
    case 'reach':
      return {
        ...NO_TERMS,
        targetType,
        comparison: target.comparison,
        targetValue: target.value,
        baselineValue: target.baseline.value,
        baselineDate: target.baseline.date,
        baselineAssumed: target.baseline.assumed,
        deadline: target.deadline,
      };
    case 'hold':
      return { ...NO_TERMS, targetType, comparison: target.comparison, targetValue: target.value };
    case 'relative':
      return { ...NO_TERMS, targetType, comparison: target.comparison, reference: target.reference, deadline: target.until };
    case 'milestone':
      return { ...NO_TERMS, targetType, deadline: target.deadline ?? null };
  }
}

/** Day-based, so a deadline of 31 December is fully elapsed at the end of December and not before. */
function elapsedShare(from: string, to: string, period: Period): number {
  const share = (Date.parse(periodEnd(period)) - Date.parse(from)) / (Date.parse(to) - Date.parse(from));
  return round(Math.min(1, Math.max(0, share)), PROGRESS_DIGITS);
}

/** A reach target follows a straight line; hold and relative targets must be met every month; a milestone has no line. */
function expectedOf(target: Target, period: Period): number | null {
  switch (target.type) {
    case 'reach':
      return elapsedShare(target.baseline.date, target.deadline, period);
    case 'hold':
    case 'relative':
      return 1;
    case 'milestone':
      return null;
  }
}

function meets(value: number, comparison: Comparison, threshold: number): boolean {
  return comparison === 'at_least' ? value >= threshold : value > threshold;
}

/** The month's figure is the state at the month's last day, so a deadline inside the month is already due. */
function isDue(deadline: string, period: Period): boolean {
  return deadline <= periodEnd(period);
}

/** Null rather than Infinity or NaN, which JSON cannot carry. */
function quotient(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round(numerator / denominator, PROGRESS_DIGITS);
}

/** Progress is not clamped: above 1 shows overshoot, below 0 a fall under the baseline. */
function reachAssessment(target: ReachTarget, value: number, period: Period): Assessment {
  const progress = quotient(value - target.baseline.value, target.value - target.baseline.value);
  if (meets(value, target.comparison, target.value)) return { progress, status: 'achieved' };
  const onLine = progress !== null && progress >= elapsedShare(target.baseline.date, target.deadline, period);
  return { progress, status: onLine && !isDue(target.deadline, period) ? 'on_track' : 'behind' };
}

function thresholdAssessment(value: number, comparison: Comparison, threshold: number): Assessment {
  return { progress: quotient(value, threshold), status: meets(value, comparison, threshold) ? 'achieved' : 'behind' };
}

function milestoneAssessment(done: boolean, deadline: string | undefined, period: Period): Assessment {
  if (done) return { progress: 1, status: 'achieved' };
  return { progress: 0, status: deadline !== undefined && isDue(deadline, period) ? 'behind' : 'on_track' };
}

/** A figure of the wrong type for its target (a boolean for a reach target) counts as no figure. */
function assess(target: Target, value: number | boolean, period: Period, referenceValue: number | null): Assessment {
  if (target.type === 'milestone') {
    return typeof value === 'boolean' ? milestoneAssessment(value, target.deadline, period) : NO_DATA;
  }
  if (typeof value !== 'number') return NO_DATA;
  switch (target.type) {
    case 'reach':
      return reachAssessment(target, value, period);
    case 'hold':
      return thresholdAssessment(value, target.comparison, target.value);
    case 'relative':
      return referenceValue === null ? NO_DATA : thresholdAssessment(value, target.comparison, referenceValue);
  }
}

/**
 * An indicator's progress in a month. `history` is the indicator's current observations of any
 * months; `referenceHistory` those of the indicator a relative target compares with. Only
 * figures up to and including `period` count, so re-running an old month gives the old answer.
 * An indicator without any figure is `no_data` even when it has no target.
 */
export function progressOf(
  indicator: Indicator,
  period: Period,
  history: Observation[],
  referenceHistory: Observation[] = [],
): IndicatorProgress {
  const target = indicator.target;
  const reading = readingOf(indicator, period, history);
  const referenceValue = target?.type === 'relative' ? (latest(upTo(referenceHistory, period).filter(isNumber))?.value ?? null) : null;
  const assessment = !reading ? NO_DATA : !target ? NO_TARGET : assess(target, reading.value, period, referenceValue);
  return {
    indicator: indicator.id,
    value: reading?.value ?? null,
    asOf: reading?.asOf ?? null,
    ...termsOf(target),
    referenceValue,
    progress: assessment.progress,
    expected: target ? expectedOf(target, period) : null,
    status: assessment.status,
  };
}
