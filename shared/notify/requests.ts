import type { ImportReport } from '../ingest/ingest.js';
import type { MonthReviews } from '../ports.js';
import type { MonthRecord } from '../review/review.js';
import type { NoticeRequest, ReviewStepRequest } from './notice.js';

/**
 * What the other functions ask the notifier to tell, decided here so that each function adds one call. A request
 * names its event, never an address: asked twice (a function retried, an event redelivered), it is told once.
 */

/**
 * An import's notices: the uploader's receipt, unless the same bytes were current already (the receipt of the
 * first told them), and the head's notice of each month the upload submitted for sign-off.
 */
export async function importRequests(report: ImportReport, months: Pick<MonthReviews, 'month'>): Promise<NoticeRequest[]> {
  if (report.outcome === 'duplicate') return [];
  const receipt: NoticeRequest = { kind: 'receipt', bucket: report.source.bucket, reportKey: report.reportKey };
  const submitted: NoticeRequest[] = [];
  for (const slice of report.slices.filter((s) => s.outcome === 'committed')) {
    const record = await months.month(report.department, slice.period);
    // The month's own submission step, as the trail has it: a later upload since is its own event.
    const step = record?.review.audit.find((entry) => entry.action === 'submitted');
    if (record && step) submitted.push({ kind: 'submitted', department: report.department, period: slice.period, revision: step.revision, at: step.at });
  }
  return [receipt, ...submitted];
}

/**
 * The notice of the step the record ends with: the clerks' of the head's return or approval, the head's of a returned
 * month submitted again by its explanations; none for a correction's steps.
 */
export function reviewRequest(record: MonthRecord): ReviewStepRequest | null {
  const step = record.review.audit.at(-1);
  if (!step || (step.action !== 'returned' && step.action !== 'approved' && step.action !== 'submitted')) return null;
  const { department, period } = record.slice.submission;
  return { kind: step.action, department, period, revision: step.revision, at: step.at };
}
