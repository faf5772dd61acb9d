import type { WorkingDays } from '../shared/notify/remind.js';

/** Monday to Friday, no holidays: a stand-in for the district's calendar in tests, whose answers are easy to check by hand. */
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const dateOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const working = (n: number) => ![0, 6].includes(new Date(n * 86_400_000).getUTCDay());

export const weekdayCalendar: WorkingDays = {
  isWorkingDay: (date) => working(day(date)),
  nextWorkingDay(date) {
    let n = day(date);
    while (!working(n)) n++;
    return dateOf(n);
  },
  workingDaysBefore(date, count) {
    const found: string[] = [];
    for (let n = day(date) - 1; found.length < count; n--) if (working(n)) found.unshift(dateOf(n));
    return found;
  },
  workingDaysBetween(from, to) {
    const [a, b, sign] = from <= to ? [day(from), day(to), 1] : [day(to), day(from), -1];
    let count = 0;
    for (let n = a + 1; n <= b; n++) if (working(n)) count++;
    return sign * count;
  },
};
