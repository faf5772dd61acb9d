import type { Department } from '../catalog/catalog.js';
import { addMonths, periodAt, type Period } from '../period.js';
import type { ObservationRepository } from '../ports.js';

/** The snapshot of a month is written on the 1st of the next; from the 2nd on, its absence is a fault. */
export const SNAPSHOT_DUE_DAY = 2;

export interface Deadlines {
  /** The month the deadlines are about: the one before `now`'s, in the district's time zone. */
  period: Period;
  snapshotDue: boolean;
  reportingDue: boolean;
}

function dayOfMonthAt(instant: Date, timeZone = 'Asia/Shanghai'): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone, day: 'numeric' }).format(instant));
}

/** Which of last month's deadlines have passed at `now`: a month's workbooks are due by `dueDay` of the next. */
export function deadlinesAt(now: Date, dueDay: number): Deadlines {
  const day = dayOfMonthAt(now);
  return { period: addMonths(periodAt(now), -1), snapshotDue: day >= SNAPSHOT_DUE_DAY, reportingDue: day >= dueDay };
}

export interface DeadlineCheck {
  period: Period;
  /** Whether the month's snapshot is due and absent; false before the 2nd. */
  snapshotMissing: boolean;
  /** The departments with no accepted workbook for the month once it is due; none before the due day. */
  lateDepartments: string[];
}

/**
 * The daily check behind two alarms: last month's snapshot not written by the 2nd, and a department
 * that has not reported by the due day. It reads only the submission items and one object's presence.
 */
export function makeDeadlineCheck(ports: {
  departments: readonly Pick<Department, 'id'>[];
  observations: Pick<ObservationRepository, 'submission'>;
  snapshotExists: (period: Period) => Promise<boolean>;
  dueDay: number;
}) {
  const { departments, observations, snapshotExists, dueDay } = ports;
  return async (now: Date): Promise<DeadlineCheck> => {
    const { period, snapshotDue, reportingDue } = deadlinesAt(now, dueDay);
    const snapshotMissing = snapshotDue && !(await snapshotExists(period));
    let lateDepartments: string[] = [];
    if (reportingDue) {
      const submissions = await Promise.all(departments.map((d) => observations.submission(d.id, period)));
      lateDepartments = departments.filter((_, i) => submissions[i] === undefined).map((d) => d.id);
    }
    return { period, snapshotMissing, lateDepartments };
  };
}
