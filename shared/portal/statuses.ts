import { dueDateOf, isOnTime, periodOf, type Period } from '../calendar.js';
import { UncoveredYearError } from '../working-days.js';
import type { ImportReport } from '../ingest/ingest.js';
import type { Submission } from '../observation.js';
import { monthStateOf, type MonthRecord } from '../review/review.js';
import { fileNameOfKey, uploadIdOfKey } from '../s3-keys.js';
import type { ProblemCode } from '../workbook/problems.js';
import type { MonthDetail, MonthStatus, MonthUpload, MonthView, UploadStatus, UploadView } from './contract.js';

/**
 * Where uploads and months stand, from what the pipeline has written: the import reports, the current
 * months with their sign-off, and the uploads the portal granted. Pure, so that every rule is a row of a table test.
 */

/** The problem of an upload that could not be checked for a fault on our side, not the clerk's. */
const CHECK_FAILED: ProblemCode = 'file.check_failed';

/**
 * How long after its POST policy expires an upload may still be waiting for its report: the ingest queue delivers
 * a message up to three times, six function timeouts apart. Past this, the upload has failed.
 */
export const VERDICT_WINDOW_MS = 30 * 60 * 1000;

/** What the report says of an upload; null while there is none. */
export function verdictOf(report: ImportReport | null): UploadStatus | null {
  if (report === null) return null;
  if (report.errors.some((problem) => problem.code === CHECK_FAILED)) return 'failed';
  return report.status;
}

/**
 * Where an upload stands without a report: still processing while its policy may be used or its import may still
 * come; failed when the object came and no report did in time; null when nothing was ever sent (an abandoned form).
 */
export function statusWithoutReport(expiresAt: string, now: Date, arrived: boolean): UploadStatus | null {
  const expiry = Date.parse(expiresAt);
  if (now.getTime() <= expiry) return 'processing';
  if (!arrived) return null;
  return now.getTime() <= expiry + VERDICT_WINDOW_MS ? 'processing' : 'failed';
}

const MONTH_ORDER: Record<MonthStatus, number> = { not_received: 0, rejected: 1, processing: 2, accepted: 3, corrected: 4 };

/** Whether the month's figures were replaced by a correction: the month's first upload is kept across corrections. */
const isCorrected = (submission: Submission) => submission.firstUploadedAt !== undefined && submission.firstUploadedAt !== submission.uploadedAt;

/** When an upload reached the bucket, or when it was granted while it has not. */
const uploadTime = (upload: UploadView) => upload.report?.source.uploadedAt ?? upload.requestedAt;

function monthUploadOf(upload: UploadView): MonthUpload {
  return { uploadId: upload.uploadId, fileName: upload.fileName, uploadedAt: uploadTime(upload), user: upload.user, status: upload.status };
}

/** The month's current submission as its row shows it: by whom, when the portal knows them. */
function submittedUpload(submission: Submission, uploads: readonly UploadView[]): MonthUpload {
  const uploadId = uploadIdOfKey(submission.key);
  const portal = uploads.find((upload) => upload.uploadId === uploadId);
  return {
    uploadId,
    fileName: fileNameOfKey(submission.key),
    uploadedAt: submission.uploadedAt,
    user: portal?.user ?? submission.uploader ?? null,
    status: 'accepted',
  };
}

export interface MonthsInput {
  year: number;
  dueDay: number;
  now: Date;
  /** The department's months with their sign-off (any months; those of other years are ignored). */
  months: readonly MonthRecord[];
  /** The department's portal uploads, with where each stands. */
  uploads: readonly UploadView[];
}

/** A month's due date, or null while the holiday table does not hold its year (shared/working-days.ts). */
function dueDateOrUnknown(period: Period, dueDay: number): string | null {
  try {
    return dueDateOf(period, dueDay);
  } catch (error) {
    if (error instanceof UncoveredYearError) return null;
    throw error;
  }
}

/** One row per month of the year, January first: its due date, where it stands, on time or not, its latest upload. */
export function monthsOf({ year, dueDay, now, months, uploads }: MonthsInput): MonthView[] {
  return Array.from({ length: 12 }, (_, index): MonthView => {
    const period: Period = periodOf(year, index + 1);
    const due = dueDateOrUnknown(period, dueDay);
    const record = months.find((m) => m.slice.submission.period === period);
    const submission = record?.slice.submission;
    const tried = uploads.filter((upload) => upload.period === period);
    const statusOfUploads = tried.reduce<MonthStatus>((found, upload) => {
      const status: MonthStatus = upload.status === 'processing' ? 'processing' : upload.status === 'accepted' ? 'accepted' : 'rejected';
      return MONTH_ORDER[status] > MONTH_ORDER[found] ? status : found;
    }, 'not_received');
    // The table is the record of accepted figures; an accepted report not yet seen there is still being committed.
    const status: MonthStatus = submission ? (isCorrected(submission) ? 'corrected' : 'accepted') : statusOfUploads === 'accepted' ? 'processing' : statusOfUploads;
    const candidates = [...tried.map(monthUploadOf), ...(submission ? [submittedUpload(submission, uploads)] : [])];
    // Ties keep the earlier candidate: the same upload seen as a portal upload and as the submission is the portal's, which knows its user.
    const latestUpload = candidates.reduce<MonthUpload | null>((latest, candidate) => (latest === null || candidate.uploadedAt > latest.uploadedAt ? candidate : latest), null);
    const onTime =
      due === null
        ? null
        : submission
          ? isOnTime(submission.firstUploadedAt ?? submission.uploadedAt, due)
          : isOnTime(now.toISOString(), due)
            ? null
            : false;
    return { period, due, status, onTime, latestUpload, state: monthStateOf(record), returnedReason: returnOf(record)?.reason ?? null };
  });
}

/** The head's return of a month that waits to be submitted again: the latest `returned` step of its current figures. */
export function returnOf(record: MonthRecord | undefined): MonthDetail['returned'] {
  if (!record || monthStateOf(record) !== 'returned') return null;
  const step = record.review.audit.findLast((entry) => entry.action === 'returned');
  return step?.reason ? { reason: step.reason, by: step.by, at: step.at } : null;
}
