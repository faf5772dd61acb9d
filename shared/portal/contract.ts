import type { Period } from '../calendar.js';
import type { ImportReport } from '../ingest/ingest.js';
import type { Observation } from '../observation.js';
import type { DepartmentReport } from '../snapshot/completeness.js';
import type { Publication, SnapshotIndicator } from '../snapshot/snapshot.js';
import type { AuditEntry, Decision, Explanation, FigureWarning, MonthState, Restatement, SignOff } from '../review/review.js';
import type { PortalUpload } from './ports.js';

/**
 * The portal's API as its clients see it: the routes, what each answers, and the errors. The page, the local
 * server, the API function and the tests all build on these types; the README lists the same routes.
 * Every body is JSON but the template's; every error is `{ "error": { "code", "message" } }`.
 */

/** The routes, as the HTTP API and the local server serve them. */
export const API_ROUTES = {
  me: 'GET /api/me',
  months: 'GET /api/departments/{department}/months',
  template: 'GET /api/departments/{department}/template',
  requestUpload: 'POST /api/departments/{department}/uploads',
  uploads: 'GET /api/departments/{department}/uploads',
  upload: 'GET /api/departments/{department}/uploads/{uploadId}',
  month: 'GET /api/departments/{department}/months/{period}',
  explanations: 'PUT /api/departments/{department}/months/{period}/explanations',
  review: 'POST /api/departments/{department}/months/{period}/review',
  snapshot: 'GET /api/snapshots/{period}',
  /** Only on the local server: there is no user pool to sign in with. */
  localSignIn: 'POST /api/local/sign-in',
} as const;

/** A department the signed-in user may read, with its names, and whether the user may upload its workbooks. */
export interface DepartmentAccessView {
  id: string;
  zh: string;
  en: string;
  upload: boolean;
}

/** `GET /api/me` */
export interface MeResponse {
  user: string;
  email: string | null;
  /** The user's roles as their groups name them: `clerk:science`, `head:science`, `office`. */
  roles: string[];
  /** The departments the user may read, in catalog order. */
  departments: DepartmentAccessView[];
  /** Whether the user may read every department's snapshot and the board (the reform office and its leaders). */
  snapshots: boolean;
}

/**
 * Where a department's month stands:
 * - not_received: no workbook for the month has been accepted, and none is being checked;
 * - processing: a workbook uploaded through the portal for the month is being checked;
 * - accepted: the month's figures are those of its first accepted workbook;
 * - rejected: every workbook for the month so far was rejected;
 * - corrected: an accepted workbook replaced the month's earlier figures.
 */
export const MONTH_STATUSES = ['not_received', 'processing', 'accepted', 'rejected', 'corrected'] as const;
export type MonthStatus = (typeof MONTH_STATUSES)[number];

/**
 * Where an upload stands:
 * - processing: uploaded (or about to be) and not yet checked;
 * - accepted / rejected: the verdict of its import report;
 * - failed: the check could not be made on our side (the report says file.check_failed, or none came in time).
 */
export const UPLOAD_STATUSES = ['processing', 'accepted', 'rejected', 'failed'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** Who uploaded what when, for a month's row. */
export interface MonthUpload {
  /** The portal upload's id; null for a workbook dropped into the bucket directly. */
  uploadId: string | null;
  fileName: string;
  uploadedAt: string;
  /** The signed-in user who uploaded it through the portal; the S3 principal for a direct drop. */
  user: string | null;
  status: UploadStatus;
}

/** One entry of `GET /api/departments/{department}/months?year=YYYY`: every month of the year, January first. */
export interface MonthView {
  period: Period;
  /**
   * The last day the month's workbook is on time (YYYY-MM-DD, district time: the due day, or the next working day);
   * null while the holiday table does not hold the year it falls in, which the page says rather than guess.
   */
  due: string | null;
  status: MonthStatus;
  /** Whether the month's first accepted workbook came by the due date; false once it is past due with none; null before. */
  onTime: boolean | null;
  /** The latest upload for the month, whatever became of it; null when there was none. */
  latestUpload: MonthUpload | null;
  /** Where the month's sign-off stands. */
  state: MonthState;
  /** The head's reason while the month is returned; null otherwise. */
  returnedReason: string | null;
}

/** A warned figure with its explanation: typed on the portal, the note in its workbook row, or none yet. */
export interface WarningView extends FigureWarning {
  explanation: Explanation | null;
}

/** A figure of the month as the month page shows it, with the cell it came from. */
export interface MonthFigureView {
  indicator: string;
  value: Observation['value'];
  unit: string;
  note: string | null;
  sheet: string;
  cell: string;
}

/** A set of figures under sign-off: the month's current ones, or a locked month's pending correction. */
export interface FiguresUnderReview {
  /** What a review decides on: send it back as `revision` so that a newer upload meanwhile is not signed off unseen. */
  revision: number;
  /** SHA-256 of the workbook under review: send it back as `contentSha256`, as a locked month's corrections share one revision. */
  contentSha256: string;
  uploadedAt: string;
  /** The signed-in user who uploaded it; the S3 principal for a direct drop. */
  uploader: string | null;
  fileName: string;
  figures: MonthFigureView[];
  warnings: WarningView[];
}

/** `GET /api/departments/{department}/months/{period}`: the month's sign-off. */
export interface MonthDetail {
  department: string;
  period: Period;
  state: MonthState;
  /** Whether the month's current figures count: null while none were received. */
  signOff: SignOff | null;
  /** The current figures; null while none were received. */
  current: FiguresUnderReview | null;
  /** The head's reason when the month was returned and not yet submitted again; null otherwise. */
  returned: { reason: string; by: string; at: string } | null;
  /** When the month's snapshot was published and locked it; null while it is open. */
  lockedAt: string | null;
  /** A locked month's correction, waiting for the reform office; the published figures stay current meanwhile. */
  correction: FiguresUnderReview | null;
  restatements: Restatement[];
  /** Every step of the month's sign-off, oldest first. */
  audit: AuditEntry[];
  /** What the signed-in user may do with the month now. */
  may: { explain: boolean; approve: boolean; return: boolean };
}

/** `PUT …/months/{period}/explanations` body: each warned indicator's explanation. */
export type ExplanationsBody = Record<string, string>;

/** `POST …/months/{period}/review` body. */
export interface ReviewBody {
  decision: Decision;
  /** Required to return a month, and to decide on a locked month's correction. */
  reason?: string;
  /** The revision the reviewer saw (`current.revision`, or `correction.revision`). */
  revision?: number;
  /** The hash of the workbook the reviewer saw (`current.contentSha256`, or `correction.contentSha256`). */
  contentSha256?: string;
}

export interface MonthsResponse {
  department: string;
  year: number;
  months: MonthView[];
}

/** `POST /api/departments/{department}/uploads` body. */
export interface UploadRequestBody {
  fileName: string;
  /** Bytes of the file the browser will send; the POST policy allows no more. */
  size: number;
  /** The month the clerk is uploading for, when the page knows it; the workbook itself still says which month it is. */
  period?: Period;
}

/** `POST /api/departments/{department}/uploads` answer: an S3 presigned POST for exactly one object. */
export interface UploadGrant {
  uploadId: string;
  /** Where the browser POSTs the form. */
  url: string;
  /** The form fields to send before the file, as they are. */
  fields: Record<string, string>;
  /** The object key the form writes: `incoming/<department>/<uploadId>/<fileName>`. */
  key: string;
  /** The most bytes the policy allows. */
  maxBytes: number;
  /** When the policy stops being accepted (ISO 8601). */
  expiresAt: string;
}

/** An upload made through the portal, as `GET …/uploads` lists it and `GET …/uploads/{uploadId}` answers it. */
export interface UploadView extends Pick<PortalUpload, 'uploadId' | 'department' | 'fileName' | 'size' | 'user' | 'requestedAt'> {
  /** The month asked for at the upload, or the one its report says; null when neither is known. */
  period: Period | null;
  status: UploadStatus;
  /** The import report as the ingest wrote it; null until it exists. */
  report: ImportReport | null;
  /** A short-lived link to the clerk's workbook with each problem marked; null until it is written. */
  annotatedUrl: string | null;
}

export interface UploadsResponse {
  department: string;
  /** Newest first. */
  uploads: UploadView[];
}

/** A file of a month's snapshot, with a short-lived link. */
export interface SnapshotFileLink {
  file: string;
  url: string;
}

/** `GET /api/snapshots/{period}`: the month's progress and completeness, as `progress.json` and `completeness.json` hold them. */
export interface SnapshotResponse {
  period: Period;
  /** When the snapshot was written (its manifest's time). */
  generatedAt: string;
  catalogVersion: string;
  /** A draft may still change; a published month is locked and its files written once. */
  publication: Publication;
  /** Each figure marked `signOff`: official, or provisional while its month awaits the head's approval. */
  progress: SnapshotIndicator[];
  completeness: DepartmentReport[];
  /** Figures of earlier, published months the reform office approved corrections of since the last snapshot; none before schema 5. */
  restatements: Restatement[];
  /** report.html, report.xlsx and the data files. */
  files: SnapshotFileLink[];
}

/** `POST /api/local/sign-in` */
export interface LocalSignInBody {
  user: string;
}
export interface LocalSignInResponse {
  token: string;
}

/** Every error the API answers, with its HTTP status. */
export const API_ERRORS = {
  'auth.missing_token': 401,
  'auth.invalid_token': 401,
  'auth.forbidden': 403,
  'request.invalid': 400,
  'request.not_found': 404,
  'upload.too_large': 413,
  'upload.not_found': 404,
  'snapshot.not_found': 404,
  'month.not_found': 404,
  'month.changed': 409,
  'month.not_submitted': 409,
  'month.unexplained_warnings': 409,
  'month.locked': 409,
  'server.fault': 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** `/config.json` beside the page: how it signs users in. */
export type PortalConfig =
  | { signIn: 'local'; users: { id: string; roles: string[] }[] }
  | {
      signIn: 'cognito';
      /** The user pool's managed login, e.g. https://department-metrics-prod.auth.ap-east-1.amazoncognito.com */
      domain: string;
      clientId: string;
      /** The page's own address, registered as the app client's callback. */
      redirectUri: string;
    };

/** Where the page finds its configuration, beside index.html. */
export const PORTAL_CONFIG_FILE = 'config.json';
