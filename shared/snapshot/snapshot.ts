import type { CatalogData, Comparison, IndicatorKind } from '../catalog/catalog.js';
import type { Observation, Submission } from '../observation.js';
import { DEFAULT_DUE_DAY, periodOfDate, type Period } from '../calendar.js';
import { catalogProgress, historiesByIndicator, type IndicatorProgress, type ProgressStatus } from '../progress.js';
import { explanationOf, signOffOf, type Restatement, type Review, type SignOff } from '../review/review.js';
import { departmentReport, type DepartmentReport } from './completeness.js';
import { restatementsPublished } from './restatements.js';

/** Raised whenever a field changes meaning or disappears (docs/snapshot-schema.md), so readers never break silently. */
export const SCHEMA_VERSION = 5;

/**
 * The consolidated progress of one month. It holds no wall-clock time, so the same
 * observations and submissions always give the same snapshot, byte for byte once rendered.
 */
/**
 * A month's snapshot is a draft until the monthly run publishes it: a draft locks nothing and is written again by
 * the next draft or the publication; a published month is written once (docs/snapshot-schema.md).
 */
export type Publication = 'draft' | 'published';

export interface Snapshot {
  schemaVersion: typeof SCHEMA_VERSION;
  period: Period;
  catalogVersion: string;
  publication: Publication;
  /** One row per catalog indicator, in catalog order. */
  indicators: SnapshotIndicator[];
  /** One row per catalog department, in catalog order. */
  departments: DepartmentReport[];
  /** Figures of earlier, published months changed by a correction the reform office approved since the last snapshot. */
  restatements: Restatement[];
}

/**
 * One indicator's row of the month. Its figure is `value` for the kinds that count and `done` for a milestone, so
 * that no field of the JSON, and no column of the flat files, holds numbers in some rows and booleans in others.
 */
export interface SnapshotIndicator extends Omit<IndicatorProgress, 'value' | 'revision' | 'original'>, RevisedTarget {
  /** Stock and ratio: the latest level; flow: the cumulative level; null for a milestone or without a figure. */
  value: number | null;
  /** A milestone: done or not; null for the other kinds or without a figure. */
  done: boolean | null;
  department: string;
  zh: string;
  en: string;
  kind: IndicatorKind;
  unit: string;
  /** The clerk's note on the indicator's figure of the month itself (备注, 进展说明); null when there is none. */
  note: string | null;
  /**
   * Official when every month the figure draws on (a level's month, each month a flow sums) is signed off by its
   * head; provisional when one is not; null without a figure.
   */
  signOff: SignOff | null;
  /** Why the month's warned figure is right after all: the explanation the month was approved with; null when unwarned. */
  explanation: string | null;
}

/** A department-month's sign-off, beside its figures. */
export interface MonthReview {
  department: string;
  period: Period;
  review: Review;
}

/**
 * The revision in force and the original target beside it, flat so that every CSV and Parquet column stays scalar; all
 * null while the original is in force. The original has the revision's type, baseline and reference (the catalog sees
 * to it), so only what a revision can change is repeated.
 */
export interface RevisedTarget {
  revisionEffective: string | null;
  revisionReason: string | null;
  /** The document or body that decided the revision. */
  revisionDecidedBy: string | null;
  originalComparison: Comparison | null;
  originalTargetValue: number | null;
  originalDeadline: string | null;
  originalProgress: number | null;
  originalExpected: number | null;
  originalStatus: ProgressStatus | null;
}

function revisedTarget({ revision, original }: Pick<IndicatorProgress, 'revision' | 'original'>): RevisedTarget {
  return {
    revisionEffective: revision?.effective ?? null,
    revisionReason: revision?.reason ?? null,
    revisionDecidedBy: revision?.decidedBy ?? null,
    originalComparison: original?.comparison ?? null,
    originalTargetValue: original?.targetValue ?? null,
    originalDeadline: original?.deadline ?? null,
    originalProgress: original?.progress ?? null,
    originalExpected: original?.expected ?? null,
    originalStatus: original?.status ?? null,
  };
}

export type SnapshotCatalog = Pick<CatalogData, 'version' | 'defaults' | 'units' | 'departments' | 'indicators'>;

export interface SnapshotInput {
  catalog: SnapshotCatalog;
  period: Period;
  /** Current observations of any months; those after `period` are ignored. */
  observations: Observation[];
  /** Current submissions of any months; completeness counts those of the year up to `period`. */
  submissions: Submission[];
  /**
   * The sign-off of the months the figures come from. A month with figures and no review here counts as submitted,
   * as a month stored before sign-off does: provisional.
   */
  reviews?: readonly MonthReview[];
  /** Day of the following month by which a month's report is on time; the 10th by default. */
  dueDay?: number;
  /** Published by default: a draft is asked for by name. */
  publication?: Publication;
}

/** The months a row's figure draws on: a level's or a milestone's own month, or every month a flow sums since its baseline. */
function monthsDrawnOn(row: Pick<SnapshotIndicator, 'kind' | 'asOf' | 'baselineDate'>, history: readonly Observation[]): Period[] {
  const { asOf } = row;
  if (asOf === null) return [];
  if (row.kind !== 'flow') return [asOf];
  const baselineMonth = row.baselineDate === null ? null : periodOfDate(row.baselineDate);
  return history.filter((o) => o.period <= asOf && (baselineMonth === null || o.period > baselineMonth)).map((o) => o.period);
}

export function buildSnapshot({ catalog, period, observations, submissions, reviews = [], dueDay = DEFAULT_DUE_DAY, publication = 'published' }: SnapshotInput): Snapshot {
  const historyOf = historiesByIndicator(observations);
  const monthKey = (department: string, month: Period) => `${department}#${month}`;
  const reviewOf = new Map(reviews.map((r) => [monthKey(r.department, r.period), r.review]));
  const monthSignOff = (department: string, month: Period): SignOff => {
    const review = reviewOf.get(monthKey(department, month));
    return review ? signOffOf(review) : 'provisional';
  };
  const rowSignOff = (department: string, months: Period[]): SignOff | null =>
    months.length === 0 ? null : months.every((month) => monthSignOff(department, month) === 'official') ? 'official' : 'provisional';
  /** The explanation of a figure of the month that a warning questioned. */
  const explanationOfMonth = (department: string, indicator: string): string | null => {
    const review = reviewOf.get(monthKey(department, period));
    const submission = submissions.find((s) => s.department === department && s.period === period);
    if (!review || !submission || !review.warnings.some((w) => w.indicator === indicator)) return null;
    const slice = { submission, observations: historyOf(indicator).filter((o) => o.department === department && o.period === period) };
    return explanationOf(indicator, slice, review.explanations)?.text ?? null;
  };
  const indicators = catalog.indicators.map((indicator): SnapshotIndicator => {
    const { value, revision, original, ...progress } = catalogProgress(catalog, indicator, period, historyOf);
    const history = historyOf(indicator.id);
    return {
      ...progress,
      ...revisedTarget({ revision, original }),
      value: typeof value === 'number' ? value : null,
      done: typeof value === 'boolean' ? value : null,
      department: indicator.department,
      zh: indicator.zh,
      en: indicator.en,
      kind: indicator.kind,
      unit: indicator.unit,
      note: history.find((o) => o.period === period)?.note ?? null,
      signOff: rowSignOff(indicator.department, monthsDrawnOn({ kind: indicator.kind, ...progress }, history)),
      explanation: explanationOfMonth(indicator.department, indicator.id),
    };
  });
  const departments = catalog.departments.map((department) =>
    departmentReport({
      department,
      indicators: catalog.indicators.filter((i) => i.department === department.id).map((i) => i.id),
      submissions: submissions.filter((s) => s.department === department.id),
      review: reviewOf.get(monthKey(department.id, period)),
      period,
      dueDay,
    }),
  );
  return { schemaVersion: SCHEMA_VERSION, period, catalogVersion: catalog.version, publication, indicators, departments, restatements: restatementsPublished(reviews, period) };
}
