import { addMonths, type Period } from '../calendar.js';
// The catalog's data, not its checked loader: the portal reads these words and carries no validation library.
import shippedCatalog from '../catalog/catalog.json' with { type: 'json' };
import type { ProgressStatus } from '../progress.js';
import type { Restatement, ReviewState, SignOff } from '../review/review.js';
import type { BilingualText as Bilingual } from '../workbook/problems.js';
import type { DepartmentReport } from './completeness.js';
import { buildSnapshot, type Snapshot, type SnapshotIndicator, type SnapshotInput } from './snapshot.js';

/** What the month's report shows beyond the snapshot: each indicator's level over the last 12 months. */
export interface Report {
  snapshot: Snapshot;
  /** The 12 months of the trend, oldest first, ending with the snapshot's month. */
  trendMonths: Period[];
  /** Per indicator, its numeric level in each trend month (null before its first figure or for milestones). */
  trends: Map<string, (number | null)[]>;
  /** The catalog's words for the units and indicators the snapshot names by id. */
  words: CatalogWords;
}

const TREND_MONTHS = 12;

/** The trend re-runs the month's own maths for each earlier month, so a sparkline point is what that month's snapshot said. */
export function buildReport(input: SnapshotInput): Report {
  const trendMonths = Array.from({ length: TREND_MONTHS }, (_, i) => addMonths(input.period, i + 1 - TREND_MONTHS));
  const snapshots = trendMonths.map((period) => buildSnapshot({ ...input, period }));
  const snapshot = snapshots.at(-1) ?? buildSnapshot(input);
  const trends = new Map(
    snapshot.indicators.map((row, i) => [
      row.indicator,
      snapshots.map((s) => {
        const value = s.indicators[i]?.value;
        return typeof value === 'number' ? value : null;
      }),
    ]),
  );
  return { snapshot, trendMonths, trends, words: catalogWords(input.catalog) };
}

/** The catalog's names for ids, so that a reader sees 亿元 and an indicator's name rather than `cny_100m` or its id. */
export interface CatalogWords {
  unit(id: string): Bilingual;
  indicator(id: string): Bilingual;
}

type Named = Readonly<Bilingual & { id: string }>;

/** Readers of the shipped catalog's snapshots (the portal, the workbook) need not pass its words. */
const SHIPPED_WORDS = catalogWords(shippedCatalog);

/** An id the catalog does not know (a report of another catalog version) stays as it is rather than vanish. */
export function catalogWords(catalog: { readonly units: readonly Named[]; readonly indicators: readonly Named[] }): CatalogWords {
  const lookup = (entries: readonly Named[]) => {
    const byId = new Map(entries.map(({ id, zh, en }) => [id, { zh, en }]));
    return (id: string) => byId.get(id) ?? { zh: id, en: id };
  };
  return { unit: lookup(catalog.units), indicator: lookup(catalog.indicators) };
}

/** Chinese first, English beside it, in one line. */
const bilingualLine = ({ zh, en }: Bilingual) => `${zh} / ${en}`;

/** White text on each colour has a contrast of at least 4.5:1; achieved (green) and on track (blue) differ in hue. */
export const STATUS_LABELS: Record<ProgressStatus, { zh: string; en: string; colour: string }> = {
  achieved: { zh: '已完成', en: 'achieved', colour: '#1b5e20' },
  on_track: { zh: '按计划推进', en: 'on track', colour: '#1864ab' },
  at_risk: { zh: '存在风险', en: 'at risk', colour: '#9c4a00' },
  off_track: { zh: '进度滞后', en: 'off track', colour: '#c92a2a' },
  stale: { zh: '数据过期', en: 'stale', colour: '#6741d9' },
  no_data: { zh: '暂无数据', en: 'no data', colour: '#5c636a' },
  no_target: { zh: '参考值', en: 'reference value', colour: '#495057' },
};

/** Whether a figure counts: the words every output marks a row with. */
export const SIGN_OFF_LABELS: Record<SignOff, Bilingual> = {
  official: { zh: '正式', en: 'official' },
  provisional: { zh: '暂定', en: 'provisional' },
};

/** The head's sign-off of a department's month, in words. */
export const REVIEW_STATE_LABELS: Record<ReviewState, Bilingual> = {
  submitted: { zh: '待审核', en: 'awaiting sign-off' },
  returned: { zh: '已退回', en: 'returned' },
  approved: { zh: '已审核', en: 'approved' },
};

/** The badge of a figure carried from an earlier month by a department that has not reported this one. */
export const NOT_REPORTED_LABEL = { zh: '本月未报送', en: 'not reported', colour: '#343a40' } as const;

const BEHIND: readonly ProgressStatus[] = ['at_risk', 'off_track'];

export interface Headline {
  /** Targets achieved or on track, of `targets`. */
  good: number;
  /** Targets at risk or off track. */
  behind: number;
  /** Official targets: of the departments whose month is approved, each figure signed off. */
  targets: number;
  counts: Map<ProgressStatus, number>;
  /** Targets of departments that reported the month, left out because the month or a figure is not yet approved. */
  provisional: number;
  /** Indicators with a target left out because their department has not reported the month. */
  carried: number;
}

/**
 * The headline counts official figures only: the targets of the departments whose month their head approved, but
 * for a figure drawing on an earlier month not yet approved. A department that has not reported has only older
 * figures, which say nothing of this month; a provisional month may still change.
 */
export function headline(snapshot: Snapshot): Headline {
  const departmentOf = new Map(snapshot.departments.map((d) => [d.department, d]));
  const withTarget = snapshot.indicators.filter((row) => row.targetType !== null);
  const reported = withTarget.filter((row) => departmentOf.get(row.department)?.reported);
  const counted = reported.filter((row) => departmentOf.get(row.department)?.signOff === 'official' && row.signOff !== 'provisional');
  const counts = new Map<ProgressStatus, number>();
  for (const row of counted) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const count = (statuses: readonly ProgressStatus[]) => statuses.reduce((sum, status) => sum + (counts.get(status) ?? 0), 0);
  return {
    good: count(['achieved', 'on_track']),
    behind: count(BEHIND),
    targets: counted.length,
    counts,
    provisional: reported.length - counted.length,
    carried: withTarget.length - reported.length,
  };
}

/**
 * The departments without the month's report, each with the day it is due. The report names no
 * day of its own writing, so that a month run again later gives the same page.
 */
export function notReported(snapshot: Snapshot): DepartmentReport[] {
  return snapshot.departments.filter((department) => !department.reported);
}

export function notReportedText(department: DepartmentReport): string {
  return `${department.zh} ${department.en}：应于 ${department.dueDate} 前报送 / due by ${department.dueDate}`;
}

/** Figures as a person reads them: at most two decimals, no binary noise. */
const amount = (x: number) => String(Number(x.toFixed(2)) + 0);

/** A figure with its unit in words, Chinese then English. */
function quantity(x: number, unit: Bilingual): Bilingual {
  return { zh: `${amount(x)} ${unit.zh}`, en: `${amount(x)} ${unit.en}` };
}

const COMPARISON_SYMBOL = { at_least: '≥', greater_than: '>' } as const;

type TargetTermsRow = Pick<SnapshotIndicator, 'targetType' | 'comparison' | 'targetValue' | 'reference' | 'deadline' | 'unit'>;

/** A target's terms in a line, as the catalog states them, in words. */
function termsText(row: TargetTermsRow, words: CatalogWords): string {
  const symbol = row.comparison ? COMPARISON_SYMBOL[row.comparison] : '';
  const unit = words.unit(row.unit);
  const goal = row.targetValue === null ? null : quantity(row.targetValue, unit);
  switch (row.targetType) {
    case 'reach':
      return bilingualLine({ zh: `${row.deadline} 前 ${symbol} ${goal?.zh}`, en: `${symbol} ${goal?.en} by ${row.deadline}` });
    case 'hold':
      return bilingualLine({ zh: `保持 ${symbol} ${goal?.zh}`, en: `hold ${symbol} ${goal?.en}` });
    case 'relative': {
      const reference = row.reference === null ? { zh: '–', en: '–' } : words.indicator(row.reference);
      return bilingualLine({ zh: `${symbol} ${reference.zh}，至 ${row.deadline}`, en: `${symbol} ${reference.en} until ${row.deadline}` });
    }
    case 'milestone':
      return bilingualLine(row.deadline ? { zh: `${row.deadline} 前完成`, en: `done by ${row.deadline}` } : { zh: '完成', en: 'done' });
    case null:
      return '–';
  }
}

/**
 * The target in a line; a revised one as the target in force with the revision's date and reason, then the original
 * and where the figure stands against it, so that a reader sees both the bar moved and the bar first set.
 */
export function targetText(row: SnapshotIndicator, words: CatalogWords = SHIPPED_WORDS): string {
  const inForce = termsText(row, words);
  // Asked of the type, not of null: a snapshot written before schema 5 has no revision fields at all.
  if (typeof row.revisionEffective !== 'string' || row.originalStatus === null) return inForce;
  const original = termsText({ ...row, comparison: row.originalComparison, targetValue: row.originalTargetValue, deadline: row.originalDeadline }, words);
  const status = STATUS_LABELS[row.originalStatus];
  return `现行 in force: ${inForce}（${row.revisionEffective} 调整 revised: ${row.revisionReason ?? '–'}）；原目标 original: ${original}：${status.zh} ${status.en}`;
}

/** A figure in words: a milestone's done or not, a number with its unit, – for none. */
export function figureText(figure: number | boolean | null, unit: string, words: CatalogWords = SHIPPED_WORDS): string {
  if (typeof figure === 'boolean') return figure ? '是 done' : '否 not done';
  if (figure === null) return '–';
  return bilingualLine(quantity(figure, words.unit(unit)));
}

export function valueText(row: SnapshotIndicator, words: CatalogWords = SHIPPED_WORDS): string {
  // Asked of the type, not of null: a snapshot written before schema 4 has no `done` at all.
  return figureText(typeof row.done === 'boolean' ? row.done : row.value, row.unit, words);
}

/** A restated figure, old → new. */
export const restatedText = (r: Restatement, words: CatalogWords = SHIPPED_WORDS) => `${figureText(r.from, r.unit, words)} → ${figureText(r.to, r.unit, words)}`;

export const percentText = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(0)}%`);

/** The threshold a hold or relative target compares the figure with this month. */
function thresholdOf(row: SnapshotIndicator): number | null {
  if (row.targetType === 'hold') return row.targetValue;
  if (row.targetType === 'relative') return row.referenceValue;
  return null;
}

/**
 * How far a numeric target still is, in the indicator's own unit: what is left to reach and the
 * monthly pace needed against the recent one, or how far short of its threshold a hold or relative
 * target is. Empty when the target is met or there is nothing to measure.
 */
export function gapLines(row: SnapshotIndicator, words: CatalogWords = SHIPPED_WORDS): string[] {
  if (typeof row.value !== 'number' || row.status === 'achieved') return [];
  const unit = words.unit(row.unit);
  if (row.targetType === 'reach' && row.targetValue !== null) {
    const left = quantity(row.targetValue - row.value, unit);
    const lines = [bilingualLine({ zh: `还差 ${left.zh}`, en: `${left.en} to go` })];
    if (row.requiredRunRate !== null && row.requiredRunRate > 0) {
      const running = row.runRate3m === null ? null : amount(row.runRate3m);
      lines.push(
        bilingualLine({
          zh: `需每月 ${amount(row.requiredRunRate)}${running === null ? '' : `，当前每月 ${running}`}`,
          en: `needs ${amount(row.requiredRunRate)} a month${running === null ? '' : `, running at ${running}`}`,
        }),
      );
    }
    return lines;
  }
  const threshold = thresholdOf(row);
  if (threshold === null || row.value > threshold) return [];
  // Equal to the threshold falls short only of a strict "greater than": nothing is missing but the excess.
  if (row.value === threshold) return [bilingualLine({ zh: `须高于 ${quantity(threshold, unit).zh}`, en: `must exceed ${quantity(threshold, unit).en}` })];
  const short = quantity(threshold - row.value, unit);
  return [bilingualLine({ zh: `还差 ${short.zh}`, en: `${short.en} short` })];
}

/** One line on why a status is what it is, where the badge alone would leave a reader guessing. */
export function statusReason(row: SnapshotIndicator, words: CatalogWords = SHIPPED_WORDS): string | null {
  const unit = words.unit(row.unit);
  const projected = row.projectedValue === null ? null : quantity(row.projectedValue, unit);
  switch (row.status) {
    case 'at_risk':
      if (row.targetType === 'milestone') return bilingualLine({ zh: '尚未完成，且未定完成期限', en: 'not done, and no deadline is set' });
      if (projected === null) return bilingualLine({ zh: '尚无近 3 个月的进度，无法判断能否按期完成', en: 'no 3-month pace yet to tell whether it will be met in time' });
      return bilingualLine(
        row.progress !== null && row.expected !== null && row.progress >= row.expected
          ? { zh: `进度不低于应达线，但按近 3 个月速度到期只能达到 ${projected.zh}`, en: `ahead of the straight line, but at the last 3 months' pace it reaches only ${projected.en} by the deadline` }
          : { zh: `低于应达线；按近 3 个月速度到期可达 ${projected.zh}，接近目标`, en: `behind the straight line; at the last 3 months' pace it reaches ${projected.en}, close to the target` },
      );
    case 'off_track':
      // A hold or relative target's gap line already says how far short it is.
      if (row.targetType !== 'reach' && row.targetType !== 'milestone') return null;
      if (row.targetType === 'milestone' || row.requiredRunRate === null) return bilingualLine({ zh: '期限已到，目标未完成', en: 'the deadline has come and the target is not met' });
      if (projected === null) return bilingualLine({ zh: '低于应达线，且尚无近 3 个月的进度', en: 'behind the straight line, with no 3-month pace yet' });
      return bilingualLine({ zh: `低于应达线；按近 3 个月速度到期只能达到 ${projected.zh}`, en: `behind the straight line; at the last 3 months' pace it reaches only ${projected.en} by the deadline` });
    case 'stale':
      return bilingualLine({ zh: `最新数据截至 ${row.asOf}，已过有效期`, en: `the latest figure is of ${row.asOf}, too old to judge by` });
    default:
      return null;
  }
}
