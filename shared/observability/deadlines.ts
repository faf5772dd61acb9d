import { deadlinesAt, type Period } from '../calendar.js';
import type { Department } from '../catalog/catalog.js';
import type { ObservationRepository } from '../ports.js';

export interface DeadlineCheck {
  period: Period;
  /** Whether the month's snapshot is due and absent; false until the day after its scheduled run. */
  snapshotMissing: boolean;
  /** The departments with no accepted workbook for the month once it is due; none before the due day. */
  lateDepartments: string[];
}

/**
 * The daily check behind two alarms: last month's snapshot not written by the day after its run, and a department
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
