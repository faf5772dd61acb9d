import { csvDocument } from './csv.js';
import type { Restatement } from '../review/review.js';
import { COMPLETENESS_DATASET, PROGRESS_DATASET, RESTATEMENTS_DATASET, type Dataset } from './columns.js';
import type { DepartmentReport } from './completeness.js';
import type { Snapshot, SnapshotIndicator } from './snapshot.js';

/**
 * The field order of the JSON files. Listing every field (checked against the types) and
 * handing the list to JSON.stringify fixes the order of keys whatever order an object was
 * built in. Departments share department/zh/en with indicators, in the same order.
 */
const SNAPSHOT_FIELDS = {
  schemaVersion: true,
  period: true,
  catalogVersion: true,
  publication: true,
  indicators: true,
  departments: true,
  restatements: true,
} satisfies Record<keyof Snapshot, true>;

const INDICATOR_FIELDS = {
  indicator: true,
  department: true,
  zh: true,
  en: true,
  kind: true,
  unit: true,
  value: true,
  done: true,
  asOf: true,
  status: true,
  progress: true,
  expected: true,
  runRate3m: true,
  runRate12m: true,
  requiredRunRate: true,
  projectedValue: true,
  targetType: true,
  comparison: true,
  targetValue: true,
  reference: true,
  referenceValue: true,
  baselineValue: true,
  baselineDate: true,
  baselineAssumed: true,
  deadline: true,
  revisionEffective: true,
  revisionReason: true,
  revisionDecidedBy: true,
  originalComparison: true,
  originalTargetValue: true,
  originalDeadline: true,
  originalProgress: true,
  originalExpected: true,
  originalStatus: true,
  note: true,
  signOff: true,
  explanation: true,
} satisfies Record<keyof SnapshotIndicator, true>;

const DEPARTMENT_FIELDS = {
  department: true,
  zh: true,
  en: true,
  reported: true,
  reviewState: true,
  signOff: true,
  submittedAt: true,
  sourceKey: true,
  dueDate: true,
  onTime: true,
  monthsExpected: true,
  monthsReceived: true,
  monthsOnTime: true,
  latestUploadAt: true,
  emptyIndicators: true,
} satisfies Record<keyof DepartmentReport, true>;

const RESTATEMENT_FIELDS = {
  department: true,
  period: true,
  indicator: true,
  unit: true,
  from: true,
  to: true,
  requestedAt: true,
  requestedBy: true,
  approvedAt: true,
  approvedBy: true,
  reason: true,
  sourceKey: true,
} satisfies Record<keyof Restatement, true>;

const JSON_KEY_ORDER = [
  ...new Set([...Object.keys(SNAPSHOT_FIELDS), ...Object.keys(INDICATOR_FIELDS), ...Object.keys(DEPARTMENT_FIELDS), ...Object.keys(RESTATEMENT_FIELDS)]),
];

/** The whole month: progress rows under `indicators`, completeness rows under `departments`, restated figures under `restatements`. */
export function snapshotJson(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, JSON_KEY_ORDER, 2)}\n`;
}

/** One part of the month alone (its completeness, its restatements), for tools that want only that. */
const partJson =
  (part: 'departments' | 'restatements') =>
  ({ schemaVersion, period, catalogVersion, ...snapshot }: Snapshot): string =>
    `${JSON.stringify({ schemaVersion, period, catalogVersion, [part]: snapshot[part] }, JSON_KEY_ORDER, 2)}\n`;

export const completenessJson = partJson('departments');
export const restatementsJson = partJson('restatements');

export function datasetCsv<Row>(dataset: Dataset<Row>, snapshot: Snapshot): string {
  return csvDocument(
    dataset.columns,
    dataset.rows(snapshot).map((row) => dataset.columns.map((column) => column.cell(row, snapshot))),
  );
}

export const snapshotCsv = (snapshot: Snapshot) => datasetCsv(PROGRESS_DATASET, snapshot);
export const completenessCsv = (snapshot: Snapshot) => datasetCsv(COMPLETENESS_DATASET, snapshot);
export const restatementsCsv = (snapshot: Snapshot) => datasetCsv(RESTATEMENTS_DATASET, snapshot);
