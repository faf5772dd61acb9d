export { buildSnapshot, type DepartmentReport, type Snapshot, type SnapshotIndicator, type SnapshotInput } from './snapshot.js';
export { PROGRESS_COLUMNS, snapshotCsv, snapshotJson, type CsvContext, type ProgressColumn } from './render.js';
export { makeSnapshot, previousPeriod, snapshotKey, SNAPSHOTS_PREFIX, type SnapshotDependencies, type SnapshotFile, type SnapshotResult } from './make-snapshot.js';
