import { createHash } from 'node:crypto';
import type { Period } from './calendar.js';
import type { Upload } from './observation.js';

/**
 * The S3 key layout, the one place it is spelled: every producer and consumer of an object
 * (ingest, snapshot, deadline check, the stack's notification filter and grants, the CLI, the
 * tests) builds and reads keys with these.
 *
 * Upload bucket
 *   incoming/<department>/<file>                               a clerk's upload; the folder says whose figures they are
 *   incoming/<department>/<uploadId>/<file>                    an upload through the portal, in a folder of its own
 *   reports/<department>/<file>.<version>.json                 the import report of that upload
 *   reports/<department>/<file>.<version>.annotated.xlsx       the clerk's workbook with its problems marked
 *   reports/<department>/<uploadId>/<file>.<version>.…         the same of a portal upload: the page finds them by its id
 *     <version>: the S3 version id, or the event's sequencer where the bucket keeps no versions;
 *     an upload outside every department folder, or in a folder whose name is no department id, is reported under reports/unknown/;
 *     a file name too long for the key (S3 keys are at most 1,024 bytes) is cut and given a hash of the whole name
 * Snapshot bucket
 *   snapshots/period=<YYYY-MM>/<file>                          the month's files (Hive-style: Athena finds months without a crawler)
 *   snapshots/period=<YYYY-MM>/<dataset>/<dataset>.parquet     each Parquet dataset in a folder of its own, Athena's table location
 *   latest/<file>                                              a copy of the most recent month, outside snapshots/ so that
 *                                                              a glob over the partitions finds each month once
 *
 * Prefixes end with `/`, so that a grant or a notification filter on `incoming/` cannot also match `incoming-old/`.
 */

/** Where clerks upload: one folder per catalog department. Only objects created here are imported. */
export const INCOMING_PREFIX = 'incoming/';
/** Where the import report and annotated copy of each upload are written, per department. */
export const REPORTS_PREFIX = 'reports/';
/** Where the monthly snapshots are written, one partition per month. */
export const SNAPSHOTS_PREFIX = 'snapshots/';
/** The copy of the most recent month's snapshot: beside `snapshots/`, never inside it, where it would read as one more partition. */
export const LATEST_PREFIX = 'latest/';
/** The Hive partition key of the snapshot folders (`period=YYYY-MM`), also the Glue tables' partition column. */
export const PERIOD_PARTITION = 'period';
/** The file that lists a snapshot's files; it is written last, so its presence says the month's snapshot is complete. */
export const MANIFEST_FILE = 'manifest.json';
/** The page leaders open. */
export const REPORT_FILE = 'report.html';

/** The folder reports go in for an upload outside every department folder. */
const UNKNOWN_FOLDER = 'unknown';

/**
 * What a department id looks like: it names an upload folder, a report folder and an IAM grant, so it is one plain
 * path segment (never empty, never "." or "..").
 */
export const DEPARTMENT_ID = /^[a-z][a-z0-9_-]*$/;

/** Where a department's clerks upload their workbooks: the folder is named by the department id. */
export function uploadFolder(department: string): `${string}/` {
  return `${INCOMING_PREFIX}${department}/`;
}

export function uploadKey(department: string, fileName: string): string {
  return `${uploadFolder(department)}${fileName}`;
}

/**
 * What the portal names an upload: a UUID in the layout of version 7 (RFC 9562), whose leading hex digits are the
 * milliseconds it was made at, so that ids sort as the uploads were made.
 */
export const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A new upload id for `now`, from 10 random bytes. */
export function newUploadId(now: Date, random: Uint8Array): string {
  if (random.length < 10) throw new RangeError('an upload id needs 10 random bytes');
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const time = now.getTime().toString(16).padStart(12, '0').slice(-12);
  const [a = 0, b = 0, c = 0] = random;
  const version = hex(Uint8Array.of(0x70 | (a & 0x0f), b));
  const variant = hex(Uint8Array.of(0x80 | (c & 0x3f), random[3] ?? 0));
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}-${variant}-${hex(random.subarray(4, 10))}`;
}

/** Where an upload through the portal goes: a folder of its own under the department's, named by its id. */
export function portalUploadKey(department: string, uploadId: string, fileName: string): string {
  return `${uploadFolder(department)}${uploadId}/${fileName}`;
}

/** The portal upload id of a key `incoming/<department>/<uploadId>/<file>`; null for any other key. */
export function uploadIdOfKey(key: string): string | null {
  const department = departmentOfKey(key);
  if (department === null) return null;
  const [folder, ...rest] = key.slice(uploadFolder(department).length).split('/');
  return folder !== undefined && rest.length === 1 && UPLOAD_ID.test(folder) ? folder : null;
}

/**
 * The department folder an upload key sits in, or null when the key is not under `incoming/<department>/` with a
 * folder named like a department id (so that no key built from it can hold a `..` segment).
 */
export function departmentOfKey(key: string): string | null {
  if (!key.startsWith(INCOMING_PREFIX)) return null;
  const rest = key.slice(INCOMING_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return null;
  const folder = rest.slice(0, slash);
  return DEPARTMENT_ID.test(folder) ? folder : null;
}

export function fileNameOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The folder under `reports/` an upload is reported in: its department folder, or `unknown`. */
export function reportFolderOf(key: string): string {
  return departmentOfKey(key) ?? UNKNOWN_FOLDER;
}

/** Where a department reads its import reports. */
export function reportsFolder(department: string): `${string}/` {
  return `${REPORTS_PREFIX}${department}/`;
}

/** Where the reports of one portal upload are: every version of it, should the same form be sent twice. */
export function uploadReportsFolder(department: string, uploadId: string): `${string}/` {
  return `${reportsFolder(department)}${uploadId}/`;
}

type UploadVersion = Pick<Upload, 'key' | 'versionId' | 'sequencer'>;

/** S3's limit on a key, in bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;
const REPORT_SUFFIX = '.json';
const ANNOTATED_SUFFIX = '.annotated.xlsx';
/** The longest ending a report stem is given: every key of an upload's reports fits once its stem leaves room for it. */
const LONGEST_SUFFIX_BYTES = Math.max(REPORT_SUFFIX.length, ANNOTATED_SUFFIX.length);
/** Hex digits of the SHA-256 of a whole file name that stand in for the part cut off: distinct names keep distinct keys. */
const NAME_HASH_DIGITS = 12;

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The file name as it fits in `budget` bytes: whole, or its longest beginning that ends on a character, then `~` and its hash. */
function fittedName(name: string, budget: number): string {
  if (utf8Bytes(name) <= budget) return name;
  const tail = `~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, NAME_HASH_DIGITS)}`;
  let kept = '';
  let size = tail.length;
  // for…of walks code points, so a character outside the BMP is never split into half a surrogate pair.
  for (const character of name) {
    const next = size + utf8Bytes(character);
    if (next > budget) break;
    kept += character;
    size = next;
  }
  return `${kept}${tail}`;
}

/** The name every file reported on an upload starts with: beside the department's other reports, one per upload (object version). */
function reportStemOf(upload: UploadVersion, department: string): string {
  const uploadId = uploadIdOfKey(upload.key);
  const folder = uploadId === null ? reportsFolder(department) : uploadReportsFolder(department, uploadId);
  const version = `.${upload.versionId ?? upload.sequencer}`;
  const budget = MAX_KEY_BYTES - LONGEST_SUFFIX_BYTES - utf8Bytes(folder) - utf8Bytes(version);
  return `${folder}${fittedName(fileNameOfKey(upload.key), budget)}${version}`;
}

/** Whether a key under `reports/` is an import report, not an annotated copy beside it. */
export function isReportKey(key: string): boolean {
  return key.startsWith(REPORTS_PREFIX) && key.endsWith(REPORT_SUFFIX);
}

/** Where the import summary of an upload is written. */
export function reportKeyOf(upload: UploadVersion, department: string): string {
  return `${reportStemOf(upload, department)}${REPORT_SUFFIX}`;
}

/** Where the clerk's workbook is written back with its problems marked, beside the summary. */
export function annotatedKeyOf(upload: UploadVersion, department: string): string {
  return `${reportStemOf(upload, department)}${ANNOTATED_SUFFIX}`;
}

/** A file of a month's snapshot: `snapshots/period=YYYY-MM/<file>`. */
export function snapshotKey(period: Period, file: string): string {
  return `${SNAPSHOTS_PREFIX}${PERIOD_PARTITION}=${period}/${file}`;
}

/** The copy of a file of the most recent month. */
export function latestKey(file: string): string {
  return `${LATEST_PREFIX}${file}`;
}

/** Athena reads every object under a table's location, so each Parquet dataset has a folder of its own in the partition. */
export function parquetFolder(dataset: string): `${string}/` {
  return `${dataset}/`;
}

export function parquetFile(dataset: string): string {
  return `${parquetFolder(dataset)}${dataset}.parquet`;
}
