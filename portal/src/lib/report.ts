import type { ProgressStatus } from '../../../shared/progress.js';
import type { SnapshotFileLink, SnapshotResponse } from '../../../shared/portal/contract.js';
import type { Restatement } from '../../../shared/review/review.js';
import type { DepartmentReport } from '../../../shared/snapshot/completeness.js';
import { headline, percentText, STATUS_LABELS, targetText, valueText } from '../../../shared/snapshot/report-model.js';
import { SCHEMA_VERSION, type Snapshot, type SnapshotIndicator } from '../../../shared/snapshot/snapshot.js';
import type { Bilingual } from './labels.js';
import { districtTimeText } from './timeliness.js';

/** The month's report as the leaders' page shows it: what report.html shows, in the words report.html uses. */
export interface ReportView {
  period: string;
  generatedAt: string;
  catalogVersion: string;
  headline: { good: number; targets: number; counts: { status: ProgressStatus; label: Bilingual; count: number }[] };
  sections: { department: DepartmentReport; indicators: IndicatorLine[] }[];
  completeness: CompletenessLine[];
  files: SnapshotFileLink[];
  /** A draft may still change: the page says so before anything else. */
  draft: boolean;
  /** How many figures are not yet signed off by their department's head: marked, and left out of the headline. */
  provisional: number;
  restatements: Restatement[];
}

export interface IndicatorLine {
  row: SnapshotIndicator;
  provisional: boolean;
  value: string;
  target: string;
  /** Progress as a share of the target's track (0..1, clamped for the meter) and in words, with where it should be. */
  meter: number | null;
  progress: string;
  expected: string;
  status: Bilingual;
}

export interface CompletenessLine {
  department: DepartmentReport;
  reported: Bilingual;
  onTime: Bilingual;
  latestUploadAt: string;
}

const YES: Bilingual = { zh: '是', en: 'yes' };
const NO: Bilingual = { zh: '否', en: 'no' };
const NONE: Bilingual = { zh: '–', en: '' };
const yesNo = (value: boolean | null): Bilingual => (value === null ? NONE : value ? YES : NO);

const clampShare = (share: number) => Math.min(1, Math.max(0, share));

function indicatorLine(row: SnapshotIndicator): IndicatorLine {
  const { zh, en } = STATUS_LABELS[row.status];
  return {
    row,
    provisional: row.signOff === 'provisional',
    value: valueText(row),
    target: targetText(row),
    meter: row.progress === null ? null : clampShare(row.progress),
    progress: percentText(row.progress),
    expected: percentText(row.expected),
    status: { zh, en },
  };
}

export function reportViewOf(response: SnapshotResponse): ReportView {
  // The answer is the month's progress.json and completeness.json: the snapshot the report model reads.
  const snapshot: Snapshot = {
    schemaVersion: SCHEMA_VERSION,
    period: response.period,
    catalogVersion: response.catalogVersion,
    publication: response.publication,
    indicators: response.progress,
    departments: response.completeness,
    restatements: response.restatements,
  };
  const { good, targets, counts, provisional } = headline(snapshot);
  return {
    period: response.period,
    generatedAt: districtTimeText(response.generatedAt),
    catalogVersion: response.catalogVersion,
    headline: {
      good,
      targets,
      counts: [...counts].map(([status, count]) => ({ status, label: { zh: STATUS_LABELS[status].zh, en: STATUS_LABELS[status].en }, count })),
    },
    sections: snapshot.departments.map((department) => ({
      department,
      indicators: response.progress.filter((row) => row.department === department.department).map(indicatorLine),
    })),
    completeness: snapshot.departments.map((department) => ({
      department,
      reported: yesNo(department.reported),
      onTime: yesNo(department.onTime),
      latestUploadAt: department.latestUploadAt ? districtTimeText(department.latestUploadAt) : '–',
    })),
    files: response.files,
    draft: response.publication === 'draft',
    // The targets the headline leaves out, as report.html counts them.
    provisional,
    restatements: response.restatements ?? [],
  };
}
