import type { CsvCell } from './csv.js';
import type { Restatement } from '../review/review.js';
import type { DepartmentReport } from './completeness.js';
import type { Snapshot, SnapshotIndicator } from './snapshot.js';

/**
 * The columns of the flat files (CSV and Parquet) and of the Glue tables, one list per dataset,
 * documented in docs/snapshot-schema.md. Changing a column is a new schema version. A column is named as its
 * JSON field, in snake_case (`asOf` → `as_of`); the few flat-only columns (`department_reported`,
 * `empty_count`, a restatement's `restated_period` and its figures split by type) say so in their meaning.
 */

/** month is YYYY-MM text; date is YYYY-MM-DD; timestamp is an ISO 8601 instant in UTC (2026-11-28T09:51:00.000Z). */
export type ColumnType = 'text' | 'month' | 'decimal' | 'integer' | 'boolean' | 'date' | 'timestamp';

export interface Column<Row> {
  name: string;
  type: ColumnType;
  description: string;
  cell(row: Row, snapshot: Snapshot): CsvCell;
}

export interface Dataset<Row> {
  /** File stem and Glue table name. */
  name: string;
  columns: readonly Column<Row>[];
  rows(snapshot: Snapshot): Row[];
}

/**
 * The catalog version with a `v` before it (v2026.11.1): DuckDB's CSV sniffer takes a bare 2026.11.1 for a date, quoted
 * or not, and then reads the file's real dates as timestamps. CSV and Parquet write the same text.
 */
const catalogVersionCell = (snapshot: Snapshot) => `v${snapshot.catalogVersion}`;
const CATALOG_VERSION_MEANING = 'its version with a v before it (v2026.11.1)';


/**
 * One row per catalog indicator. Empty means null. Milestones carry their figure in `done`,
 * other kinds in `value`, so every column has one type.
 */
export const PROGRESS_COLUMNS: readonly Column<SnapshotIndicator>[] = [
  { name: 'period', type: 'month', description: 'reporting month', cell: (_, s) => s.period },
  { name: 'catalog_version', type: 'text', description: `indicator catalog the targets come from: ${CATALOG_VERSION_MEANING}`, cell: (_, s) => catalogVersionCell(s) },
  { name: 'department', type: 'text', description: 'department id', cell: (r) => r.department },
  {
    name: 'department_reported',
    type: 'boolean',
    description: "whether the department's workbook for the month was accepted (flat files only: JSON's `departments[].reported`)",
    cell: (r, s) => s.departments.some((d) => d.department === r.department && d.reported),
  },
  { name: 'indicator', type: 'text', description: 'indicator id', cell: (r) => r.indicator },
  { name: 'zh', type: 'text', description: 'indicator name, Chinese', cell: (r) => r.zh },
  { name: 'en', type: 'text', description: 'indicator name, English', cell: (r) => r.en },
  { name: 'kind', type: 'text', description: 'stock, flow, ratio or milestone', cell: (r) => r.kind },
  { name: 'unit', type: 'text', description: 'catalog unit id of value, target, baseline and rates', cell: (r) => r.unit },
  { name: 'value', type: 'decimal', description: 'latest level (stock, ratio) or cumulative level since the baseline (flow)', cell: (r) => r.value },
  { name: 'done', type: 'boolean', description: 'milestone done', cell: (r) => r.done },
  { name: 'as_of', type: 'month', description: 'latest month the figure draws on', cell: (r) => r.asOf },
  { name: 'status', type: 'text', description: 'achieved, on_track, at_risk, off_track, no_data, stale or no_target, against the target in force', cell: (r) => r.status },
  { name: 'progress', type: 'decimal', description: 'reach: share of the way from the baseline to the target, (value − baseline) ÷ (target − baseline); hold and relative: value ÷ the threshold (the target value, or the figure of the reference); milestone: 1 done, 0 not done; 1 or more means met', cell: (r) => r.progress },
  { name: 'expected', type: 'decimal', description: 'where progress should be by the end of the month on a straight line', cell: (r) => r.expected },
  { name: 'run_rate_3m', type: 'decimal', description: 'change of the level per month over the last 3 months (reach targets)', cell: (r) => r.runRate3m },
  { name: 'run_rate_12m', type: 'decimal', description: 'change of the level per month over the last 12 months (reach targets)', cell: (r) => r.runRate12m },
  { name: 'required_run_rate', type: 'decimal', description: 'change per month needed to meet the target by the deadline month', cell: (r) => r.requiredRunRate },
  { name: 'projected_value', type: 'decimal', description: 'level at the deadline if the 3-month run-rate holds', cell: (r) => r.projectedValue },
  { name: 'target_type', type: 'text', description: "reach, hold, relative or milestone; the target columns and progress, expected, the rates and status are the target in force's: the latest revision effective by the month's end, else the original", cell: (r) => r.targetType },
  { name: 'comparison', type: 'text', description: 'at_least or greater_than', cell: (r) => r.comparison },
  { name: 'target_value', type: 'decimal', description: 'value to reach or hold', cell: (r) => r.targetValue },
  { name: 'reference', type: 'text', description: 'indicator id a relative target is compared with', cell: (r) => r.reference },
  { name: 'reference_value', type: 'decimal', description: "reference indicator's figure of the month as_of", cell: (r) => r.referenceValue },
  { name: 'baseline_value', type: 'decimal', description: 'where a reach target starts', cell: (r) => r.baselineValue },
  { name: 'baseline_date', type: 'date', description: 'date of the baseline', cell: (r) => r.baselineDate },
  { name: 'baseline_assumed', type: 'boolean', description: 'baseline is a placeholder awaiting confirmation', cell: (r) => r.baselineAssumed },
  { name: 'deadline', type: 'date', description: 'deadline, or the date a relative target holds until', cell: (r) => r.deadline },
  { name: 'revision_effective', type: 'date', description: 'date the revision in force took effect; empty while the original target is in force, and then every original_ and revision_ column is empty', cell: (r) => r.revisionEffective },
  { name: 'revision_reason', type: 'text', description: 'why the target was revised', cell: (r) => r.revisionReason },
  { name: 'revision_decided_by', type: 'text', description: 'the document or body that decided the revision', cell: (r) => r.revisionDecidedBy },
  { name: 'original_comparison', type: 'text', description: "the original target's at_least or greater_than (its type, baseline and reference are the revision's)", cell: (r) => r.originalComparison },
  { name: 'original_target_value', type: 'decimal', description: "the original target's value to reach or hold", cell: (r) => r.originalTargetValue },
  { name: 'original_deadline', type: 'date', description: "the original target's deadline, or the date it held until", cell: (r) => r.originalDeadline },
  { name: 'original_progress', type: 'decimal', description: 'progress against the original target, measured as progress is', cell: (r) => r.originalProgress },
  { name: 'original_expected', type: 'decimal', description: "where progress against the original target should be by the end of the month", cell: (r) => r.originalExpected },
  { name: 'original_status', type: 'text', description: 'status against the original target', cell: (r) => r.originalStatus },
  { name: 'note', type: 'text', description: "the clerk's note on the month's figure (备注, 进展说明), at most 1,000 characters", cell: (r) => r.note },
  {
    name: 'sign_off',
    type: 'text',
    description: "official when every month the figure draws on is approved by its department's head, provisional when one is not; empty without a figure",
    cell: (r) => r.signOff,
  },
  { name: 'explanation', type: 'text', description: "why the month's warned figure is right after all, as the month was explained; empty when not warned", cell: (r) => r.explanation },
];

/** One row per catalog department. */
export const COMPLETENESS_COLUMNS: readonly Column<DepartmentReport>[] = [
  { name: 'period', type: 'month', description: 'reporting month', cell: (_, s) => s.period },
  { name: 'catalog_version', type: 'text', description: `indicator catalog the departments come from: ${CATALOG_VERSION_MEANING}`, cell: (_, s) => catalogVersionCell(s) },
  { name: 'department', type: 'text', description: 'department id', cell: (r) => r.department },
  { name: 'zh', type: 'text', description: 'department name, Chinese', cell: (r) => r.zh },
  { name: 'en', type: 'text', description: 'department name, English', cell: (r) => r.en },
  { name: 'reported', type: 'boolean', description: "the month's workbook was accepted", cell: (r) => r.reported },
  { name: 'review_state', type: 'text', description: "the head's sign-off of the month: submitted, returned or approved; empty when not reported", cell: (r) => r.reviewState },
  { name: 'sign_off', type: 'text', description: 'official once approved, provisional until then; empty when not reported', cell: (r) => r.signOff },
  { name: 'submitted_at', type: 'timestamp', description: "upload time of the month's current workbook", cell: (r) => r.submittedAt },
  { name: 'source_key', type: 'text', description: "upload bucket key of the month's current workbook", cell: (r) => r.sourceKey },
  { name: 'due_date', type: 'date', description: 'last day the report is on time (district time)', cell: (r) => r.dueDate },
  { name: 'on_time', type: 'boolean', description: 'the month was first reported by the due date (a later correction does not change it); empty when none', cell: (r) => r.onTime },
  { name: 'months_expected', type: 'integer', description: 'reports expected from January to the month', cell: (r) => r.monthsExpected },
  { name: 'months_received', type: 'integer', description: 'of those, months with an accepted workbook', cell: (r) => r.monthsReceived },
  { name: 'months_on_time', type: 'integer', description: 'of those, months first reported by the due date', cell: (r) => r.monthsOnTime },
  { name: 'latest_upload_at', type: 'timestamp', description: "latest upload time among the year's current workbooks", cell: (r) => r.latestUploadAt },
  { name: 'empty_indicators', type: 'text', description: "indicator ids the month's workbook left empty, separated by spaces", cell: (r) => r.emptyIndicators.join(' ') },
  { name: 'empty_count', type: 'integer', description: 'how many indicators were left empty (flat files only)', cell: (r) => r.emptyIndicators.length },
];

/** A restated figure in the flat files: a number in `…_value`, a milestone's done or not in `…_done`, as progress has them. */
const figureCell = (figure: Restatement['from'], want: 'number' | 'boolean') => (typeof figure === want ? figure : null);

/** One row per figure of an earlier month restated since the previous snapshot. */
export const RESTATEMENT_COLUMNS: readonly Column<Restatement>[] = [
  { name: 'period', type: 'month', description: 'reporting month of the snapshot that lists the restatement', cell: (_, s) => s.period },
  { name: 'catalog_version', type: 'text', description: `indicator catalog of the snapshot: ${CATALOG_VERSION_MEANING}`, cell: (_, s) => catalogVersionCell(s) },
  { name: 'department', type: 'text', description: 'department id', cell: (r) => r.department },
  { name: 'restated_period', type: 'month', description: "the published month whose figure changed (flat files only: JSON's `restatements[].period`)", cell: (r) => r.period },
  { name: 'indicator', type: 'text', description: 'indicator id', cell: (r) => r.indicator },
  { name: 'unit', type: 'text', description: 'catalog unit id of the figures', cell: (r) => r.unit },
  { name: 'from_value', type: 'decimal', description: "the published number (flat files only: JSON's `from`); empty for a milestone or a figure the correction added", cell: (r) => figureCell(r.from, 'number') },
  { name: 'from_done', type: 'boolean', description: "the published milestone (flat files only: JSON's `from`); empty otherwise", cell: (r) => figureCell(r.from, 'boolean') },
  { name: 'to_value', type: 'decimal', description: "the restated number (flat files only: JSON's `to`); empty for a milestone or a figure the correction removed", cell: (r) => figureCell(r.to, 'number') },
  { name: 'to_done', type: 'boolean', description: "the restated milestone (flat files only: JSON's `to`); empty otherwise", cell: (r) => figureCell(r.to, 'boolean') },
  { name: 'requested_at', type: 'timestamp', description: 'upload time of the correcting workbook', cell: (r) => r.requestedAt },
  { name: 'requested_by', type: 'text', description: 'who uploaded it, when known', cell: (r) => r.requestedBy },
  { name: 'approved_at', type: 'timestamp', description: "time of the reform office's approval", cell: (r) => r.approvedAt },
  { name: 'approved_by', type: 'text', description: 'the reform office user who approved it', cell: (r) => r.approvedBy },
  { name: 'reason', type: 'text', description: 'why the published figure was corrected, as the approval gives it', cell: (r) => r.reason },
  { name: 'source_key', type: 'text', description: 'upload bucket key of the correcting workbook', cell: (r) => r.sourceKey },
];

export const PROGRESS_DATASET: Dataset<SnapshotIndicator> = { name: 'progress', columns: PROGRESS_COLUMNS, rows: (s) => s.indicators };
export const COMPLETENESS_DATASET: Dataset<DepartmentReport> = { name: 'completeness', columns: COMPLETENESS_COLUMNS, rows: (s) => s.departments };
export const RESTATEMENTS_DATASET: Dataset<Restatement> = { name: 'restatements', columns: RESTATEMENT_COLUMNS, rows: (s) => s.restatements };
