import { addMonths, dueDateOf, periodOfDate, type Period } from '../calendar.js';
import type { Logger, ObservationRepository } from '../ports.js';
import type { NoticeRequest } from './notice.js';
import type { NoticeQueue } from './ports.js';

/**
 * The district's working-day calendar (weekends, public holidays and the make-up working days the State Council
 * announces), as the calendar module gives it; taken as a port so that reminders are decided against any calendar.
 * Dates are ISO dates in the district.
 */
export interface WorkingDays {
  isWorkingDay(date: string): boolean;
  /** The date itself when it is a working day, else the first working day after it. */
  nextWorkingDay(date: string): string;
  /** The `count` working days before `date` (not counting the date itself), oldest first. */
  workingDaysBefore(date: string, count: number): string[];
  /** Working days after `from` up to and including `to`; negative when `to` is earlier. */
  workingDaysBetween(from: string, to: string): number;
}

/** What a day asks of a department that has not submitted the month due: a reminder, an escalation, or nothing. */
export type DueNotice = { kind: 'reminder' | 'escalation'; workingDays: number } | null;

/** The month whose workbooks fall due in the month of `on`: the one before. */
export const periodDueOn = (on: string): Period => addMonths(periodOfDate(on), -1);

/**
 * On one of the `reminderDays` working days before the due date: a reminder, with the working days left (1 on the
 * last); on a working day after it: an escalation, with the working days late. Nothing on the due day itself, before
 * the reminders start, or on a day off.
 */
export function dueNoticeOn(on: string, dueDate: string, reminderDays: number, calendar: WorkingDays): DueNotice {
  if (on > dueDate) return calendar.isWorkingDay(on) ? { kind: 'escalation', workingDays: calendar.workingDaysBetween(dueDate, on) } : null;
  const reminders = calendar.workingDaysBefore(dueDate, reminderDays);
  const index = reminders.indexOf(on);
  return index < 0 ? null : { kind: 'reminder', workingDays: reminders.length - index };
}

export interface RemindPorts {
  departments: readonly string[];
  observations: Pick<ObservationRepository, 'submission'>;
  calendar: WorkingDays;
  queue: NoticeQueue;
  dueDay: number;
  reminderDays: number;
  logger: Logger;
}

/**
 * The daily run: as of a district date, a request for each department whose month due has no accepted workbook yet.
 * Run twice on a day, it asks the same events, which the notifier tells once.
 */
export function makeReminders(ports: RemindPorts) {
  return async function remind(on: string): Promise<NoticeRequest[]> {
    const period = periodDueOn(on);
    const dueDate = dueDateOf(period, ports.dueDay);
    const due = dueNoticeOn(on, dueDate, ports.reminderDays, ports.calendar);
    if (!due) {
      ports.logger.info('no reminder or escalation today', { on, period, dueDate });
      return [];
    }
    const missing: string[] = [];
    for (const department of ports.departments) if (!(await ports.observations.submission(department, period))) missing.push(department);
    const requests: NoticeRequest[] = missing.map((department) => ({ kind: due.kind, department, period, on, workingDays: due.workingDays }));
    for (const request of requests) await ports.queue.request(request);
    ports.logger.info(`${due.kind} requested`, { on, period, dueDate, workingDays: due.workingDays, departments: missing });
    return requests;
  };
}
