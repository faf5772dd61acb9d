import type { WorkbookCell } from './sheet.js';
import { cellText, normaliseText } from './text.js';

/**
 * The words of the layouts that set months side by side: a month heading over a column of figures
 * (1月, 2026年1月, 2026-01, 1月份, January), a cumulative one beside them (累计, 合计, 全年, 1-11月), and the
 * sub-labels of an indicator reported in two rows (本月 this month, 累计 cumulative).
 */

/** The months a cumulative heading states ("1-11月"), January to December as 1 to 12. */
export interface MonthSpan {
  from: number;
  to: number;
}

/** A cumulative heading or label; `months` when it says which months it sums. */
export interface Cumulative {
  months?: MonthSpan;
}

const ENGLISH_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CHINESE_MONTHS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** "1月", "1月份", "一月": a month whose year is stated elsewhere. */
const MONTH_ALONE = /^(\d{1,2})月份?$/;
const CHINESE_MONTH = /^([一二三四五六七八九十]{1,3})月份?$/;
/** "January", "Jan", "Jan.", "Sept". */
const ENGLISH_MONTH = /^(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$/;
/** "2026年1月", "2026-01", "2026/1", "2026.01": a month with its year. */
const YEAR_MONTH = /^(\d{4})(?:年|[-/.])(\d{1,2})(?:月份?)?$/;

/** What a heading is compared in: folded, lower-case, without spaces. */
function headingKey(cell: WorkbookCell): string {
  return normaliseText(cellText(cell.value)).toLowerCase().replace(/\s/g, '');
}

function realMonth(month: number): number | undefined {
  return month >= 1 && month <= 12 ? month : undefined;
}

function monthNumberOf(key: string): number | undefined {
  const alone = MONTH_ALONE.exec(key);
  if (alone) return realMonth(Number(alone[1]));
  const chinese = CHINESE_MONTH.exec(key);
  if (chinese?.[1]) return realMonth(CHINESE_MONTHS.indexOf(chinese[1]) + 1);
  const english = ENGLISH_MONTH.exec(key);
  return english?.[1] ? realMonth(ENGLISH_MONTHS.indexOf(english[1].slice(0, 3)) + 1) : undefined;
}

/**
 * A heading naming a month, as a cell the reading of a row's month (reporting-period.ts rowPeriod) takes: "1月" for
 * a month alone, whatever way it was written, and the heading itself when it writes its year or is a date.
 */
export function monthHeading(cell: WorkbookCell): WorkbookCell | undefined {
  if (cell.value instanceof Date) return Number.isNaN(cell.value.getTime()) ? undefined : cell;
  if (typeof cell.value !== 'string') return undefined;
  const key = headingKey(cell);
  const withYear = YEAR_MONTH.exec(key);
  if (withYear) return realMonth(Number(withYear[2])) === undefined ? undefined : cell;
  const month = monthNumberOf(key);
  return month === undefined ? undefined : { ...cell, value: `${month}月` };
}

/** "1-11月", "2026年1-11月累计", "1至11月合计". */
const MONTH_RANGE = /^(?:\d{4}年)?(\d{1,2})月?[-~～—至到](\d{1,2})月份?(?:累计|合计|小计|总计)?(?:数|值)?$/;
/** "累计", "本年累计", "全年累计", "年度累计", "合计", "累计数", "全年", "Total", "YTD". */
const CUMULATIVE_WORD = /^(?:(?:本年度?|今年|全年|年度|年)?(?:累计|合计|总计|小计)(?:数|值|完成)?|全年|total|ytd|yeartodate|cumulative)$/;

/** A cumulative heading or sub-label, never a month's figure. */
export function cumulativeLabel(cell: WorkbookCell): Cumulative | undefined {
  if (typeof cell.value !== 'string') return undefined;
  const key = headingKey(cell);
  const range = MONTH_RANGE.exec(key);
  if (range) {
    const [from, to] = [realMonth(Number(range[1])), realMonth(Number(range[2]))];
    return from !== undefined && to !== undefined && from <= to ? { months: { from, to } } : undefined;
  }
  return CUMULATIVE_WORD.test(key) ? {} : undefined;
}

/** "本月", "当月数", "本期": the sub-row holding the month's own figure. */
const THIS_MONTH = /^(?:本月|当月|本期|月度)(?:数|值|完成数?|实际)?$/;
/** "上年同期", "同比增长": a comparison, not a figure of the month. */
const COMPARISON = /^(?:上年同期|去年同期|同期|同比|环比|增长|增幅|增速|增减)/;

export type SubRow = { kind: 'month' } | { kind: 'cumulative'; cumulative: Cumulative } | { kind: 'comparison' };

/** What a sub-label beside an indicator's value says the value is, when it is one. */
export function subRowOf(cell: WorkbookCell): SubRow | undefined {
  if (typeof cell.value !== 'string') return undefined;
  const key = headingKey(cell);
  if (THIS_MONTH.test(key)) return { kind: 'month' };
  if (COMPARISON.test(key)) return { kind: 'comparison' };
  const cumulative = cumulativeLabel(cell);
  return cumulative ? { kind: 'cumulative', cumulative } : undefined;
}
