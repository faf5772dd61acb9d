import type { Period } from './calendar.js';

/** An object that arrived in the upload bucket, as its S3 event describes it. */
export interface Upload {
  bucket: string;
  /** The object key, already URL-decoded. */
  key: string;
  /** S3 version id; absent when the bucket is not versioned (the local stores). */
  versionId?: string;
  /** S3 event sequencer of the upload: orders uploads of the same key. */
  sequencer: string;
  /** When the object was uploaded: the event time (ISO 8601). */
  uploadedAt: string;
  /** Who uploaded it, as S3 reports the principal. */
  uploader?: string;
  /**
   * The signed-in user who uploaded it through the portal, as the portal recorded the upload; absent for a direct
   * drop. The S3 principal of a portal upload is the portal's own role, which signed the form, not the clerk.
   */
  submitter?: string;
}

/**
 * S3 orders events for one key by `sequencer`: hex strings of varying length that compare
 * correctly once the shorter is right-padded with zeros. It says nothing across keys.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padEnd(width, '0');
  const right = b.toUpperCase().padEnd(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whether `a` was uploaded after `b`: by sequencer for the same key, by upload time across keys. */
export function uploadedAfter(
  a: Pick<Upload, 'key' | 'sequencer' | 'uploadedAt'>,
  b: Pick<Upload, 'key' | 'sequencer' | 'uploadedAt'>,
): boolean {
  return a.key === b.key ? compareSequencers(a.sequencer, b.sequencer) > 0 : a.uploadedAt > b.uploadedAt;
}

/** Where a figure came from: the uploaded object and the cell that held it. */
export interface Lineage extends Upload {
  sheet: string;
  cell: string;
}

/** One accepted figure: an indicator's value for a month, in the catalog's canonical unit. */
export interface Observation {
  department: string;
  indicator: string;
  period: Period;
  /** Numbers in the canonical unit; milestones as true (done) / false (not done). */
  value: number | boolean;
  unit: string;
  /** The clerk's note on the figure (备注, 进展说明), as the workbook gave it; absent when there was none. */
  note?: string;
  lineage: Lineage;
}

/** A note as an optional field: left out, not undefined, when there is none, so that stored items and reports omit it. */
export function noteField(note: string | undefined): { note?: string } {
  return note === undefined ? {} : { note };
}

/** The upload that made a department's figures for a month current. */
export interface Submission extends Upload {
  department: string;
  period: Period;
  /** SHA-256 of the uploaded bytes: the same file uploaded again changes nothing. */
  contentSha256: string;
  /** Indicator ids the upload reported. */
  indicators: string[];
  /** Where the import summary was written. */
  reportKey: string;
  /**
   * When the department first reported the month, kept across corrections so that a late correction
   * does not make an on-time report late. Set when the submission is stored.
   */
  firstUploadedAt?: string;
}

/** Which upload replaced a submission: enough to find its report and its S3 object version. */
export type UploadRef = Pick<Submission, 'key' | 'versionId' | 'sequencer' | 'uploadedAt' | 'reportKey'>;

/** An earlier submission of a department-period, kept as history beside the upload that replaced it. */
export interface SupersededSubmission extends Submission {
  supersededBy: UploadRef;
}

/** A department's month as one upload made it: the submission and the figures it made current. */
export interface Slice {
  submission: Submission;
  observations: Observation[];
}

/** A slice that is no longer current: the submission, with the upload that replaced it, and the figures it had made current. */
export interface SupersededSlice extends Slice {
  submission: SupersededSubmission;
}
