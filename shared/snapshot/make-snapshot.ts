import type { CatalogData } from '../catalog/catalog.js';
import type { Observation, Submission } from '../observation.js';
import { addMonths, isPeriod, periodAt, type Period } from '../period.js';
import type { ObjectStore, ObservationRepository } from '../ports.js';
import { snapshotCsv, snapshotJson } from './render.js';
import { buildSnapshot, type Snapshot } from './snapshot.js';

export const SNAPSHOTS_PREFIX = 'snapshots/';

/** Hive-style partitions (period=YYYY-MM) let Athena and Glue find months without a crawler. */
export function snapshotKey(period: Period, file: string): string {
  return `${SNAPSHOTS_PREFIX}period=${period}/${file}`;
}

const SNAPSHOT_FILES = [
  { file: 'progress.json', contentType: 'application/json', render: snapshotJson },
  { file: 'progress.csv', contentType: 'text/csv; charset=utf-8', render: snapshotCsv },
] as const;

export interface SnapshotFile {
  key: string;
  contentType: string;
  bytes: number;
}

export interface SnapshotResult {
  snapshot: Snapshot;
  files: SnapshotFile[];
}

export interface SnapshotDependencies {
  catalog: Pick<CatalogData, 'version' | 'departments' | 'indicators'>;
  observations: ObservationRepository;
  objects: ObjectStore;
  bucket: string;
}

/** The month the scheduled run reports on: the one just ended in the district's time zone. */
export function previousPeriod(now: Date): Period {
  return addMonths(periodAt(now), -1);
}

/**
 * Builds a month's snapshot from each department's current figures and writes it as JSON and
 * CSV. The keys and bytes depend on the data only, so re-running a month overwrites it with
 * the same files.
 */
export function makeSnapshot({ catalog, observations, objects, bucket }: SnapshotDependencies) {
  async function departmentSlice(department: string, period: Period): Promise<[Observation[], Submission | undefined]> {
    return Promise.all([observations.observationsUpTo(department, period), observations.submission(department, period)]);
  }

  return async (period: Period): Promise<SnapshotResult> => {
    if (!isPeriod(period)) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
    const slices = await Promise.all(catalog.departments.map((d) => departmentSlice(d.id, period)));
    const snapshot = buildSnapshot({
      catalog,
      period,
      observations: slices.flatMap(([departmentObservations]) => departmentObservations),
      submissions: slices.flatMap(([, submission]) => (submission ? [submission] : [])),
    });
    const files = await Promise.all(
      SNAPSHOT_FILES.map(async ({ file, contentType, render }) => {
        const key = snapshotKey(period, file);
        const body = new TextEncoder().encode(render(snapshot));
        await objects.put({ bucket, key, body, contentType });
        return { key, contentType, bytes: body.byteLength };
      }),
    );
    return { snapshot, files };
  };
}
