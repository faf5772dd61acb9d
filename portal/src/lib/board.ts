import type { DepartmentAccessView, MonthStatus, MonthView } from '../../../shared/portal/contract.js';
import { isReported, MONTH_STATUS_LABELS, type Bilingual, type StatusLabel } from './labels.js';
import { districtTimeText, timelinessOf } from './timeliness.js';

/** One department-month of the leaders' board: reported or not, when, and on time or late, in words. */
export interface BoardCell {
  period: string;
  status: MonthStatus;
  label: StatusLabel;
  reported: boolean;
  /** When the month's latest upload came, district time; null when none did. */
  uploadedAt: string | null;
  timeliness: Bilingual;
}

export interface BoardRow {
  department: DepartmentAccessView;
  /** January to December; null when the department's months could not be read. */
  cells: BoardCell[] | null;
}

export function boardCellOf(month: MonthView): BoardCell {
  return {
    period: month.period,
    status: month.status,
    label: MONTH_STATUS_LABELS[month.status],
    reported: isReported(month.status),
    uploadedAt: month.latestUpload ? districtTimeText(month.latestUpload.uploadedAt) : null,
    timeliness: timelinessOf(month),
  };
}

/** The board's rows, one per department in the order given, from each department's months of the year. */
export function boardOf(departments: readonly DepartmentAccessView[], monthsOf: ReadonlyMap<string, readonly MonthView[]>): BoardRow[] {
  return departments.map((department) => {
    const months = monthsOf.get(department.id);
    return { department, cells: months ? months.map(boardCellOf) : null };
  });
}
