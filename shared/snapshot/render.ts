import { csvDocument, type CsvCell } from './csv.js';
import type { DepartmentReport, Snapshot, SnapshotIndicator } from './snapshot.js';

/**
 * The field order of progress.json. Listing every field (checked against the types) and
 * handing the list to JSON.stringify fixes the order of keys whatever order an object was
 * built in. Departments share department/zh/en with indicators, in the same order.
 */
const SNAPSHOT_FIELDS = {
  schemaVersion: true,
  period: true,
  catalogVersion: true,
  indicators: true,
  departments: true,
} satisfies Record<keyof Snapshot, true>;

const INDICATOR_FIELDS = {
  indicator: true,
  department: true,
  zh: true,
  en: true,
  kind: true,
  unit: true,
  value: true,
  asOf: true,
  status: true,
  progress: true,
  expected: true,
  targetType: true,
  comparison: true,
  targetValue: true,
  reference: true,
  referenceValue: true,
  baselineValue: true,
  baselineDate: true,
  baselineAssumed: true,
  deadline: true,
} satisfies Record<keyof SnapshotIndicator, true>;

const DEPARTMENT_FIELDS = {
  department: true,
  zh: true,
  en: true,
  reported: true,
  submittedAt: true,
  sourceKey: true,
} satisfies Record<keyof DepartmentReport, true>;

const JSON_KEY_ORDER = [
  ...new Set([...Object.keys(SNAPSHOT_FIELDS), ...Object.keys(INDICATOR_FIELDS), ...Object.keys(DEPARTMENT_FIELDS)]),
];

export function snapshotJson(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, JSON_KEY_ORDER, 2)}\n`;
}

/** What a CSV row needs beyond its indicator: the month, the catalog and who reported. */
export interface CsvContext {
  period: string;
  catalogVersion: string;
  reported: ReadonlySet<string>;
}

export interface ProgressColumn {
  name: string;
  /** How a loader should type the column: month is YYYY-MM, date is YYYY-MM-DD. */
  type: 'text' | 'decimal' | 'boolean' | 'month' | 'date';
  description: string;
  cell(row: SnapshotIndicator, context: CsvContext): CsvCell;
}

/**
 * The columns of progress.csv, in order: one row per catalog indicator. Empty means null.
 * Milestones carry their figure in `done`, other kinds in `value`, so every column has one type.
 */
export const PROGRESS_COLUMNS: readonly ProgressColumn[] = [
  { name: 'period', type: 'month', description: 'reporting month', cell: (_, c) => c.period },
  { name: 'catalog_version', type: 'text', description: 'indicator catalog the targets come from', cell: (_, c) => c.catalogVersion },
  { name: 'department', type: 'text', description: 'department id', cell: (r) => r.department },
  {
    name: 'department_reported',
    type: 'boolean',
    description: "whether the department's workbook for the month was accepted",
    cell: (r, c) => c.reported.has(r.department),
  },
  { name: 'indicator', type: 'text', description: 'indicator id', cell: (r) => r.indicator },
  { name: 'indicator_zh', type: 'text', description: 'indicator name, Chinese', cell: (r) => r.zh },
  { name: 'indicator_en', type: 'text', description: 'indicator name, English', cell: (r) => r.en },
  { name: 'kind', type: 'text', description: 'stock, flow, ratio or milestone', cell: (r) => r.kind },
  { name: 'unit', type: 'text', description: 'catalog unit id of value, target and baseline', cell: (r) => r.unit },
  {
    name: 'value',
    type: 'decimal',
    description: 'latest level (stock, ratio) or cumulative level since the baseline (flow)',
    cell: (r) => (typeof r.value === 'number' ? r.value : null),
  },
  { name: 'done', type: 'boolean', description: 'milestone done', cell: (r) => (typeof r.value === 'boolean' ? r.value : null) },
  { name: 'as_of', type: 'month', description: 'latest month the figure draws on', cell: (r) => r.asOf },
  { name: 'status', type: 'text', description: 'achieved, on_track, behind, no_data or no_target', cell: (r) => r.status },
  { name: 'progress', type: 'decimal', description: 'share of the way from baseline to target (1 = met)', cell: (r) => r.progress },
  { name: 'expected_progress', type: 'decimal', description: 'where progress should be by the end of the month', cell: (r) => r.expected },
  { name: 'target_type', type: 'text', description: 'reach, hold, relative or milestone', cell: (r) => r.targetType },
  { name: 'comparison', type: 'text', description: 'at_least or greater_than', cell: (r) => r.comparison },
  { name: 'target_value', type: 'decimal', description: 'value to reach or hold', cell: (r) => r.targetValue },
  { name: 'reference', type: 'text', description: 'indicator id a relative target is compared with', cell: (r) => r.reference },
  { name: 'reference_value', type: 'decimal', description: "reference indicator's latest value up to the month", cell: (r) => r.referenceValue },
  { name: 'baseline_value', type: 'decimal', description: 'where a reach target starts', cell: (r) => r.baselineValue },
  { name: 'baseline_date', type: 'date', description: 'date of the baseline', cell: (r) => r.baselineDate },
  { name: 'baseline_assumed', type: 'boolean', description: 'baseline is a placeholder awaiting confirmation', cell: (r) => r.baselineAssumed },
  { name: 'deadline', type: 'date', description: 'deadline, or the date a relative target holds until', cell: (r) => r.deadline },
];

export function snapshotCsv(snapshot: Snapshot): string {
  const context: CsvContext = {
    period: snapshot.period,
    catalogVersion: snapshot.catalogVersion,
    reported: new Set(snapshot.departments.filter((d) => d.reported).map((d) => d.department)),
  };
  return csvDocument([
    PROGRESS_COLUMNS.map((column) => column.name),
    ...snapshot.indicators.map((row) => PROGRESS_COLUMNS.map((column) => column.cell(row, context))),
  ]);
}
