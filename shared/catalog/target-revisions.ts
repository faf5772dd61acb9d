import { districtMidnight, periodEnd, periodOfDate, type Period } from '../calendar.js';
import type { AuditEntry } from '../review/review.js';
import type { Indicator, Target, TargetRevision } from './catalog.js';

/**
 * Which of an indicator's targets is in force in a month. A month's figure is the state at its last day, so a revision
 * effective on any day of the month judges that month; re-running an earlier month still judges it by the original.
 */
export function revisionInForce(indicator: Pick<Indicator, 'targetRevisions'>, period: Period): TargetRevision | undefined {
  const end = periodEnd(period);
  // The catalog lists revisions oldest first with strictly later dates.
  return indicator.targetRevisions?.findLast((revision) => revision.effective <= end);
}

/** The latest revision's target effective by the month's end, else the original. */
export function targetInForce(indicator: Pick<Indicator, 'target' | 'targetRevisions'>, period: Period): Target | undefined {
  return revisionInForce(indicator, period)?.target ?? indicator.target;
}

/** A target revised, as the month's audit records it: when it took effect, who decided, why, and of which indicator. */
export type TargetRevisedEntry = Omit<AuditEntry, 'action' | 'revision'>;

/** The revisions that take effect within a month, in catalog order: `at` is the start of the effective day in the district. */
export function revisionsEffectiveIn(indicators: readonly Pick<Indicator, 'id' | 'targetRevisions'>[], period: Period): TargetRevisedEntry[] {
  return indicators.flatMap(({ id, targetRevisions = [] }) =>
    targetRevisions
      .filter(({ effective }) => periodOfDate(effective) === period)
      .map(({ effective, decidedBy, reason }) => ({ at: districtMidnight(effective), by: decidedBy, reason, indicator: id })),
  );
}
