import { LOCAL_USER_POOL, LocalSignIn, localUsers, type LocalUser } from '../../cli/local/sign-in.js';
import { cognitoIdTokens } from '../../shared/aws/id-tokens.js';
import type { Period } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { makePortalApi } from '../../shared/portal/api.js';
import type { ApiRequest, ApiResponse } from '../../shared/portal/http.js';
import type { BucketDoor, PortalUpload, PortalUploads } from '../../shared/portal/ports.js';
import type { Logger, MonthReviews, ObjectStore, ObservationRepository, PeriodRange } from '../../shared/ports.js';
import type { AuditEntry, MonthRecord } from '../../shared/review/review.js';

// The portal's API over ports held in memory, as the unit tests of its routes call it.

export const NOW = new Date('2026-11-20T04:00:00.000Z');
export const signIn = new LocalSignIn();
const users = new Map(localUsers(catalog.departments.map((d) => d.id)).map((user) => [user.id, user]));
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function userNamed(id: string): LocalUser {
  const user = users.get(id);
  if (!user) throw new Error(`no local user ${id}`);
  return user;
}

/**
 * Months as the table keeps them: each month's record, and the revisions that corrections replaced, whose steps
 * the trail still shows. A step is applied as the repository applies it, to the month as it stands.
 */
export class MemoryMonths implements Pick<ObservationRepository, 'monthsIn'>, MonthReviews {
  private readonly current = new Map<string, MonthRecord>();
  private readonly replaced = new Map<string, MonthRecord[]>();

  constructor(records: readonly MonthRecord[] = []) {
    for (const record of records) this.current.set(this.keyOf(record.slice.submission.department, record.slice.submission.period), record);
  }

  private keyOf(department: string, period: Period): string {
    return `${department}#${period}`;
  }

  async monthsIn(department: string, { from, to }: PeriodRange): Promise<MonthRecord[]> {
    return [...this.current.values()]
      .filter(({ slice: { submission } }) => submission.department === department && submission.period >= from && submission.period <= to)
      .sort((a, b) => a.slice.submission.period.localeCompare(b.slice.submission.period));
  }

  async month(department: string, period: Period): Promise<MonthRecord | undefined> {
    return this.current.get(this.keyOf(department, period));
  }

  async update(department: string, period: Period, step: (record: MonthRecord) => MonthRecord | null): Promise<MonthRecord | undefined> {
    const key = this.keyOf(department, period);
    const record = this.current.get(key);
    if (!record) return undefined;
    const next = step(record);
    if (next === null) return record;
    if (next.revision !== record.revision) this.replaced.set(key, [...(this.replaced.get(key) ?? []), record]);
    this.current.set(key, next);
    return next;
  }

  async trail(department: string, period: Period): Promise<AuditEntry[]> {
    const key = this.keyOf(department, period);
    const current = this.current.get(key);
    return [...(this.replaced.get(key) ?? []), ...(current ? [current] : [])].flatMap((record) => record.review.audit);
  }
}

/** The API over ports held in memory: objects by bucket and key, the granted uploads in a list, the months in MemoryMonths. */
export function portal(options: { months?: MonthRecord[]; maxUploadBytes?: number } = {}) {
  const months = new MemoryMonths(options.months);
  const objects = new Map<string, { bytes: Uint8Array; lastModified: string }>();
  const granted: PortalUpload[] = [];
  const at = (bucket: string, key: string) => `${bucket}/${key}`;
  const store: ObjectStore = {
    async get({ bucket, key }) {
      const found = objects.get(at(bucket, key));
      if (!found) throw new Error(`no object ${key}`);
      return found.bytes;
    },
    async put({ bucket, key, body }) {
      objects.set(at(bucket, key), { bytes: typeof body === 'string' ? new TextEncoder().encode(body) : body, lastModified: NOW.toISOString() });
    },
  };
  const buckets: BucketDoor = {
    async list(bucket, prefix) {
      return [...objects.entries()].filter(([name]) => name.startsWith(at(bucket, prefix))).map(([name, { lastModified }]) => ({ key: name.slice(bucket.length + 1), lastModified }));
    },
    async exists({ bucket, key }) {
      return objects.has(at(bucket, key));
    },
    async presignedPost({ bucket, key, maxBytes }) {
      return { url: `https://${bucket}.s3.example/`, fields: { key, policy: `at most ${maxBytes}` } };
    },
    async downloadLink({ bucket, key }, fileName) {
      return `https://${bucket}.s3.example/${key}?as=${encodeURIComponent(fileName)}`;
    },
  };
  const uploads: PortalUploads = {
    async record(upload) {
      granted.push(upload);
    },
    async list(department, limit) {
      return granted.filter((u) => u.department === department).reverse().slice(0, limit);
    },
    async get(department, uploadId) {
      return granted.find((u) => u.department === department && u.uploadId === uploadId);
    },
  };
  const api = makePortalApi({
    catalog,
    tokens: cognitoIdTokens({ ...LOCAL_USER_POOL, jwks: signIn.jwks }),
    observations: months,
    reviews: months,
    uploads,
    objects: store,
    buckets,
    uploadBucket: 'uploads',
    snapshotBucket: 'snapshots',
    clock: { now: () => NOW },
    logger: quiet,
    dueDay: 10,
    maxUploadBytes: options.maxUploadBytes ?? 20 * 2 ** 20,
    template: async (department, period, previous) => ({ bytes: new TextEncoder().encode(`${department} ${period} ${previous.length}`), fileName: `${department}-${period}.xlsx` }),
    templateFigures: async () => [],
    // The copy itself is written by returned-copy.ts, tested on its own and end to end on the local stores.
    markReturned: async () => 'no_copy',
    random: (size) => new Uint8Array(size).fill(7),
  });
  const call = (request: Partial<ApiRequest> & { as?: string }): Promise<ApiResponse> => {
    // Tokens are verified against the real time, whatever the API's clock says.
    const token = request.as ? signIn.idToken(userNamed(request.as)) : undefined;
    return api({ method: 'GET', path: '/api/me', query: {}, body: undefined, authorization: token && `Bearer ${token}`, ...request });
  };
  return { call, granted, store, months };
}

export const jsonOf = (response: ApiResponse) => ('json' in response ? response.json : undefined);
export const errorCode = (response: ApiResponse) => (jsonOf(response) as { error?: { code: string } }).error?.code;

