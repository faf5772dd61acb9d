import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One EMF metrics buffer per process, flushed by the `logMetrics` middleware after each invocation.
 * The namespace (POWERTOOLS_METRICS_NAMESPACE) names the environment, so dev and prod never mix.
 */
export const metrics = new Metrics();

/** Metric names, shared by the functions that emit them and the alarms that watch them. */
export const METRIC = {
  filesAccepted: 'FilesAccepted',
  filesRejected: 'FilesRejected',
  rowsRead: 'RowsRead',
  observationsWritten: 'ObservationsWritten',
  /** Uploads the ingest could not check for a fault of its own (`file.check_failed`): each one needs an operator. */
  checksFailed: 'ChecksFailed',
  snapshotsWritten: 'SnapshotsWritten',
  snapshotDuration: 'SnapshotDuration',
  snapshotMissing: 'SnapshotMissing',
  lateDepartments: 'LateDepartments',
} as const;
