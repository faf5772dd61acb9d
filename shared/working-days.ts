import { z } from 'zod';
// Only the data of chinese-days (npm, MIT, pinned at 1.5.7), not its runtime: the State Council's yearly schedule
// (国务院办公厅关于部分节假日安排的通知) as a table of days off and make-up working days (调休), 2004–2026 in 1.5.7.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * The district's working days: Monday to Friday, except the public holidays, plus the make-up working days (调休)
 * that fall on a weekend, all as the State Council's schedule for the year says. Dates are district dates, YYYY-MM-DD.
 * A year the table does not hold is a configuration error: its working days are never guessed from weekdays alone.
 */

/** A date in a year the holiday table does not cover, so that nobody can say whether it is a working day. */
export class UncoveredYearError extends Error {
  override readonly name = 'UncoveredYearError';

  constructor(
    readonly year: number,
    covered: Coverage,
  ) {
    super(
      `the district calendar has no holidays or make-up working days for ${year}: its table (npm chinese-days) covers ${covered.first}–${covered.last}. ` +
        `Update chinese-days to a version that carries the State Council's schedule for ${year} (国务院办公厅关于${year}年部分节假日安排的通知), or, until one does, merge that year's table from the notice into the one shared/working-days.ts loads`,
    );
  }
}

interface Coverage {
  first: number;
  last: number;
}

export interface HolidayTable {
  /** Days off on what would be working days, and the weekend days of a holiday run. */
  holidays: ReadonlySet<string>;
  /** Weekend days worked in return for a longer holiday (调休上班). */
  workdays: ReadonlySet<string>;
  covered: Coverage;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date, or a RangeError for anything else. */
function dayNumber(date: string): number {
  const match = ISO_DATE.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  return ms / DAY_MS;
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isWeekend = (day: number) => [0, 6].includes(new Date(day * DAY_MS).getUTCDay());
const yearOf = (date: string) => Number(date.slice(0, 4));

// A bad key's path is where it is and what it is: ["holidays", "2026-13-01"].
const problemOf = (issue: z.core.$ZodIssue) => (issue.code === 'invalid_key' ? `${issue.path.join(' ')} is not a date (YYYY-MM-DD)` : issue.message);

/** A holiday table from data shaped as chinese-days' JSON, checked: dates well formed, no day both off and worked, no year missing. */
export function holidayTableOf(data: unknown): HolidayTable {
  // chinese-days names each day ("National Day,国庆节,3"); only which days are listed matters here. Its inLieuDays
  // (the days off given back for a make-up day) are already among its holidays.
  const days = z.record(z.iso.date(), z.string());
  const checked = z
    .object({ holidays: days, workdays: days })
    .transform(({ holidays, workdays }) => ({ holidays: new Set(Object.keys(holidays)), workdays: new Set(Object.keys(workdays)) }))
    .superRefine(({ holidays, workdays }, context) => {
      for (const date of workdays) {
        if (holidays.has(date)) context.addIssue({ code: 'custom', message: `${date} is both a holiday and a make-up working day` });
        if (!isWeekend(dayNumber(date))) context.addIssue({ code: 'custom', message: `${date} is a make-up working day but not a Saturday or Sunday` });
      }
      // Every year has its New Year's Day off: a year between the first and the last without a holiday is missing.
      const years = new Set([...holidays].map(yearOf));
      if (years.size === 0) context.addIssue({ code: 'custom', message: 'the table has no holidays' });
      const [first, last] = [Math.min(...years), Math.max(...years)];
      for (let year = first; year <= last; year++) {
        if (!years.has(year)) context.addIssue({ code: 'custom', message: `the table has no holidays for ${year}, between ${first} and ${last}` });
      }
    })
    .safeParse(data);
  if (!checked.success) throw new RangeError(`the holiday table is not valid: ${checked.error.issues.map(problemOf).join('; ')}`);
  const { holidays, workdays } = checked.data;
  const years = [...holidays].map(yearOf);
  return { holidays, workdays, covered: { first: Math.min(...years), last: Math.max(...years) } };
}

// Checked at first use rather than at load, and the schema built only then: the portal's page imports the calendar
// but never asks for a working day, and anything done at load would put the table and zod into its bundle.
let shipped: HolidayTable | undefined;

function isWorking(day: number): boolean {
  shipped ??= holidayTableOf(chineseDays);
  const date = dateOf(day);
  const year = yearOf(date);
  if (year < shipped.covered.first || year > shipped.covered.last) throw new UncoveredYearError(year, shipped.covered);
  return shipped.workdays.has(date) || (!shipped.holidays.has(date) && !isWeekend(day));
}

export function isWorkingDay(date: string): boolean {
  return isWorking(dayNumber(date));
}

/** The date itself when it is a working day, else the first working day after it. */
export function nextWorkingDay(date: string): string {
  let day = dayNumber(date);
  while (!isWorking(day)) day++;
  return dateOf(day);
}

/** The `count` working days before `date` (not counting the date itself), oldest first: the days to remind on. */
export function workingDaysBefore(date: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count of working days must be a whole number of at least 0, not ${count}`);
  const found: string[] = [];
  for (let day = dayNumber(date) - 1; found.length < count; day--) if (isWorking(day)) found.unshift(dateOf(day));
  return found;
}

/** Working days after `from` up to and including `to`: how many working days late `to` is for a due date `from`; negative when `to` is earlier. */
export function workingDaysBetween(from: string, to: string): number {
  const [a, b] = [dayNumber(from), dayNumber(to)];
  let count = 0;
  for (let day = Math.min(a, b) + 1; day <= Math.max(a, b); day++) if (isWorking(day)) count++;
  return b < a ? -count : count;
}

/** The district's working days as the reminder job takes them (shared/notify/remind.ts `WorkingDays`). */
export const DISTRICT_WORKING_DAYS = { isWorkingDay, nextWorkingDay, workingDaysBefore, workingDaysBetween } as const;
