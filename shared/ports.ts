import type { Observation, Slice, Submission, SupersededSlice } from './observation.js';
import type { Period } from './calendar.js';

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
 * - superseded: a later upload of the slice is already current (events out of order).
 */
export type CommitOutcome = 'committed' | 'duplicate' | 'superseded';

export interface CommitResult {
  outcome: CommitOutcome;
  /** The slice the commit replaced, now history; null when the month had none or nothing was committed. */
  replaced: Slice | null;
}

/** The months `from` to `to`, both included. */
export interface PeriodRange {
  from: Period;
  to: Period;
}

export interface ObservationRepository {
  /** Makes the submission current together with its observations, replacing the previous slice atomically. */
  commit(submission: Submission, observations: Observation[]): Promise<CommitResult>;
  /** A department's current slices of the months in the range, oldest first: what was corrected away is not read. */
  slicesIn(department: string, months: PeriodRange): Promise<Slice[]>;
  /** A department's current submission for a period, if any. */
  submission(department: string, period: Period): Promise<Submission | undefined>;
}

/** What corrections leave behind: the slices of a month that later uploads replaced. */
export interface ObservationHistory {
  /** The department-period's earlier slices, oldest first, each with the upload that replaced it. */
  history(department: string, period: Period): Promise<SupersededSlice[]>;
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
