import type { UploadView } from '../../../shared/portal/contract.js';

/**
 * How often the page asks after an upload being checked: often at first (a check takes seconds), less often after a
 * minute, and not at all after five, when something on our side has gone wrong.
 */
export const UPLOAD_POLLING = { intervalMs: 700, backOffAfterMs: 60_000, backedOffIntervalMs: 3_000, giveUpAfterMs: 5 * 60_000 } as const;

/** How long to wait before asking again, this long after the upload; null when it is time to stop asking. */
export function nextPollDelay(elapsedMs: number): number | null {
  if (elapsedMs >= UPLOAD_POLLING.giveUpAfterMs) return null;
  return elapsedMs < UPLOAD_POLLING.backOffAfterMs ? UPLOAD_POLLING.intervalMs : UPLOAD_POLLING.backedOffIntervalMs;
}

/**
 * Whether more is still to come of an upload: its verdict, or, once the verdict is in, the annotated copy, which the
 * import writes after the report that already says what it did.
 */
export function moreToCome(upload: Pick<UploadView, 'status' | 'report'>): boolean {
  return upload.status === 'processing' || upload.report?.annotation.status === 'pending';
}
