export { buildSnapshot, SCHEMA_VERSION, type MonthReview, type Snapshot, type SnapshotCatalog, type SnapshotIndicator, type SnapshotInput } from './snapshot.js';
export { restatementsPublished } from './restatements.js';
export { departmentReport, type DepartmentReport } from './completeness.js';
export {
  COMPLETENESS_COLUMNS,
  COMPLETENESS_DATASET,
  PROGRESS_COLUMNS,
  PROGRESS_DATASET,
  RESTATEMENT_COLUMNS,
  RESTATEMENTS_DATASET,
  type Column,
  type ColumnType,
  type Dataset,
} from './columns.js';
export { completenessCsv, completenessJson, datasetCsv, restatementsCsv, restatementsJson, snapshotCsv, snapshotJson } from './render.js';
export { datasetParquet } from './parquet.js';
export { buildReport, type Report } from './report-model.js';
export { reportHtml } from './report-html.js';
export { reportXlsx } from './report-xlsx.js';
export { makeSnapshot, type Manifest, type Rebuild, type SnapshotDependencies, type SnapshotFile, type SnapshotResult } from './make-snapshot.js';
