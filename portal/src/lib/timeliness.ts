import { DISTRICT_TIME_ZONE } from '../../../shared/calendar.js';
import type { MonthView } from '../../../shared/portal/contract.js';
import { isReported, type Bilingual } from './labels.js';

/** Whether a month came on time, as its row says it: on time, late, overdue with nothing accepted, or still due. */
export function timelinessOf(month: Pick<MonthView, 'due' | 'onTime' | 'status'>): Bilingual {
  if (month.onTime === true) return { zh: '按时', en: 'on time' };
  if (month.onTime === false) {
    return isReported(month.status) ? { zh: '逾期报送', en: 'late' } : { zh: `已逾期（截止 ${month.due}）`, en: `overdue (due ${month.due})` };
  }
  if (month.due === null) return { zh: '截止日待定（当年节假日安排未导入）', en: "due date not yet known: that year's public holidays are not in the calendar" };
  return { zh: `截止 ${month.due}`, en: `due ${month.due}` };
}

let districtClock: Intl.DateTimeFormat | undefined;

/** An instant as the district's clock reads it, to the minute: "2026-11-05 14:03". */
export function districtTimeText(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  districtClock ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: DISTRICT_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const part = Object.fromEntries(districtClock.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}
