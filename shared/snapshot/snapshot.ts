import type { CatalogData, Comparison, IndicatorKind } from '../catalog/catalog.js';
import type { Observation, Submission } from '../observation.js';
import { DEFAULT_DUE_DAY, type Period } from '../calendar.js';
import { catalogProgress, historiesByIndicator, type IndicatorProgress, type ProgressStatus } from '../progress.js';
import { departmentReport, type DepartmentReport } from './completeness.js';

/** Raised whenever a field changes meaning or disappears (docs/snapshot-schema.md), so readers never break silently. */
export const SCHEMA_VERSION = 5;

/**
 * The consolidated progress of one month. It holds no wall-clock time, so the same
 * observations and submissions always give the same snapshot, byte for byte once rendered.
 */
export interface Snapshot {
  schemaVersion: typeof SCHEMA_VERSION;
  period: Period;
  catalogVersion: string;
  /** One row per catalog indicator, in catalog order. */
  indicators: SnapshotIndicator[];
  /** One row per catalog department, in catalog order. */
  departments: DepartmentReport[];
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
  /** Day of the following month by which a month's report is on time; the 10th by default. */
  dueDay?: number;
}

export function buildSnapshot({ catalog, period, observations, submissions, dueDay = DEFAULT_DUE_DAY }: SnapshotInput): Snapshot {
  const historyOf = historiesByIndicator(observations);
  const indicators = catalog.indicators.map(
    (indicator): SnapshotIndicator => {
      const { value, revision, original, ...progress } = catalogProgress(catalog, indicator, period, historyOf);
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
      note: historyOf(indicator.id).find((o) => o.period === period)?.note ?? null,
      };
    },
  );
  const departments = catalog.departments.map((department) =>
    departmentReport({
      department,
      indicators: catalog.indicators.filter((i) => i.department === department.id).map((i) => i.id),
      submissions: submissions.filter((s) => s.department === department.id),
      period,
      dueDay,
    }),
  );
  return { schemaVersion: SCHEMA_VERSION, period, catalogVersion: catalog.version, indicators, departments };
}
