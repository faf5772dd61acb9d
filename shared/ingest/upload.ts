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
