import type { Observation, Slice, Submission, SupersededSlice } from './observation.js';
import type { Period } from './calendar.js';
import type { AuditEntry, FigureWarning, MonthRecord } from './review/review.js';

/**
 * The ports the use cases need. Adapters for AWS live in shared/aws/;
 * the same adapters serve the local stores (s3rver, dynalite) through their endpoints.
 */

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/** An object left unread because it is larger than the caller would read: its size as stated, or the bytes read when reading stopped. */
export interface ObjectTooLarge {
  tooLarge: true;
  size: number;
}

export interface ObjectStore {
  /** The object's bytes, or ObjectTooLarge without holding more than `maxBytes` of it, whatever size the store states. */
  get(ref: ObjectRef, limit: { maxBytes: number }): Promise<Uint8Array | ObjectTooLarge>;
  put(object: { bucket: string; key: string; body: string | Uint8Array; contentType: string }): Promise<void>;
}

/**
 * What happened when an upload was offered as its department-period's current submission:
 * - committed: it is now current, its observations replaced the slice;
 * - duplicate: the same bytes are already current (a redelivered event, or the same file uploaded again);
 * - superseded: a later upload of the slice is already current (events out of order);
 * - held: the month is locked by its published snapshot, so the upload waits as a correction for the reform
 *   office's approval while the published figures stay current.
 */
export type CommitOutcome = 'committed' | 'duplicate' | 'superseded' | 'held';

export interface CommitResult {
  outcome: CommitOutcome;
  /** The slice the commit replaced, now history, or the current slice a held correction would replace; null when the month had none or nothing was committed. */
  replaced: Slice | null;
}

/** The months `from` to `to`, both included. */
export interface PeriodRange {
  from: Period;
  to: Period;
}

export interface ObservationRepository {
  /**
   * Makes the submission current together with its observations, replacing the previous slice atomically and
   * submitting the month for sign-off with the figures' warnings; a locked month keeps it as its pending correction.
   */
  commit(submission: Submission, observations: Observation[], warnings?: FigureWarning[]): Promise<CommitResult>;
  /** A department's current slices of the months in the range, oldest first: what was corrected away is not read. */
  slicesIn(department: string, months: PeriodRange): Promise<Slice[]>;
  /** The same months with their sign-off. */
  monthsIn(department: string, months: PeriodRange): Promise<MonthRecord[]>;
  /** A department's current submission for a period, if any. */
  submission(department: string, period: Period): Promise<Submission | undefined>;
}

/** What corrections leave behind: the slices of a month that later uploads replaced. */
export interface ObservationHistory {
  /** The department-period's earlier slices, oldest first, each with the upload that replaced it. */
  history(department: string, period: Period): Promise<SupersededSlice[]>;
}

/** A month's sign-off: read it, and change it by a step of review.ts that cannot race another write. */
export interface MonthReviews {
  month(department: string, period: Period): Promise<MonthRecord | undefined>;
  /**
   * Applies the step to the month as it stands and writes the result if nothing else wrote the month meanwhile;
   * otherwise reads it again and applies the step again, so that the step decides on what won. A step returns null
   * to leave the month as it is, and throws to refuse. Undefined when the month has no figures.
   */
  update(department: string, period: Period, step: (record: MonthRecord) => MonthRecord | null): Promise<MonthRecord | undefined>;
  /** Every step of the month's sign-off, of every revision, oldest first: the month page's trail, read on request. */
  trail(department: string, period: Period): Promise<AuditEntry[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The slice of a structured logger the use cases need (Powertools Logger fits it). */
export interface Logger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
