import { z } from 'zod';
import { nextWorkingDay } from './working-days.js';

/**
 * The district's calendar, the one home of its facts: reporting months, the district's time zone,
 * the day a month's workbooks are due, when a report is on time, and the monthly deadlines. Which days are working
 * days (weekends, public holidays, make-up working days) is the holiday table's, in working-days.ts.
 */

// ── Reporting months ─────────────────────────────────────────────────────────────────────────────

/**
 * A reporting period is a calendar month, written "YYYY-MM" everywhere:
 * in workbooks, DynamoDB keys, snapshot partitions and outputs.
 */
export type Period = string;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): text is Period {
  return PERIOD.test(text);
}

export function periodParts(period: Period): { year: number; month: number } {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function periodOf(year: number, month: number): Period {
  const index = year * 12 + (month - 1);
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(period: Period, months: number): Period {
  const { year, month } = periodParts(period);
  return periodOf(year, month + months);
}

/** Whole months from `from` to `to` (positive when `to` is later). */
export function monthsBetween(from: Period, to: Period): number {
  const a = periodParts(from);
  const b = periodParts(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

/** The month an ISO date ("2027-12-31") falls in. */
export function periodOfDate(isoDate: string): Period {
  return isoDate.slice(0, 7);
}

/** The last day of the period, as an ISO date. */
export function periodEnd(period: Period): string {
  const { year, month } = periodParts(period);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(lastDay).padStart(2, '0')}`;
}

/** January to `period`, oldest first. */
export function yearToDate(period: Period): Period[] {
  const { month } = periodParts(period);
  return Array.from({ length: month }, (_, i) => addMonths(period, i + 1 - month));
}

// ── The district's time ──────────────────────────────────────────────────────────────────────────

/** Chongqing keeps China Standard Time: UTC+8 all year, no daylight saving. The schedules run in it too. */
export const DISTRICT_TIME_ZONE = 'Asia/Shanghai';
/** The zone's one offset from UTC, which keeping no daylight saving makes a constant. */
const DISTRICT_UTC_OFFSET = '+08:00';

/** The instant a district date begins, in UTC: 2026-07-01 begins at 2026-06-30T16:00:00.000Z. */
export function districtMidnight(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00${DISTRICT_UTC_OFFSET}`).toISOString();
}

// en-CA writes dates as YYYY-MM-DD. One formatter answers every question about the district's date; it is made
// at first use because loading the time zone costs about 10 ms, which every function's cold start would pay.
let districtDate: Intl.DateTimeFormat | undefined;

/** The district's date at an instant, as an ISO date (YYYY-MM-DD). */
export function districtDateAt(instant: Date): string {
  districtDate ??= new Intl.DateTimeFormat('en-CA', { timeZone: DISTRICT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return districtDate.format(instant);
}

let districtClock: Intl.DateTimeFormat | undefined;

/** The district's wall-clock time at an instant, to the minute: "2026-12-03 09:51". */
export function districtDateTimeAt(instant: Date): string {
  districtClock ??= new Intl.DateTimeFormat('en-CA', { timeZone: DISTRICT_TIME_ZONE, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
  return `${districtDateAt(instant)} ${districtClock.format(instant)}`;
}

/** The month an instant falls in, in the district. */
export function periodAt(instant: Date): Period {
  return periodOfDate(districtDateAt(instant));
}

/** The month just ended in the district: the one the scheduled snapshot and the deadline check are about. */
export function previousPeriod(now: Date): Period {
  return addMonths(periodAt(now), -1);
}

// ── The due day and the on-time rule ─────────────────────────────────────────────────────────────

/** Every month has a 28th, so a due day is always in the month after; only moving it to a working day may take it further. */
const LAST_DUE_DAY = 28;
export const DEFAULT_DUE_DAY = 10;

/** A due day from configuration (text or number), with messages that name where it came from. */
export function dueDaySchema<Input = unknown>(name: string) {
  const range = `${name} must be between 1 and ${LAST_DUE_DAY}`;
  return z.coerce
    .number<Input>({ error: `${name} must be a number` })
    .int(`${name} must be a whole day of the month`)
    .min(1, range)
    .max(LAST_DUE_DAY, range);
}

const DUE_DAY = dueDaySchema('the due day');

export function checkDueDay(dueDay: number): number {
  const checked = DUE_DAY.safeParse(dueDay);
  if (!checked.success) throw new RangeError(`${checked.error.issues.map((issue) => issue.message).join('; ')}, not ${dueDay}`);
  return checked.data;
}

/**
 * A month's workbooks are due by the due day of the month after (YYYY-MM-DD, district time) or, when that day is a
 * weekend or public holiday, by the next working day: a clerk is not asked to report on a day the office is closed.
 * Throws UncoveredYearError for a due day in a year the holiday table does not hold.
 */
export function dueDateOf(period: Period, dueDay: number): string {
  return nextWorkingDay(`${addMonths(period, 1)}-${String(checkDueDay(dueDay)).padStart(2, '0')}`);
}

/** On time when uploaded on or before the due date in the district: until that day's last millisecond there. */
export function isOnTime(uploadedAt: string, dueDate: string): boolean {
  return districtDateAt(new Date(uploadedAt)) <= dueDate;
}

// ── Monthly deadlines ────────────────────────────────────────────────────────────────────────────

/**
 * When the scheduled snapshot of the month just ended runs, publishing the month and locking it: 02:00 on the 15th,
 * district time. Not the 1st: a lock then would come before the workbooks are due (the 10th by default) and before
 * the heads have signed them off; the five days after the default due day are theirs to review and return.
 */
export const MONTHLY_SNAPSHOT_RUN = { day: 15, hour: 2 } as const;
/** The day after its run, a month's snapshot is overdue. */
const SNAPSHOT_DUE_DAY = MONTHLY_SNAPSHOT_RUN.day + 1;

export interface Deadlines {
  /** The month the deadlines are about: the one before `now`'s, in the district. */
  period: Period;
  snapshotDue: boolean;
  reportingDue: boolean;
}

/** Which of last month's deadlines have passed at `now`: its snapshot by the day after publication, its workbooks by their due date. */
export function deadlinesAt(now: Date, dueDay: number): Deadlines {
  const today = districtDateAt(now);
  const period = previousPeriod(now);
  return { period, snapshotDue: Number(today.slice(8)) >= SNAPSHOT_DUE_DAY, reportingDue: today >= dueDateOf(period, dueDay) };
}
