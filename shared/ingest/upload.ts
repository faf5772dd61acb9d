import type { Upload } from '../observation.js';

/** Where clerks drop files: `incoming/<department>/<file name>`. */
export const INCOMING_PREFIX = 'incoming/';
/** Where each upload's import summary is written, per department: `reports/<department>/`. */
export const REPORTS_PREFIX = 'reports/';

/** The department folder an upload key sits in, or null when the key is not under `incoming/<department>/`. */
export function departmentOfKey(key: string): string | null {
  const match = /^incoming\/([^/]+)\/.+/.exec(key);
  return match?.[1] ?? null;
}

export function fileNameOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
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

/** The name every file reported on an upload starts with: beside the department's other reports, one per upload (object version). */
function reportStemOf(upload: Pick<Upload, 'key' | 'versionId' | 'sequencer'>, department: string): string {
  return `${REPORTS_PREFIX}${department}/${fileNameOfKey(upload.key)}.${upload.versionId ?? upload.sequencer}`;
}

/** Where the import summary of an upload is written. */
export function reportKeyOf(upload: Pick<Upload, 'key' | 'versionId' | 'sequencer'>, department: string): string {
  return `${reportStemOf(upload, department)}.json`;
}

/** Where the clerk's workbook is written back with its problems marked, beside the summary. */
export function annotatedKeyOf(upload: Pick<Upload, 'key' | 'versionId' | 'sequencer'>, department: string): string {
  return `${reportStemOf(upload, department)}.annotated.xlsx`;
}
