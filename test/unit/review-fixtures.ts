import type { Period } from '../../shared/calendar.js';
import type { FigureWarning, Restatement, Review, ReviewState } from '../../shared/review/review.js';
import type { MonthReview } from '../../shared/snapshot/index.js';

/** A department-month's sign-off with only what a case needs set. */
export function monthReview(department: string, period: Period, state: ReviewState, review: Partial<Review> = {}): MonthReview {
  return {
    department,
    period,
    review: { state, lockedAt: null, warnings: [], explanations: {}, correction: null, returnedCorrection: null, audit: [], restatements: [], ...review },
  };
}

export function warning(indicator: string): FigureWarning {
  return { indicator, code: 'value.cumulative_mismatch', message: 'the cumulative is not the sum of the months', sheet: 'Sheet1', cell: 'C3' };
}

/** A figure of a published month restated by the reform office. */
export function restatement(department: string, period: Period, indicator: string, approvedAt: string, from: Restatement['from'] = 3, to: Restatement['to'] = 5): Restatement {
  return {
    department,
    period,
    indicator,
    from,
    to,
    unit: 'count',
    requestedAt: '2026-12-20T02:00:00.000Z',
    requestedBy: 'clerk-sci',
    approvedAt,
    approvedBy: 'office-li',
    reason: 'the platform count left out two labs',
    sourceKey: `incoming/${department}/${period}-corrected.xlsx`,
  };
}
