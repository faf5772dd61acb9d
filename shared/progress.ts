import type { CatalogData, Comparison, Indicator, Target, TargetRevision } from './catalog/catalog.js';
import { revisionInForce } from './catalog/target-revisions.js';
import type { Observation } from './observation.js';
import { addMonths, monthsBetween, periodEnd, periodOfDate, type Period } from './calendar.js';

/**
 * Where an indicator stands in a month: its figure as of that month, the target's terms,
 * progress toward the target, where a straight line from baseline to deadline says it
 * should be by now, the run-rates that say whether it will get there, and a status.
 */

const PROGRESS_STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data', 'stale', 'no_target'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/**
 * A reach target that is neither met nor on track is at risk while its projection at the recent
 * run-rate still covers this share of the distance from baseline to target, or while it is on
 * or above the straight line; below both it is off track.
 */
const AT_RISK_SHARE = 0.8;
/** Months of the short and the long run-rate. */
const RECENT_MONTHS = 3;
const YEAR_MONTHS = 12;

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

/** How fast a reach target moves, in the indicator's unit per month; null where it has no meaning. */
export interface RunRates {
  /** Change of the level over the last 3 months, per month. */
  runRate3m: number | null;
  /** Change of the level over the last 12 months, per month. */
  runRate12m: number | null;
  /** Change per month needed from the current level to meet the target by the deadline month. */
  requiredRunRate: number | null;
  /** The level at the deadline if the 3-month run-rate holds. */
  projectedValue: number | null;
}

/** Where the indicator stands against one target. */
interface Standing {
  progress: number | null;
  status: ProgressStatus;
}

/** The original target, where a revision is in force: its terms, and where the figure stands against it. */
export interface OriginalProgress extends TargetTerms, Standing {
  expected: number | null;
}

/** The revision in force: when it took effect, why, and who decided it. */
export type RevisionInForce = Omit<TargetRevision, 'target'>;

/** The terms, rates, progress and status are those of the target in force: the latest revision, else the original. */
export interface IndicatorProgress extends TargetTerms, RunRates {
  indicator: string;
  /** Stock and ratio: the latest level; flow: the cumulative level; milestone: done. */
  value: number | boolean | null;
  /** The latest month the value draws on. */
  asOf: Period | null;
  /** The reference indicator's figure of the month `asOf`, for a relative target. */
  referenceValue: number | null;
  progress: number | null;
  /** Where progress should be by the end of the month. */
  expected: number | null;
  status: ProgressStatus;
  /** The revision in force in the month; null while the original is. */
  revision: RevisionInForce | null;
  /** The original target and the standing against it, beside a revision in force; null while the original is in force. */
  original: OriginalProgress | null;
}

export interface ProgressOptions {
  /** Observations of the indicator a relative target compares with. */
  referenceHistory?: Observation[];
  /** A figure older than this many months no longer describes the indicator. */
  staleAfterMonths?: number;
}

const PROGRESS_DIGITS = 4;
/** Enough to keep any reported precision while removing binary noise such as 0.1 + 0.2. */
const VALUE_DIGITS = 10;

/** toFixed is exactly specified, so equal inputs give equal bytes everywhere; adding 0 turns -0 into 0. */
function round(x: number, digits: number): number {
  return Number(x.toFixed(digits)) + 0;
}

/** An observation of a numeric or a done/not-done indicator. */
type ObservationOf<T extends number | boolean> = Observation & { value: T };
type ReachTarget = Extract<Target, { type: 'reach' }>;

interface Reading {
  value: number | boolean;
  asOf: Period;
}

/** A numeric indicator's level and the month it is from. */
interface Level extends Reading {
  value: number;
}

const NO_DATA: Standing = { progress: null, status: 'no_data' };
const NO_TARGET: Standing = { progress: null, status: 'no_target' };
const NO_RATES: RunRates = { runRate3m: null, runRate12m: null, requiredRunRate: null, projectedValue: null };

const isNumber = (o: Observation): o is ObservationOf<number> => typeof o.value === 'number';
const isDone = (o: Observation): o is ObservationOf<boolean> => typeof o.value === 'boolean';

/**
 * One figure per month up to `period`, oldest first. Of two figures for one month (a correction
 * read beside the figure it replaced) the later in the list counts, so a flow never counts both.
 */
function monthly<T extends Observation>(figures: T[], period: Period): T[] {
  const byMonth = new Map<Period, T>();
  for (const o of figures) if (o.period <= period) byMonth.set(o.period, o);
  return [...byMonth.values()].sort((a, b) => a.period.localeCompare(b.period));
}

function readingFrom(figure: Observation | undefined): Reading | undefined {
  return figure && { value: figure.value, asOf: figure.period };
}

function baselineOf(target: Target | undefined): ReachTarget['baseline'] | undefined {
  return target?.type === 'reach' ? target.baseline : undefined;
}

/**
 * The level a numeric indicator's own figures give as of a month: a stock's or ratio's latest
 * figure; a flow's baseline plus the monthly amounts of the months after the baseline's month
 * (every amount from zero without a baseline).
 */
function reportedLevel(indicator: Indicator, amounts: ObservationOf<number>[], period: Period): Level | undefined {
  const baseline = baselineOf(indicator.target);
  const known = monthly(amounts, period);
  const latest = known.at(-1);
  if (indicator.kind !== 'flow') return latest && { value: latest.value, asOf: latest.period };
  const counted = baseline ? known.filter((o) => o.period > periodOfDate(baseline.date)) : known;
  const last = counted.at(-1);
  if (!last) return undefined;
  const total = counted.reduce((sum, o) => sum + o.value, baseline?.value ?? 0);
  return { value: round(total, VALUE_DIGITS), asOf: last.period };
}

/** Before any figure, a reach target's baseline is the level a run-rate starts from. */
function levelAt(indicator: Indicator, amounts: ObservationOf<number>[], period: Period): Level | undefined {
  const baseline = baselineOf(indicator.target);
  return reportedLevel(indicator, amounts, period) ?? (baseline && { value: baseline.value, asOf: periodOfDate(baseline.date) });
}

/** The indicator's own figure as of the month; a baseline alone is no figure. */
function readingOf(indicator: Indicator, period: Period, history: Observation[]): Reading | undefined {
  if (indicator.kind === 'milestone') return readingFrom(monthly(history.filter(isDone), period).at(-1));
  return reportedLevel(indicator, history.filter(isNumber), period);
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

/** Run-rates of a reach target at `period`, from the level now and the levels 3 and 12 months before. */
function runRates(indicator: Indicator, target: ReachTarget, amounts: ObservationOf<number>[], period: Period, value: number): RunRates {
  const rateOver = (months: number): number | null => {
    const before = levelAt(indicator, amounts, addMonths(period, -months));
    return before ? (value - before.value) / months : null;
  };
  const rounded = (x: number | null) => (x === null ? null : round(x, VALUE_DIGITS));
  const recent = rateOver(RECENT_MONTHS);
  const monthsLeft = monthsBetween(period, periodOfDate(target.deadline));
  return {
    runRate3m: rounded(recent),
    runRate12m: rounded(rateOver(YEAR_MONTHS)),
    requiredRunRate: monthsLeft <= 0 ? null : round(Math.max(0, (target.value - value) / monthsLeft), VALUE_DIGITS),
    projectedValue: recent === null ? null : round(value + recent * Math.max(0, monthsLeft), VALUE_DIGITS),
  };
}

/** Progress is not clamped: above 1 shows overshoot, below 0 a fall under the baseline. */
function reachStanding(target: ReachTarget, value: number, period: Period, projectedValue: number | null): Standing {
  const distance = target.value - target.baseline.value;
  const progress = quotient(value - target.baseline.value, distance);
  if (meets(value, target.comparison, target.value)) return { progress, status: 'achieved' };
  if (isDue(target.deadline, period)) return { progress, status: 'off_track' };
  if (projectedValue !== null && meets(projectedValue, target.comparison, target.value)) return { progress, status: 'on_track' };
  const projectedProgress = projectedValue === null ? null : quotient(projectedValue - target.baseline.value, distance);
  const onLine = progress !== null && progress >= elapsedShare(target.baseline.date, target.deadline, period);
  const close = projectedProgress !== null && projectedProgress >= AT_RISK_SHARE;
  return { progress, status: onLine || close ? 'at_risk' : 'off_track' };
}

function thresholdStanding(value: number, comparison: Comparison, threshold: number): Standing {
  return { progress: quotient(value, threshold), status: meets(value, comparison, threshold) ? 'achieved' : 'off_track' };
}

/** Without a deadline nothing says a milestone not yet done is on schedule, so it is at risk until done. */
function milestoneStanding(done: boolean, deadline: string | undefined, period: Period): Standing {
  if (done) return { progress: 1, status: 'achieved' };
  if (deadline === undefined) return { progress: 0, status: 'at_risk' };
  return { progress: 0, status: isDue(deadline, period) ? 'off_track' : 'on_track' };
}

/** A figure of the wrong type for its target (a boolean for a reach target) counts as no figure. */
function standOf(target: Target, value: number | boolean, period: Period, referenceValue: number | null, projectedValue: number | null): Standing {
  if (target.type === 'milestone') {
    return typeof value === 'boolean' ? milestoneStanding(value, target.deadline, period) : NO_DATA;
  }
  if (typeof value !== 'number') return NO_DATA;
  switch (target.type) {
    case 'reach':
      return reachStanding(target, value, period, projectedValue);
    case 'hold':
      return thresholdStanding(value, target.comparison, target.value);
    case 'relative':
      return referenceValue === null ? NO_DATA : thresholdStanding(value, target.comparison, referenceValue);
  }
}

/** A relative target compares figures of the same month: a reference of another month says nothing. */
function referenceOf(target: Target | undefined, reading: Reading | undefined, referenceHistory: Observation[]): number | null {
  if (target?.type !== 'relative' || !reading) return null;
  return monthly(referenceHistory.filter(isNumber), reading.asOf).find((o) => o.period === reading.asOf)?.value ?? null;
}

/**
 * An indicator's progress in a month. `history` is the indicator's current observations of any
 * months. Only figures up to and including `period` count, so re-running an old month gives the
 * old answer. An indicator without any figure is `no_data` even when it has no target; one whose
 * latest figure is more than `staleAfterMonths` old is `stale`, whatever that figure said.
 */
export function progressOf(indicator: Indicator, period: Period, history: Observation[], options: ProgressOptions = {}): IndicatorProgress {
  const { referenceHistory = [], staleAfterMonths } = options;
  const reading = readingOf(indicator, period, history);
  const inForce = revisionInForce(indicator, period);
  const target = inForce?.target ?? indicator.target;
  // A revision keeps the original's reference, so one reference figure serves both targets.
  const referenceValue = referenceOf(target, reading, referenceHistory);
  const stale = reading !== undefined && staleAfterMonths !== undefined && monthsBetween(reading.asOf, period) > staleAfterMonths;
  const ratesAgainst = (judged: Target | undefined): RunRates =>
    judged?.type === 'reach' && typeof reading?.value === 'number' ? runRates(indicator, judged, history.filter(isNumber), period, reading.value) : NO_RATES;
  const judge = (judged: Target | undefined, projectedValue: number | null): OriginalProgress => {
    const standing = !reading ? NO_DATA : !judged ? NO_TARGET : standOf(judged, reading.value, period, referenceValue, projectedValue);
    return { ...termsOf(judged), progress: standing.progress, expected: judged ? expectedOf(judged, period) : null, status: stale ? 'stale' : standing.status };
  };
  const rates = ratesAgainst(target);
  const { progress, expected, status, ...terms } = judge(target, rates.projectedValue);
  return {
    indicator: indicator.id,
    value: reading?.value ?? null,
    asOf: reading?.asOf ?? null,
    ...terms,
    referenceValue,
    progress,
    expected,
    ...rates,
    status,
    revision: inForce ? { effective: inForce.effective, reason: inForce.reason, decidedBy: inForce.decidedBy } : null,
    original: inForce ? judge(indicator.target, ratesAgainst(indicator.target).projectedValue) : null,
  };
}

/**
 * The earliest month whose figures progress at `period` can depend on: flows are summed and
 * levels measured from the earliest baseline the catalog uses, run-rates look a year back.
 * Earlier figures are never read, so the cost of a month does not grow with all history.
 */
export function firstMonthNeeded(indicators: readonly Pick<Indicator, 'target'>[], period: Period): Period {
  const baselines = indicators.flatMap(({ target }) => (target?.type === 'reach' ? [periodOfDate(target.baseline.date)] : []));
  return [addMonths(period, -YEAR_MONTHS), ...baselines].reduce((earliest, month) => (month < earliest ? month : earliest));
}

/** Figures of any indicators, looked up by indicator id. */
export function historiesByIndicator(observations: readonly Observation[]): (indicator: string) => Observation[] {
  const histories = new Map<string, Observation[]>();
  for (const o of observations) {
    const history = histories.get(o.indicator);
    if (history) history.push(o);
    else histories.set(o.indicator, [o]);
  }
  return (indicator) => histories.get(indicator) ?? [];
}

/** An indicator's progress as the catalog judges it: with its reference's figures and its (or the catalog's) staleness. */
export function catalogProgress(
  catalog: Pick<CatalogData, 'defaults'>,
  indicator: Indicator,
  period: Period,
  historyOf: (indicator: string) => Observation[],
): IndicatorProgress {
  const target = indicator.target;
  return progressOf(indicator, period, historyOf(indicator.id), {
    referenceHistory: target?.type === 'relative' ? historyOf(target.reference) : [],
    staleAfterMonths: indicator.staleAfterMonths ?? catalog.defaults.staleAfterMonths,
  });
}
