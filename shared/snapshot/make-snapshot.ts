import { createHash } from 'node:crypto';
import type { Observation } from '../observation.js';
import { checkDueDay, DEFAULT_DUE_DAY, dueDateOf, isPeriod, previousPeriod, yearToDate, type Period } from '../calendar.js';
import { systemClock, type Clock, type MonthReviews, type ObjectRef, type ObjectStore, type ObservationRepository } from '../ports.js';
import { firstMonthNeeded } from '../progress.js';
import { revisionsEffectiveIn } from '../catalog/target-revisions.js';
import { locked, type MonthRecord } from '../review/review.js';
import { latestKey, MANIFEST_FILE, parquetFile, REPORT_FILE, snapshotKey } from '../s3-keys.js';
import { COMPLETENESS_DATASET, PROGRESS_DATASET, RESTATEMENTS_DATASET } from './columns.js';
import { datasetParquet } from './parquet.js';
import { completenessCsv, completenessJson, restatementsCsv, restatementsJson, snapshotCsv, snapshotJson } from './render.js';
import { reportHtml } from './report-html.js';
import { buildReport, type Report } from './report-model.js';
import { reportXlsx } from './report-xlsx.js';
import { SCHEMA_VERSION, type Publication, type Snapshot, type SnapshotCatalog } from './snapshot.js';

interface FileRenderer {
  file: string;
  contentType: string;
  render(report: Report): Uint8Array | Promise<Uint8Array>;
}

const text = (render: (snapshot: Snapshot) => string) => (report: Report) => new TextEncoder().encode(render(report.snapshot));

/** In writing order: progress.json first, the file a reader of the month looks for. */
const SNAPSHOT_FILES: readonly FileRenderer[] = [
  { file: 'progress.json', contentType: 'application/json', render: text(snapshotJson) },
  { file: 'progress.csv', contentType: 'text/csv; charset=utf-8', render: text(snapshotCsv) },
  { file: parquetFile('progress'), contentType: 'application/vnd.apache.parquet', render: (r) => datasetParquet(PROGRESS_DATASET, r.snapshot) },
  { file: 'completeness.json', contentType: 'application/json', render: text(completenessJson) },
  { file: 'completeness.csv', contentType: 'text/csv; charset=utf-8', render: text(completenessCsv) },
  { file: parquetFile('completeness'), contentType: 'application/vnd.apache.parquet', render: (r) => datasetParquet(COMPLETENESS_DATASET, r.snapshot) },
  { file: 'restatements.json', contentType: 'application/json', render: text(restatementsJson) },
  { file: 'restatements.csv', contentType: 'text/csv; charset=utf-8', render: text(restatementsCsv) },
  { file: parquetFile('restatements'), contentType: 'application/vnd.apache.parquet', render: (r) => datasetParquet(RESTATEMENTS_DATASET, r.snapshot) },
  { file: REPORT_FILE, contentType: 'text/html; charset=utf-8', render: (r) => new TextEncoder().encode(reportHtml(r)) },
  { file: 'report.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', render: reportXlsx },
];

export interface SnapshotFile {
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** An uploaded object whose figures the snapshot used. */
export interface ManifestInput {
  bucket: string;
  key: string;
  versionId: string | null;
}

/** What a run wrote and from what: the only file that carries the time of the run. */
export interface Manifest {
  schemaVersion: typeof SCHEMA_VERSION;
  period: Period;
  catalogVersion: string;
  dueDay: number;
  /** A draft's manifest says so; a manifest without it (written before drafts) is a publication's. */
  publication: Publication;
  generatedAt: string;
  inputs: ManifestInput[];
  files: SnapshotFile[];
}

export type SnapshotResult =
  | {
      outcome: 'written';
      snapshot: Snapshot;
      /** The month's files, manifest last. */
      files: SnapshotFile[];
      /** Whether `latest/` now holds this month. */
      latest: boolean;
    }
  | {
      /** The month's manifest was there: nothing was locked, read or written. */
      outcome: 'already_published';
      /** The files as the manifest lists them, the manifest last. */
      files: SnapshotFile[];
    };

/** An explicit rewrite of a published month's files: why, which the caller logs. */
export interface Rebuild {
  reason: string;
}

/**
 * What a run does: publish the month (the monthly schedule: lock, then write once), write a draft of it (lock
 * nothing, written again by the next draft or the publication; refused once published), or rebuild it.
 */
export type SnapshotRun = 'publish' | 'draft' | Rebuild;

export interface SnapshotDependencies {
  catalog: SnapshotCatalog;
  /** Reads the months with their sign-off; the only write is the lock of the month it publishes, never a figure. */
  observations: Pick<ObservationRepository, 'monthsIn'> & Pick<MonthReviews, 'update'>;
  objects: ObjectStore;
  /** Whether an object exists: a month whose manifest exists is published. */
  exists(ref: ObjectRef): Promise<boolean>;
  bucket: string;
  clock?: Clock;
  /** Day of the following month by which a month's report is on time. */
  dueDay?: number;
}

/** Each uploaded object version once, in key order, so the manifest lists them the same way every run. */
function inputsOf(observations: Observation[]): ManifestInput[] {
  const inputs = new Map<string, ManifestInput>();
  for (const { lineage } of observations) {
    const input = { bucket: lineage.bucket, key: lineage.key, versionId: lineage.versionId ?? null };
    inputs.set(JSON.stringify(input), input);
  }
  return [...inputs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, input]) => input);
}

const sha256 = (body: Uint8Array) => createHash('sha256').update(body).digest('hex');

/** A manifest lists a dozen files and each input once: far below this. */
const MANIFEST_MAX_BYTES = 1_000_000;

/**
 * Publishes a month: locks every department's month that has figures, then builds the snapshot from what is locked
 * (each department's current figures, submissions and sign-off of the year) and writes its files under
 * `snapshots/period=YYYY-MM/`. An upload racing the lock either commits first and is published provisional, or
 * comes after and is held as a correction. A published month (its manifest exists) is never written again but by
 * an explicit rebuild, so the month's report stays as it was published. The data files depend on the data only;
 * the manifest adds the time of the run. `latest/` gets a copy when the month is the one just ended or later, so a
 * backfill of old months never moves it back.
 */
export function makeSnapshot({ catalog, observations, objects, exists, bucket, clock = systemClock, dueDay = DEFAULT_DUE_DAY }: SnapshotDependencies) {
  checkDueDay(dueDay);

  /** One read per department: every month the progress maths and the year's completeness need, and nothing corrected away. */
  function departmentMonths(department: string, period: Period): Promise<MonthRecord[]> {
    const needed = firstMonthNeeded(catalog.indicators, period);
    const january = yearToDate(period)[0] ?? period;
    return observations.monthsIn(department, { from: january < needed ? january : needed, to: period });
  }

  /** The files a published month's manifest lists, and the manifest itself; null while the month is unpublished or a draft. */
  async function publishedFiles(period: Period): Promise<SnapshotFile[] | null> {
    const key = snapshotKey(period, MANIFEST_FILE);
    if (!(await exists({ bucket, key }))) return null;
    const body = await objects.get({ bucket, key }, { maxBytes: MANIFEST_MAX_BYTES });
    if (!(body instanceof Uint8Array)) throw new Error(`s3://${bucket}/${key} is larger than ${MANIFEST_MAX_BYTES} bytes`);
    const manifest = JSON.parse(new TextDecoder().decode(body)) as Partial<Manifest> & Pick<Manifest, 'files'>;
    if (manifest.publication === 'draft') return null;
    return [...manifest.files, { key, contentType: 'application/json', bytes: body.byteLength, sha256: sha256(body) }];
  }

  async function put(key: string, contentType: string, body: Uint8Array): Promise<SnapshotFile> {
    await objects.put({ bucket, key, body, contentType });
    return { key, contentType, bytes: body.byteLength, sha256: sha256(body) };
  }

  return async (period: Period, run: SnapshotRun = 'publish'): Promise<SnapshotResult> => {
    if (!isPeriod(period)) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
    if (typeof run === 'object' && run.reason.trim() === '') throw new RangeError('a rebuild of a published month needs a reason');
    if (typeof run === 'string') {
      const published = await publishedFiles(period);
      if (published) return { outcome: 'already_published', files: published };
    }
    const publication: Publication = run === 'draft' ? 'draft' : 'published';
    // The month's due date needs its year's holidays: a year the table lacks fails here, before anything is locked.
    dueDateOf(period, dueDay);
    const now = clock.now();
    // Locked before read, each month by a conditional write that re-reads on conflict: what is published is what is locked.
    if (publication === 'published') {
      // The lock records in each month's trail the targets of its department revised in the month.
      const revisedIn = (department: string) => revisionsEffectiveIn(catalog.indicators.filter((i) => i.department === department), period);
      await Promise.all(catalog.departments.map((d) => observations.update(d.id, period, (record) => locked(record, now, revisedIn(d.id)))));
    }
    const months = (await Promise.all(catalog.departments.map((d) => departmentMonths(d.id, period)))).flat();
    const used = months.flatMap((month) => month.slice.observations);
    const report = buildReport({
      catalog,
      period,
      observations: used,
      submissions: months.map((month) => month.slice.submission),
      reviews: months.map(({ slice: { submission }, review }) => ({ department: submission.department, period: submission.period, review })),
      dueDay,
      publication,
    });
    // latest/ holds what was published: a draft is read where it is.
    const latest = publication === 'published' && period >= previousPeriod(now);
    const files: SnapshotFile[] = [];
    const rendered: [string, string, Uint8Array][] = [];
    for (const { file, contentType, render } of SNAPSHOT_FILES) {
      const body = await render(report);
      rendered.push([file, contentType, body]);
      files.push(await put(snapshotKey(period, file), contentType, body));
    }
    const manifest: Manifest = {
      schemaVersion: SCHEMA_VERSION,
      period,
      catalogVersion: catalog.version,
      dueDay,
      publication,
      generatedAt: now.toISOString(),
      inputs: inputsOf(used),
      files: [...files],
    };
    const manifestBody = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
    rendered.push([MANIFEST_FILE, 'application/json', manifestBody]);
    files.push(await put(snapshotKey(period, MANIFEST_FILE), 'application/json', manifestBody));
    if (latest) for (const [file, contentType, body] of rendered) await put(latestKey(file), contentType, body);
    return { outcome: 'written', snapshot: report.snapshot, files, latest };
  };
}
