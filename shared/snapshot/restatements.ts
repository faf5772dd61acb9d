import type { Period } from '../calendar.js';
import type { Restatement, Review } from '../review/review.js';

/**
 * When a month was published: the earliest lock among its departments' records. Every department's month is
 * locked by the same run; a month that arrived later and was locked by a rebuild carries a later time, so the
 * first publication stays the earliest.
 */
function publishedAt(reviews: readonly { period: Period; review: Pick<Review, 'lockedAt'> }[], period: Period): string | null {
  const locks = reviews.flatMap(({ period: month, review: { lockedAt } }) => (month === period && lockedAt !== null ? [lockedAt] : []));
  return locks.sort()[0] ?? null;
}

/**
 * The restatements a month's snapshot lists: those of earlier months approved after the previous snapshot was
 * published and no later than this one. The previous snapshot is the latest earlier month among those read that
 * has a lock; its publication is when it locked. Both bounds are times in the records, not the run's clock, so
 * every run of the month lists the same ones: a restatement approved after the month's own publication waits for
 * the next month's snapshot. Without an earlier publication there is no lower bound; before the month's own
 * publication (no department reported it), no upper bound. Ordered by approval, then department, month and
 * indicator.
 */
export function restatementsPublished(reviews: readonly { period: Period; review: Pick<Review, 'lockedAt' | 'restatements'> }[], period: Period): Restatement[] {
  const previous = reviews.flatMap((r) => (r.period < period && r.review.lockedAt !== null ? [r.period] : [])).sort().at(-1) ?? null;
  const since = previous === null ? null : publishedAt(reviews, previous);
  const until = publishedAt(reviews, period);
  const key = (r: Restatement) => [r.approvedAt, r.department, r.period, r.indicator].join('\u0000');
  return reviews
    .filter((r) => r.period < period)
    .flatMap((r) => r.review.restatements)
    .filter((r) => (since === null || r.approvedAt > since) && (until === null || r.approvedAt <= until))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
