import { createHash } from 'node:crypto';
import type { Observation, Slice } from '../observation.js';
import { checkDueDay, DEFAULT_DUE_DAY, isPeriod, previousPeriod, yearToDate, type Period } from '../calendar.js';
import { systemClock, type Clock, type ObjectStore, type ObservationRepository } from '../ports.js';
import { firstMonthNeeded } from '../progress.js';
import { latestKey, MANIFEST_FILE, parquetFile, REPORT_FILE, snapshotKey } from '../s3-keys.js';
import { COMPLETENESS_DATASET, PROGRESS_DATASET } from './columns.js';
import { datasetParquet } from './parquet.js';
import { completenessCsv, completenessJson, snapshotCsv, snapshotJson } from './render.js';
import { reportHtml } from './report-html.js';
import { buildReport, type Report } from './report-model.js';
import { reportXlsx } from './report-xlsx.js';
import { SCHEMA_VERSION, type Snapshot, type SnapshotCatalog } from './snapshot.js';

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
  generatedAt: string;
  inputs: ManifestInput[];
  files: SnapshotFile[];
}

export interface SnapshotResult {
  snapshot: Snapshot;
  /** The month's files, manifest last. */
  files: SnapshotFile[];
  /** Whether `latest/` now holds this month. */
  latest: boolean;
}

export interface SnapshotDependencies {
  catalog: SnapshotCatalog;
  /** Only reads: a snapshot never changes the figures. */
  observations: Pick<ObservationRepository, 'slicesIn'>;
  objects: ObjectStore;
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

/**
 * Builds a month's snapshot from each department's current figures and submissions of the year
 * and writes its files under `snapshots/period=YYYY-MM/`. The data files depend on the data only,
 * so re-running a month overwrites them with the same bytes; the manifest adds the time of the run.
 * `latest/` gets a copy when the month is the one just ended or later, so a backfill of
 * old months never moves it back.
 */
export function makeSnapshot({ catalog, observations, objects, bucket, clock = systemClock, dueDay = DEFAULT_DUE_DAY }: SnapshotDependencies) {
  checkDueDay(dueDay);

  /** One read per department: every month the progress maths and the year's completeness need, and nothing corrected away. */
  function departmentSlices(department: string, period: Period): Promise<Slice[]> {
    const needed = firstMonthNeeded(catalog.indicators, period);
    const january = yearToDate(period)[0] ?? period;
    return observations.slicesIn(department, { from: january < needed ? january : needed, to: period });
  }

  async function put(key: string, contentType: string, body: Uint8Array): Promise<SnapshotFile> {
    await objects.put({ bucket, key, body, contentType });
    return { key, contentType, bytes: body.byteLength, sha256: sha256(body) };
  }

  return async (period: Period): Promise<SnapshotResult> => {
    if (!isPeriod(period)) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
    const now = clock.now();
    const slices = (await Promise.all(catalog.departments.map((d) => departmentSlices(d.id, period)))).flat();
    const used = slices.flatMap((slice) => slice.observations);
    const report = buildReport({ catalog, period, observations: used, submissions: slices.map((slice) => slice.submission), dueDay });
    const latest = period >= previousPeriod(now);
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
      generatedAt: now.toISOString(),
      inputs: inputsOf(used),
      files: [...files],
    };
    const manifestBody = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
    rendered.push([MANIFEST_FILE, 'application/json', manifestBody]);
    files.push(await put(snapshotKey(period, MANIFEST_FILE), 'application/json', manifestBody));
    if (latest) for (const [file, contentType, body] of rendered) await put(latestKey(file), contentType, body);
    return { snapshot: report.snapshot, files, latest };
  };
}
