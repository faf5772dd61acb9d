import type { CatalogData, Department, IndicatorKind } from '../catalog/catalog.js';
import type { Observation, Submission } from '../observation.js';
import type { Period } from '../period.js';
import { progressOf, type IndicatorProgress } from '../progress.js';

/**
 * The consolidated progress of one month. It holds no wall-clock time, so the same
 * observations and submissions always give the same snapshot, byte for byte once rendered.
 */
export interface Snapshot {
  /** Raised whenever a field changes meaning or disappears, so readers never break silently. */
  schemaVersion: 1;
  period: Period;
  catalogVersion: string;
  /** One row per catalog indicator, in catalog order. */
  indicators: SnapshotIndicator[];
  /** One row per catalog department, in catalog order. */
  departments: DepartmentReport[];
}

export interface SnapshotIndicator extends IndicatorProgress {
  department: string;
  zh: string;
  en: string;
  kind: IndicatorKind;
  unit: string;
}

/** Whether a department's workbook for the month was accepted, and which upload is current. */
export interface DepartmentReport {
  department: string;
  zh: string;
  en: string;
  reported: boolean;
  submittedAt: string | null;
  sourceKey: string | null;
}

export interface SnapshotInput {
  catalog: Pick<CatalogData, 'version' | 'departments' | 'indicators'>;
  period: Period;
  /** Current observations of any months; those after `period` are ignored. */
  observations: Observation[];
  /** Current submissions; only those of `period` count as reporting. */
  submissions: Submission[];
}

function historiesByIndicator(observations: Observation[]): (indicator: string) => Observation[] {
  const histories = new Map<string, Observation[]>();
  for (const o of observations) {
    const history = histories.get(o.indicator);
    if (history) history.push(o);
    else histories.set(o.indicator, [o]);
  }
  return (indicator) => histories.get(indicator) ?? [];
}

function departmentReport(department: Department, submission: Submission | undefined): DepartmentReport {
  return {
    department: department.id,
    zh: department.zh,
    en: department.en,
    reported: submission !== undefined,
    submittedAt: submission?.uploadedAt ?? null,
    sourceKey: submission?.key ?? null,
  };
}

export function buildSnapshot({ catalog, period, observations, submissions }: SnapshotInput): Snapshot {
  const historyOf = historiesByIndicator(observations);
  const indicators = catalog.indicators.map((indicator): SnapshotIndicator => {
    const target = indicator.target;
    const referenceHistory = target?.type === 'relative' ? historyOf(target.reference) : [];
    return {
      ...progressOf(indicator, period, historyOf(indicator.id), referenceHistory),
      department: indicator.department,
      zh: indicator.zh,
      en: indicator.en,
      kind: indicator.kind,
      unit: indicator.unit,
    };
  });
  const departments = catalog.departments.map((department) =>
    departmentReport(department, submissions.find((s) => s.department === department.id && s.period === period)),
  );
  return { schemaVersion: 1, period, catalogVersion: catalog.version, indicators, departments };
}
