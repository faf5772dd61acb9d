import type { Department } from '../catalog/catalog.js';
import type { Submission } from '../observation.js';
import { dueDateOf, isOnTime, yearToDate, type Period } from '../calendar.js';
import { signOffOf, type Review, type ReviewState, type SignOff } from '../review/review.js';

/**
 * Whether a department reports, and on time: its month's report, the year so far, and the
 * indicators its current upload left empty.
 */
export interface DepartmentReport {
  department: string;
  zh: string;
  en: string;
  /** The month's workbook was accepted. */
  reported: boolean;
  /** Where the head's sign-off of the month stands: submitted, returned or approved; null when not reported. */
  reviewState: ReviewState | null;
  /** Official once the head approved the month, provisional until then (reported-provisional); null when not reported. */
  signOff: SignOff | null;
  /** Upload time of the month's current workbook. */
  submittedAt: string | null;
  sourceKey: string | null;
  /** Last day the month's report is on time (YYYY-MM-DD, district time). */
  dueDate: string;
  /** The month's current workbook arrived by the due date; null when there is none. */
  onTime: boolean | null;
  /** Months from January to the snapshot month: one report expected for each. */
  monthsExpected: number;
  monthsReceived: number;
  monthsOnTime: number;
  /** Latest upload time among the year's current workbooks. */
  latestUploadAt: string | null;
  /** The department's catalog indicators the month's workbook gave no figure for; none without a workbook, which `reported` says. */
  emptyIndicators: string[];
}

export interface DepartmentReportInput {
  department: Department;
  /** The department's catalog indicator ids, in catalog order. */
  indicators: string[];
  /** The department's current submissions of any months. */
  submissions: Submission[];
  /** The sign-off of the department's month; a month reported without one is submitted, as one stored before sign-off is. */
  review: Pick<Review, 'state'> | undefined;
  period: Period;
  dueDay: number;
}

export function departmentReport({ department, indicators, submissions, review, period, dueDay }: DepartmentReportInput): DepartmentReport {
  const months = new Set(yearToDate(period));
  const year = submissions.filter((s) => months.has(s.period));
  // Judged by the month's first report: a correction after the due day does not make it late.
  const onTime = (s: Submission) => isOnTime(s.firstUploadedAt ?? s.uploadedAt, dueDateOf(s.period, dueDay));
  const current = year.find((s) => s.period === period);
  const reported = new Set(current?.indicators);
  const reviewState = current ? (review?.state ?? 'submitted') : null;
  const latest = year.reduce<string | null>((found, s) => (found === null || Date.parse(s.uploadedAt) > Date.parse(found) ? s.uploadedAt : found), null);
  return {
    department: department.id,
    zh: department.zh,
    en: department.en,
    reported: current !== undefined,
    reviewState,
    signOff: reviewState && signOffOf({ state: reviewState }),
    submittedAt: current?.uploadedAt ?? null,
    sourceKey: current?.key ?? null,
    dueDate: dueDateOf(period, dueDay),
    onTime: current ? onTime(current) : null,
    monthsExpected: months.size,
    monthsReceived: new Set(year.map((s) => s.period)).size,
    monthsOnTime: new Set(year.filter(onTime).map((s) => s.period)).size,
    latestUploadAt: latest,
    // A department that sent nothing has not reported: it did not leave every indicator empty.
    emptyIndicators: current ? indicators.filter((id) => !reported.has(id)) : [],
  };
}
