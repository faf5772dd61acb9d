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

/** The month an instant falls in, in the district's time zone (Asia/Shanghai, UTC+8 all year). */
export function periodAt(instant: Date, timeZone = 'Asia/Shanghai'): Period {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(instant);
  const year = parts.find((p) => p.type === 'year')?.value;
  const month = parts.find((p) => p.type === 'month')?.value;
  return `${year}-${month}`;
}
