import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import { isPeriod, periodAt, periodOf, type Period } from '../calendar.js';
import type { IdTokens } from '../aws/id-tokens.js';
import type { ImportReport } from '../ingest/ingest.js';
import type { Observation, Slice, Submission } from '../observation.js';
import type { Clock, Logger, MonthReviews, ObjectStore, ObservationRepository } from '../ports.js';
import type { NoticeQueue } from '../notify/ports.js';
import { reviewRequest } from '../notify/requests.js';
import type { ReturnedCopy } from '../review/returned-copy.js';
import { decide, explain, explanationOf, monthStateOf, ReviewRefusal, revisionUnderReview, signOffOf, type MonthRecord, type Review } from '../review/review.js';
import { mayRead, mayReadSnapshots, mayUpload, readableDepartments, roleName, type Principal } from '../roles.js';
import { fileNameOfKey, isReportKey, MANIFEST_FILE, newUploadId, portalUploadKey, snapshotKey, uploadIdOfKey, uploadReportsFolder, UPLOAD_ID } from '../s3-keys.js';
import type { Manifest } from '../snapshot/make-snapshot.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type {
  ExplanationsBody,
  FiguresUnderReview,
  MeResponse,
  MonthDetail,
  MonthsResponse,
  ReviewBody,
  SnapshotResponse,
  UploadGrant,
  UploadRequestBody,
  UploadsResponse,
  UploadView,
} from './contract.js';
import { API_ROUTES } from './contract.js';
import { ApiError, bearerToken, jsonBody, validated, type ApiRequest, type ApiResponse } from './http.js';
import type { BucketDoor, PortalUpload, PortalUploads } from './ports.js';
import { monthsOf, returnOf, statusWithoutReport, verdictOf } from './statuses.js';

/** How long a presigned POST is accepted: long enough to send a workbook over a slow office line. */
const POST_POLICY_SECONDS = 10 * 60;
/** How long a download link works: the browser follows it at once. */
const LINK_SECONDS = 5 * 60;
/** The most uploads a listing returns: more than a department makes in a year. */
const MAX_LISTED_UPLOADS = 100;
/** An import report is a few kilobytes per problem; this bounds what the API reads of one. */
const MAX_JSON_BYTES = 8 * 2 ** 20;
/**
 * The longest file name an upload may have, in bytes of UTF-8: its report's name adds the version and
 * `.annotated.xlsx` to it, and the local stand-in keeps each part of a key within a file name's 255 bytes.
 */
const MAX_FILE_NAME_BYTES = 180;

export interface PortalApiDependencies {
  catalog: Catalog;
  tokens: IdTokens;
  observations: Pick<ObservationRepository, 'monthsIn'>;
  /** The months' sign-off: read, explained and decided. */
  reviews: MonthReviews;
  uploads: PortalUploads;
  objects: ObjectStore;
  buckets: BucketDoor;
  uploadBucket: string;
  snapshotBucket: string;
  clock: Clock;
  logger: Logger;
  dueDay: number;
  /** The most bytes an upload through the portal may have. */
  maxUploadBytes: number;
  /** The month's template workbook with these figures for reference, and its file name (exceljs, loaded at its first use). */
  template(department: string, period: Period, previous: Observation[]): Promise<{ bytes: Uint8Array; fileName: string }>;
  /**
   * Writes a returned month's reason into the annotated copy of its upload (shared/review/returned-copy.ts, exceljs,
   * loaded at its first use).
   */
  markReturned(record: MonthRecord): Promise<ReturnedCopy>;
  /** The template's reference figures (see shared/workbook/template-figures.ts). */
  templateFigures(department: string, period: Period): Promise<Observation[]>;
  /** Random bytes for upload ids; the system's by default. */
  random?: (size: number) => Uint8Array;
  /** The notifier's queue, told of each return and approval; none where nobody is told. */
  notices?: NoticeQueue;
}

/** A route of the contract as a method and a path pattern whose `{name}` parts become named groups. */
function routeMatcher(route: string): { method: string; path: RegExp } {
  const [method = '', template = ''] = route.split(' ');
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`);
  return { method, path: new RegExp(`^${pattern}$`) };
}

type Handler = (principal: Principal, params: Record<string, string>, request: ApiRequest) => Promise<ApiResponse>;

const forbidden = () =>
  new ApiError('auth.forbidden', { zh: '您的角色无权访问此内容。', en: 'Your role does not allow this.' });
const notFound = (what: { zh: string; en: string }) => new ApiError('request.not_found', what);

const fileNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((name) => !/[/\\\u0000-\u001f\u007f]/.test(name), 'must not hold a slash, a backslash or a control character')
  .refine((name) => name !== '.' && name !== '..', 'must be a file name')
  .refine((name) => Buffer.byteLength(name, 'utf8') <= MAX_FILE_NAME_BYTES, `may have at most ${MAX_FILE_NAME_BYTES} bytes (about 60 Chinese characters)`);
const periodSchema = z.string().refine(isPeriod, 'must be a month written YYYY-MM');
const uploadRequestSchema = z.strictObject({
  fileName: fileNameSchema,
  size: z.number().int('must be a whole number of bytes').positive('must be more than 0'),
  period: periodSchema.optional(),
}) satisfies z.ZodType<UploadRequestBody>;
const explanationsSchema = z
  .record(z.string(), z.string('must be the explanation as text'))
  .refine((texts) => Object.keys(texts).length > 0, 'must explain at least one warned indicator') satisfies z.ZodType<ExplanationsBody>;
const reviewSchema = z.strictObject({
  decision: z.enum(['approve', 'return'], 'must be "approve" or "return"'),
  reason: z.string('must be text').optional(),
  revision: z.number('must be a number').int('must be a whole number').positive('must be the revision the month page showed').optional(),
  contentSha256: z.string('must be text').regex(/^[0-9a-f]{64}$/, 'must be the hash the month page showed').optional(),
}) satisfies z.ZodType<ReviewBody>;
const yearSchema = z.object({ year: z.coerce.number().int().min(2000).max(2099).optional() });
const templateQuerySchema = z.object({ period: periodSchema });

/** The portal's API: every route of the contract, each checking the caller's role before reading anything. */
export function makePortalApi(deps: PortalApiDependencies) {
  const { catalog, tokens, uploads, objects, buckets, clock, logger } = deps;
  const random = deps.random ?? ((size: number) => new Uint8Array(randomBytes(size)));

  /** The department named in the path, if the caller may read it; 403 otherwise, and 404 for the office asking for none. */
  function readable(principal: Principal, department: string): string {
    if (!mayRead(principal, department)) throw forbidden();
    if (!catalog.department(department)) throw notFound({ zh: `没有“${department}”这个部门。`, en: `There is no department "${department}".` });
    return department;
  }

  async function readJson<T>(bucket: string, key: string): Promise<T> {
    const bytes = await objects.get({ bucket, key }, { maxBytes: MAX_JSON_BYTES });
    if (!(bytes instanceof Uint8Array)) throw new Error(`s3://${bucket}/${key} is larger than ${MAX_JSON_BYTES} bytes`);
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  }

  /** The newest import report of a portal upload: a form sent twice makes two versions, the later one counts. */
  async function reportOf(upload: PortalUpload): Promise<ImportReport | null> {
    const listed = (await buckets.list(deps.uploadBucket, uploadReportsFolder(upload.department, upload.uploadId))).filter((o) => isReportKey(o.key));
    const newest = listed.reduce<(typeof listed)[number] | null>((found, o) => (found === null || o.lastModified > found.lastModified ? o : found), null);
    return newest ? readJson<ImportReport>(deps.uploadBucket, newest.key) : null;
  }

  /** Where a portal upload stands, with its report and a link to its annotated copy; null for a form never sent. */
  async function viewOf(upload: PortalUpload): Promise<UploadView | null> {
    const report = await reportOf(upload);
    const status =
      verdictOf(report) ??
      statusWithoutReport(upload.expiresAt, clock.now(), await buckets.exists({ bucket: deps.uploadBucket, key: upload.key }));
    if (status === null) return null;
    const annotatedUrl = report?.annotatedKey
      ? await buckets.downloadLink({ bucket: deps.uploadBucket, key: report.annotatedKey }, annotatedFileName(upload.fileName), LINK_SECONDS)
      : null;
    const { uploadId, department, fileName, size, user, requestedAt } = upload;
    return { uploadId, department, fileName, size, period: report?.period ?? upload.period, user, requestedAt, status, report, annotatedUrl };
  }

  /** The signed-in user who uploaded a workbook through the portal; else the S3 principal, as a direct drop has no other. */
  async function uploaderOf(submission: Submission): Promise<string | null> {
    // The ingest names the portal user; a month stored before it did is looked up in the portal's records.
    if (submission.submitter !== undefined) return submission.submitter;
    const uploadId = uploadIdOfKey(submission.key);
    const upload = uploadId === null ? undefined : await uploads.get(submission.department, uploadId);
    return upload?.user ?? submission.uploader ?? null;
  }

  /** Figures under sign-off as the month page shows them, each warning with its explanation. */
  async function underReviewOf(revision: number, { slice, warnings, explanations }: { slice: Slice } & Pick<Review, 'warnings' | 'explanations'>): Promise<FiguresUnderReview> {
    const { submission } = slice;
    return {
      revision,
      contentSha256: submission.contentSha256,
      uploadedAt: submission.uploadedAt,
      uploader: await uploaderOf(submission),
      fileName: fileNameOfKey(submission.key),
      figures: slice.observations.map(({ indicator, value, unit, note, lineage }) => ({ indicator, value, unit, note: note ?? null, sheet: lineage.sheet, cell: lineage.cell })),
      warnings: warnings.map((warning) => ({ ...warning, explanation: explanationOf(warning.indicator, slice, explanations) })),
    };
  }

  async function detailOf(principal: Principal, department: string, period: Period, record: MonthRecord | undefined): Promise<MonthDetail> {
    if (!record) {
      const nothing = { explain: false, approve: false, return: false };
      return { department, period, state: monthStateOf(record), signOff: null, current: null, returned: null, lockedAt: null, correction: null, restatements: [], audit: [], may: nothing };
    }
    const { review } = record;
    const [current, correction, audit] = await Promise.all([
      underReviewOf(record.revision, { slice: record.slice, warnings: review.warnings, explanations: review.explanations }),
      review.correction && underReviewOf(revisionUnderReview(record), review.correction),
      deps.reviews.trail(department, period),
    ]);
    return {
      department,
      period,
      state: monthStateOf(record),
      signOff: signOffOf(review),
      current,
      returned: returnOf(record),
      lockedAt: review.lockedAt,
      correction,
      restatements: review.restatements,
      audit,
      may: mayOf(record, principal, clock.now()),
    };
  }

  /** The month named in the path, of a department the caller may read. */
  function monthAt(principal: Principal, params: Record<string, string>): { department: string; period: Period } {
    const department = readable(principal, params.department ?? '');
    return { department, period: validated(periodSchema, params.period, { zh: '月份', en: 'month' }) };
  }

  /** The month after a step of review.ts, which refuses by throwing; `month.not_found` while the month has no figures. */
  async function stepped(department: string, period: Period, step: (record: MonthRecord) => MonthRecord): Promise<MonthRecord> {
    const record = await deps.reviews.update(department, period, step);
    if (!record) {
      throw new ApiError('month.not_found', { zh: `${department} 尚无 ${period} 已接收的报表。`, en: `No workbook of ${department} for ${period} has been accepted yet.` });
    }
    return record;
  }

  /** The decision stands whatever becomes of its notice: the clerk sees it on the page; the operators see the error. */
  async function requestReviewNotice(record: MonthRecord): Promise<void> {
    const { notices } = deps;
    const request = notices ? reviewRequest(record) : null;
    if (!notices || !request) return;
    try {
      await notices.request(request);
    } catch (error) {
      logger.error('notice of a review step not requested', { department: request.department, period: request.period, kind: request.kind, error });
    }
  }

  /** The return stands whatever becomes of the copy: the clerk reads the reason on the page in any case. */
  async function returnedCopyOf(record: MonthRecord): Promise<void> {
    const { department, period, key } = record.slice.submission;
    try {
      logger.info('annotated copy of a returned month', { department, period, key, copy: await deps.markReturned(record) });
    } catch (error) {
      logger.error('annotated copy of a returned month not written', { department, period, key, error });
    }
  }

  async function viewsOf(department: string): Promise<UploadView[]> {
    const views = await Promise.all((await uploads.list(department, MAX_LISTED_UPLOADS)).map(viewOf));
    return views.filter((view): view is UploadView => view !== null);
  }

  const handlers: Record<Exclude<keyof typeof API_ROUTES, 'localSignIn'>, Handler> = {
    async me(principal) {
      const departments = readableDepartments(principal, catalog.departments.map((d) => d.id)).flatMap((id) => {
        const department = catalog.department(id);
        return department ? [{ id, zh: department.zh, en: department.en, upload: mayUpload(principal, id) }] : [];
      });
      const body: MeResponse = {
        user: principal.user,
        email: principal.email,
        roles: principal.roles.map(roleName),
        departments,
        snapshots: mayReadSnapshots(principal),
      };
      return { status: 200, json: body };
    },

    async months(principal, params, request) {
      const department = readable(principal, params.department ?? '');
      const now = clock.now();
      const { year = Number(periodAt(now).slice(0, 4)) } = validated(yearSchema, request.query, { zh: '查询参数', en: 'query' });
      const [records, views] = await Promise.all([
        deps.observations.monthsIn(department, { from: periodOf(year, 1), to: periodOf(year, 12) }),
        viewsOf(department),
      ]);
      const months = monthsOf({ year, dueDay: deps.dueDay, now, months: records, uploads: views });
      const body: MonthsResponse = { department, year, months };
      return { status: 200, json: body };
    },

    async template(principal, params, request) {
      const department = readable(principal, params.department ?? '');
      const { period } = validated(templateQuerySchema, request.query, { zh: '查询参数', en: 'query' });
      const { bytes, fileName } = await deps.template(department, period, await deps.templateFigures(department, period));
      return { status: 200, file: { bytes, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName } };
    },

    async requestUpload(principal, params, request) {
      const department = params.department ?? '';
      // Only a department's own clerks and head upload its figures; the office reads them.
      if (!mayUpload(principal, department)) throw forbidden();
      readable(principal, department);
      const body = validated(uploadRequestSchema, jsonBody(request.body), { zh: '上传请求', en: 'upload request' });
      if (body.size > deps.maxUploadBytes) {
        const mb = (deps.maxUploadBytes / 2 ** 20).toFixed(0);
        throw new ApiError('upload.too_large', {
          zh: `文件有 ${body.size} 字节，超过上限 ${mb} MB；请删去多余的工作表或图片后再上传。`,
          en: `The file has ${body.size} bytes, more than the ${mb} MB allowed; remove extra sheets or pictures and upload it again.`,
        });
      }
      const now = clock.now();
      const uploadId = newUploadId(now, random(10));
      const key = portalUploadKey(department, uploadId, body.fileName);
      const expiresAt = new Date(now.getTime() + POST_POLICY_SECONDS * 1000).toISOString();
      const { url, fields } = await buckets.presignedPost({ bucket: deps.uploadBucket, key, maxBytes: body.size, expiresInSeconds: POST_POLICY_SECONDS });
      await uploads.record({
        uploadId,
        department,
        fileName: body.fileName,
        size: body.size,
        period: body.period ?? null,
        user: principal.user,
        email: principal.email,
        requestedAt: now.toISOString(),
        expiresAt,
        key,
      });
      logger.info('upload granted', { department, uploadId, user: principal.user, size: body.size });
      const grant: UploadGrant = { uploadId, url, fields, key, maxBytes: body.size, expiresAt };
      return { status: 201, json: grant };
    },

    async uploads(principal, params) {
      const department = readable(principal, params.department ?? '');
      const body: UploadsResponse = { department, uploads: await viewsOf(department) };
      return { status: 200, json: body };
    },

    async upload(principal, params) {
      const department = readable(principal, params.department ?? '');
      const uploadId = params.uploadId ?? '';
      const missing = new ApiError('upload.not_found', { zh: `没有编号为 ${uploadId} 的上传。`, en: `There is no upload ${uploadId}.` });
      if (!UPLOAD_ID.test(uploadId)) throw missing;
      const upload = await uploads.get(department, uploadId);
      const view = upload ? await viewOf(upload) : null;
      if (!view) throw missing;
      return { status: 200, json: view };
    },

    async month(principal, params) {
      const { department, period } = monthAt(principal, params);
      const body: MonthDetail = await detailOf(principal, department, period, await deps.reviews.month(department, period));
      return { status: 200, json: body };
    },

    async explanations(principal, params, request) {
      const { department, period } = monthAt(principal, params);
      const texts = validated(explanationsSchema, jsonBody(request.body), { zh: '说明', en: 'explanations' });
      const now = clock.now();
      const record = await stepped(department, period, (month) => explain(month, texts, principal, now));
      await requestReviewNotice(record);
      logger.info('month explained', { department, period, indicators: Object.keys(texts), user: principal.user, state: monthStateOf(record) });
      return { status: 200, json: await detailOf(principal, department, period, record) };
    },

    async review(principal, params, request) {
      const { department, period } = monthAt(principal, params);
      const { decision, reason, revision, contentSha256 } = validated(reviewSchema, jsonBody(request.body), { zh: '审核请求', en: 'review request' });
      const now = clock.now();
      const record = await stepped(department, period, (month) => decide(month, decision, reason, principal, now, revision, contentSha256).record);
      logger.info('month reviewed', { department, period, decision, reason, revision: record.revision, user: principal.user, state: monthStateOf(record) });
      if (record.review.state === 'returned') await returnedCopyOf(record);
      await requestReviewNotice(record);
      return { status: 200, json: await detailOf(principal, department, period, record) };
    },

    async snapshot(principal, params) {
      if (!mayReadSnapshots(principal)) throw forbidden();
      const period = validated(periodSchema, params.period, { zh: '月份', en: 'month' });
      const manifestKey = snapshotKey(period, MANIFEST_FILE);
      if (!(await buckets.exists({ bucket: deps.snapshotBucket, key: manifestKey }))) {
        throw new ApiError('snapshot.not_found', { zh: `${period} 的月度快照尚未生成。`, en: `The snapshot of ${period} has not been written yet.` });
      }
      const manifest = await readJson<Manifest>(deps.snapshotBucket, manifestKey);
      const progress = await readJson<Snapshot>(deps.snapshotBucket, snapshotKey(period, 'progress.json'));
      const files = await Promise.all(
        [...manifest.files.map((file) => file.key), manifestKey].map(async (key) => ({
          file: key.slice(snapshotKey(period, '').length),
          url: await buckets.downloadLink({ bucket: deps.snapshotBucket, key }, `${period}-${key.slice(key.lastIndexOf('/') + 1)}`, LINK_SECONDS),
        })),
      );
      const body: SnapshotResponse = {
        period,
        generatedAt: manifest.generatedAt,
        catalogVersion: manifest.catalogVersion,
        // Every snapshot written before drafts existed was published.
        publication: progress.publication ?? 'published',
        progress: progress.indicators,
        completeness: progress.departments,
        // A snapshot written before schema 5 has no restatements field.
        restatements: progress.restatements ?? [],
        files,
      };
      return { status: 200, json: body };
    },
  };

  const routes = Object.entries(handlers).map(([name, handle]) => ({ ...routeMatcher(API_ROUTES[name as keyof typeof handlers]), handle }));

  return async function handle(request: ApiRequest): Promise<ApiResponse> {
    try {
      // Who is asking comes first, as API Gateway's authorizer answers before any route.
      const token = bearerToken(request.authorization);
      if (token === undefined) throw new ApiError('auth.missing_token', { zh: '请先登录。', en: 'Sign in first.' });
      const principal = await tokens.principalOf(token);
      if (!principal) throw new ApiError('auth.invalid_token', { zh: '登录已失效，请重新登录。', en: 'Your sign-in is no longer valid; sign in again.' });
      const found = routes.flatMap((route) => {
        const match = route.method === request.method ? route.path.exec(request.path) : null;
        return match ? [{ route, params: pathParams(match.groups ?? {}) }] : [];
      })[0];
      if (!found) {
        throw notFound({ zh: `没有 ${request.method} ${request.path} 这个接口。`, en: `There is no route ${request.method} ${request.path}.` });
      }
      return await found.route.handle(principal, found.params, request);
    } catch (thrown) {
      // A step of review.ts refuses with the API's own code and words.
      const error = thrown instanceof ReviewRefusal ? new ApiError(thrown.code, thrown.text) : thrown;
      if (error instanceof ApiError) return { status: error.status, json: error.body() };
      logger.error('portal request failed', { method: request.method, path: request.path, error });
      const fault = new ApiError('server.fault', { zh: '服务器出错，请稍后再试。', en: 'Something went wrong on our side; try again later.' });
      return { status: fault.status, json: fault.body() };
    }
  };
}

/**
 * What the user may do with the month now, by the rules of review.ts themselves: each step is tried on the record
 * and its result thrown away. The reason stands in for the one the user will type; a month without warnings has
 * nothing to explain.
 */
function mayOf(record: MonthRecord, principal: Principal, now: Date): MonthDetail['may'] {
  const allowed = (step: () => unknown) => {
    try {
      step();
      return true;
    } catch (error) {
      if (error instanceof ReviewRefusal) return false;
      throw error;
    }
  };
  const reason = 'may';
  const [warning] = (record.review.correction ?? record.review).warnings;
  return {
    explain: warning !== undefined && allowed(() => explain(record, { [warning.indicator]: reason }, principal, now)),
    approve: allowed(() => decide(record, 'approve', reason, principal, now)),
    return: allowed(() => decide(record, 'return', reason, principal, now)),
  };
}

/** The path's `{name}` parts, decoded; `request.invalid` for one that is not valid percent-encoding. */
function pathParams(groups: Record<string, string | undefined>): Record<string, string> {
  try {
    return Object.fromEntries(Object.entries(groups).map(([name, value]) => [name, decodeURIComponent(value ?? '')]));
  } catch {
    throw new ApiError('request.invalid', { zh: '路径中的编码有误。', en: 'The path is not validly encoded.' });
  }
}

/** The annotated copy downloads under the clerk's own file name, marked. */
function annotatedFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  return `${stem}（标注 annotated）.xlsx`;
}

