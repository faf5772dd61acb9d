import { addMonths, type Period } from '../calendar.js';
import type { ProgressStatus } from '../progress.js';
import { buildSnapshot, type Snapshot, type SnapshotIndicator, type SnapshotInput } from './snapshot.js';

/** What the month's report shows beyond the snapshot: each indicator's level over the last 12 months. */
export interface Report {
  snapshot: Snapshot;
  /** The 12 months of the trend, oldest first, ending with the snapshot's month. */
  trendMonths: Period[];
  /** Per indicator, its numeric level in each trend month (null before its first figure or for milestones). */
  trends: Map<string, (number | null)[]>;
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
  return { snapshot, trendMonths, trends };
}

export const STATUS_LABELS: Record<ProgressStatus, { zh: string; en: string; colour: string }> = {
  achieved: { zh: '已完成', en: 'achieved', colour: '#1b7f3b' },
  on_track: { zh: '按计划推进', en: 'on track', colour: '#2f9e44' },
  at_risk: { zh: '存在风险', en: 'at risk', colour: '#e8a317' },
  off_track: { zh: '进度滞后', en: 'off track', colour: '#c92a2a' },
  stale: { zh: '数据过期', en: 'stale', colour: '#7950f2' },
  no_data: { zh: '暂无数据', en: 'no data', colour: '#868e96' },
  no_target: { zh: '参考值', en: 'reference value', colour: '#495057' },
};

/** The headline: targets achieved or on track out of the indicators that have a target. */
export function headline(snapshot: Snapshot): { good: number; targets: number; counts: Map<ProgressStatus, number> } {
  const withTarget = snapshot.indicators.filter((row) => row.targetType !== null);
  const counts = new Map<ProgressStatus, number>();
  for (const row of withTarget) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  return { good: (counts.get('achieved') ?? 0) + (counts.get('on_track') ?? 0), targets: withTarget.length, counts };
}

const COMPARISON_SYMBOL = { at_least: '≥', greater_than: '>' } as const;

/** The target in a line, as the catalog states it. */
export function targetText(row: SnapshotIndicator): string {
  const symbol = row.comparison ? COMPARISON_SYMBOL[row.comparison] : '';
  switch (row.targetType) {
    case 'reach':
      return `${symbol} ${row.targetValue} by ${row.deadline}`;
    case 'hold':
      return `hold ${symbol} ${row.targetValue}`;
    case 'relative':
      return `${symbol} ${row.reference} until ${row.deadline}`;
    case 'milestone':
      return row.deadline ? `done by ${row.deadline}` : 'done';
    case null:
      return '–';
  }
}

export function valueText(row: SnapshotIndicator): string {
  if (row.value === null) return '–';
  return typeof row.value === 'boolean' ? (row.value ? '是 done' : '否 not done') : `${row.value} ${row.unit}`;
}

export const percentText = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(0)}%`);
