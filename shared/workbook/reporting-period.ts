import { isPeriod, periodOf, periodParts, type Period } from '../calendar.js';
import type { Problem } from '../problem.js';
import { problemAt, type BilingualText, type ProblemCode } from './problems.js';
import { dateOfSerial, type CellValue, type WorkbookCell } from './sheet.js';
import type { DataTable } from './table.js';
import { cellText, excerpt, fileBaseName, keywordKey, leadingKeyword, normaliseText } from './text.js';

/**
 * The month a workbook reports on. It may be stated in a period cell above the table,
 * in the title, and in the file name; the first found is taken, and every statement must agree,
 * because a wrong month would silently replace another month's figures. One exception: a period cell
 * wins over a title, with a warning, since a reused workbook's title (protected in the template) still
 * names the month it was made for.
 */

/** The words that label a month: a period cell above a table, or a table's period column. */
export const PERIOD_LABELS = [
  '填报月份',
  '报送月份',
  '统计月份',
  '所属月份',
  '年月',
  '报告期',
  '报表期',
  '统计期',
  '所属期',
  '月份',
  '期间',
  'reporting period',
  'period',
  'month',
] as const;

const leadingLabel = leadingKeyword(PERIOD_LABELS);

/** "2026-11", "2026/11", "2026.11", "2026年11月", "202611", also with a day after it; without a separator the month has two digits, so "99999-01" is none. */
const YEAR_MONTH = /(?<!\d)(\d{4})(?:(?:\s*[-/._年]\s*|\s+)(\d{1,2})|(\d{2}))(?!\d)/;
/** "2026年1-11月", "2026年1至11月": a year-to-date title reports on its last month. */
const YEAR_MONTH_RANGE = /(?<!\d)(\d{4})\s*年\s*\d{1,2}\s*月?\s*[-~～—至到]\s*(\d{1,2})\s*月/;
/** "11月" or 11 alone: a month of a year-to-date sheet, whose year is stated elsewhere. */
const MONTH_ONLY = /^(\d{1,2})\s*月?$/;
/** A file name's digits are a month only in these years: otherwise they are a code or a number (500112, GB18030). */
const FILE_NAME_YEARS = { first: 2000, last: 2099 } as const;
/** Every year-month a file name writes, a range's last month first tried; the groups are YEAR_MONTH_RANGE's, then YEAR_MONTH's. */
const YEAR_MONTHS = new RegExp(`${YEAR_MONTH_RANGE.source}|${YEAR_MONTH.source}`, 'g');
/** A year written anywhere ("2026年科技创新进度表"), for month-only rows. */
const YEAR = /(?<!\d)(20\d{2})(?!\d)/;

type Source = 'cell' | 'title' | 'file name';

interface Statement {
  source: Source;
  sheet: string | null;
  cell: string | null;
  /** The text as written, quoted back when it is not a month. */
  text: string;
  /** Null when the text is not a real month. */
  period: Period | null;
}

type StatedMonth = Statement & { period: Period };

export interface ReportingPeriod {
  /** The month the workbook states; null when it states none, or none that can be read. */
  period: Period | null;
  /** The year a month-only row ("11月") belongs to: the stated period's, else one in a title or the file name. */
  year: number | null;
  /** Errors, and the warning that a title was overruled by the period cell. */
  problems: Problem[];
}

/** The period of a year and month, null unless the month is real and the year has four digits. */
function monthOf(year: number, month: number): Period | null {
  if (!(month >= 1 && month <= 12)) return null;
  const period = periodOf(year, month);
  return isPeriod(period) ? period : null;
}

/** The first year-month written in the text; null when it is not a real month (2026-13), undefined when none is written. */
function yearMonthIn(text: string): Period | null | undefined {
  const folded = normaliseText(text);
  const match = YEAR_MONTH_RANGE.exec(folded) ?? YEAR_MONTH.exec(folded);
  return match ? monthOf(Number(match[1]), Number(match[2] ?? match[3])) : undefined;
}

/** Five digits are a date serial shown without a date format (46327 is 2026-11-01): no other reading of them is a month. */
const DATE_SERIAL = /^\d{5}$/;

/**
 * Excel stores a typed "2026.11" as the number 2026.11, but "2026.10" and "2026.1" both as 2026.1,
 * so that one cannot be told apart and is refused.
 */
function periodInNumber(number: number, date1904: boolean): Period | null {
  const written = String(number);
  if (DATE_SERIAL.test(written)) return monthOfCell(dateOfSerial(number, date1904));
  const yearMonth = /^(\d{4})\.(\d{2}|[2-9])$/.exec(written) ?? /^(\d{4})(\d{2})$/.exec(written);
  return yearMonth ? monthOf(Number(yearMonth[1]), Number(yearMonth[2])) : null;
}

/** The month a date cell falls in; Excel dates carry no time zone, so they are read as UTC. */
function monthOfCell(date: Date | undefined): Period | null {
  return date ? monthOf(date.getUTCFullYear(), date.getUTCMonth() + 1) : null;
}

function periodInCell(value: CellValue, date1904: boolean): Period | null {
  if (value instanceof Date) return monthOfCell(value);
  if (typeof value === 'number') return periodInNumber(value, date1904);
  return yearMonthIn(cellText(value)) ?? null;
}

/** The parts of a table that say how its cells are read. */
export type TableTraits = Pick<DataTable, 'sheet' | 'layout' | 'date1904'>;

function cellStatement(cell: WorkbookCell, table: TableTraits): Statement {
  return { source: 'cell', sheet: table.sheet, cell: cell.address, text: cellText(cell.value), period: periodInCell(cell.value, table.date1904) };
}

/** What follows a label in its own cell, once the label words (填报月份 Period) and separators are taken out. */
function afterLabel(text: string, label: string): string {
  const rest = normaliseText(text).toLowerCase().slice(label.length);
  return PERIOD_LABELS.reduce((remaining, word) => remaining.replaceAll(word, ''), rest).replace(/[\s:：]/g, '');
}

function periodLabel(cell: WorkbookCell): string | undefined {
  return typeof cell.value === 'string' ? leadingLabel(keywordKey(cell.value)) : undefined;
}

/** A label cell holds the period itself ("填报月份：2026-11") or has it in the next cell to its right. */
function labelledStatements(row: readonly WorkbookCell[], table: TableTraits): Statement[] {
  return row.flatMap((cell, index) => {
    const label = periodLabel(cell);
    if (label === undefined) return [];
    const holder = afterLabel(cellText(cell.value), label) === '' ? row[index + 1] : cell;
    return holder ? [cellStatement(holder, table)] : [];
  });
}

/** The title is the first row above the table, when it is not itself a label row. */
function titleStatements(table: DataTable): Statement[] {
  const title = table.above[0];
  if (!title || title.some((cell) => periodLabel(cell) !== undefined)) return [];
  return title.flatMap((cell) => {
    const period = typeof cell.value === 'string' ? yearMonthIn(cell.value) : undefined;
    return period === undefined ? [] : [{ source: 'title', sheet: table.sheet, cell: cell.address, text: cellText(cell.value), period }];
  });
}

function plausibleInName(match: RegExpMatchArray): Period[] {
  const year = Number(match[1] ?? match[3]);
  const period = year >= FILE_NAME_YEARS.first && year <= FILE_NAME_YEARS.last ? monthOf(year, Number(match[2] ?? match[4] ?? match[5])) : null;
  return period === null ? [] : [period];
}

/**
 * A file name states a month only when it writes exactly one plausible month. A clerk does not type the name
 * as a statement of the month, so digits that are no month, or two months, are not read, and are no error.
 */
function fileNameStatements(fileName: string): StatedMonth[] {
  const baseName = fileBaseName(fileName);
  const months = new Set([...normaliseText(baseName).matchAll(YEAR_MONTHS)].flatMap(plausibleInName));
  const [period] = months;
  return period !== undefined && months.size === 1 ? [{ source: 'file name', sheet: null, cell: null, text: baseName, period }] : [];
}

function describe(statement: Statement): BilingualText {
  const sheet = excerpt(statement.sheet ?? '');
  switch (statement.source) {
    case 'cell':
      return { zh: `单元格 ${sheet.zh}!${statement.cell}`, en: `cell ${sheet.en}!${statement.cell}` };
    case 'title':
      return { zh: `标题 ${sheet.zh}!${statement.cell}`, en: `the title in ${sheet.en}!${statement.cell}` };
    case 'file name': {
      const name = excerpt(statement.text);
      return { zh: `文件名“${name.zh}”`, en: `the file name '${name.en}'` };
    }
  }
}

function problemIn(statement: Statement, code: ProblemCode, detail: BilingualText): Problem {
  return problemAt(code, statement.sheet, statement.cell, detail);
}

function invalid(statement: Statement, currentPeriod: Period): Problem {
  const shown = excerpt(statement.text);
  return problemIn(statement, 'period.invalid', {
    zh: `“${shown.zh}”不是明确的年月，请按“年-月”填写，如 ${currentPeriod}`,
    en: `'${shown.en}' is not a clear year and month; type it as year-month, e.g. ${currentPeriod}`,
  });
}

/** A figure has no month: the workbook states none and its row gives none. */
export function missingPeriod(sheet: string | null, department: string, currentPeriod: Period): Problem {
  const fileName = `${department}-${currentPeriod}.xlsx`;
  return problemAt('period.missing', sheet, null, {
    zh: `请在“填报月份”单元格填写如 ${currentPeriod}，或在文件名中写明，如 ${fileName}`,
    en: `type it as ${currentPeriod} in the 填报月份 Period cell, or name the file like ${fileName}`,
  });
}

/** Blamed on the statement that differs, or on the one taken when the other is the file name, which has no cell. */
function conflict(stated: StatedMonth, taken: StatedMonth): Problem {
  const [other, chosen] = [describe(stated), describe(taken)];
  return problemIn(stated.cell === null ? taken : stated, 'period.conflict', {
    zh: `${other.zh} 为 ${stated.period}，而 ${chosen.zh} 为 ${taken.period}，请改为一致`,
    en: `${other.en} says ${stated.period} but ${chosen.en} says ${taken.period}; make them agree`,
  });
}

/**
 * A title or a file name that names another month than the period cell: the cell is taken, and the clerk told so,
 * at the title (what is stale) or, for a file name, which has no cell, at the period cell.
 */
function overruled(stated: StatedMonth, taken: StatedMonth): Problem {
  const [other, chosen] = [describe(stated), describe(taken)];
  return problemIn(stated.cell === null ? taken : stated, 'period.overruled', {
    zh: `${other.zh} 为 ${stated.period}，已按 ${chosen.zh} 读作 ${taken.period}；如月份有误，请修改该单元格`,
    en: `${other.en} says ${stated.period}; the figures were read as ${taken.period}, from ${chosen.en}; if that month is wrong, change that cell`,
  });
}

function future(taken: StatedMonth, currentPeriod: Period): Problem[] {
  if (taken.period <= currentPeriod) return [];
  return [
    problemIn(taken, 'period.future', {
      zh: `${taken.period} 晚于本月 ${currentPeriod}，请填写已经开始的月份`,
      en: `${taken.period} is after the current month ${currentPeriod}; report a month that has begun`,
    }),
  ];
}

/** A month before the catalog's earliest baseline (firstPeriod) is refused: nothing the catalog tracks was measured then. */
function tooEarly(stated: StatedMonth, firstPeriod: Period | null): Problem[] {
  if (firstPeriod === null || stated.period >= firstPeriod) return [];
  return [
    problemIn(stated, 'period.too_early', {
      zh: `${stated.period} 早于指标目录最早的基线月份 ${firstPeriod}，请填写 ${firstPeriod} 或之后的月份`,
      en: `${stated.period} is before ${firstPeriod}, the earliest baseline month of the indicator catalog; report ${firstPeriod} or a later month`,
    }),
  ];
}

function writesYear(cell: WorkbookCell): boolean {
  return YEAR.test(normaliseText(cellText(cell.value)));
}

/** The rows above a table that its period is read from, kept as a sheet is read, before its header is known. */
export interface RowsAbove {
  rows: WorkbookCell[][];
  /** Whether a row kept writes a year: only the first such row is needed for it. */
  year: boolean;
}

/** Keeps the rows reading the period needs, and only those: the title (the first row), rows with a label, the first row writing a year. */
export function keepAbove(above: RowsAbove, row: WorkbookCell[]): void {
  const year = !above.year && row.some(writesYear);
  if (above.rows.length === 0 || year || row.some((cell) => periodLabel(cell) !== undefined)) above.rows.push(row);
  above.year ||= year;
}

function yearWritten(tables: readonly DataTable[], fileName: string): number | null {
  const texts = [...tables.flatMap((table) => table.above.flat().map((cell) => cellText(cell.value))), fileName];
  const year = texts.map((text) => YEAR.exec(normaliseText(text))?.[1]).find((found) => found !== undefined);
  return year === undefined ? null : Number(year);
}

/** The months a workbook may report on: from the catalog's earliest baseline month (null: no bound) to the current one. */
export interface MonthBounds {
  firstPeriod: Period | null;
  currentPeriod: Period;
}

export function readReportingPeriod(input: { tables: readonly DataTable[]; fileName: string } & MonthBounds): ReportingPeriod {
  const { tables, fileName, currentPeriod, firstPeriod } = input;
  const statements = [
    ...tables.flatMap((table) => table.above.flatMap((row) => labelledStatements(row, table))),
    ...tables.flatMap(titleStatements),
    ...fileNameStatements(fileName),
  ];
  const months = statements.filter((statement): statement is StatedMonth => statement.period !== null);
  const unreadable = statements.filter((statement) => statement.period === null).map((statement) => invalid(statement, currentPeriod));
  const [taken] = months;
  if (!taken) return { period: null, year: yearWritten(tables, fileName), problems: unreadable };
  const differing = months.filter((statement) => statement.period !== taken.period);
  // The period cell is where the template asks for the month: a reused workbook's title and name still say the old one.
  const overrules = (statement: StatedMonth) => taken.source === 'cell' && statement.source !== 'cell';
  const conflicts = differing.map((statement) => (overrules(statement) ? overruled(statement, taken) : conflict(statement, taken)));
  const outside = [...tooEarly(taken, firstPeriod), ...future(taken, currentPeriod)];
  return { period: taken.period, year: periodParts(taken.period).year, problems: [...unreadable, ...conflicts, ...outside] };
}

/** A month number alone ("11月", 11), whose year the workbook states elsewhere. */
function monthNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 12 ? value : undefined;
  const match = MONTH_ONLY.exec(normaliseText(cellText(value)));
  return match ? Number(match[1]) : undefined;
}

function periodInRow(value: CellValue, year: number | null, date1904: boolean): Period | null {
  const month = monthNumber(value);
  if (month === undefined) return periodInCell(value, date1904);
  return year === null ? null : monthOf(year, month);
}

/** The cell stating a row's month, and the table it is in. */
export interface PeriodCell {
  cell: WorkbookCell;
  table: TableTraits;
}

/** A row's month, null when it cannot be taken; a month in the future is still given, beside its problem. */
export interface RowPeriod {
  period: Period | null;
  problems: Problem[];
}

/**
 * The month of a row in a table with a period column. A long table's rows must state the workbook's month;
 * a wide table's rows run up to it (a year-to-date sheet titled 1-11月 has no row for December).
 */
export function rowPeriod(input: { periodCell: PeriodCell; reporting: ReportingPeriod } & MonthBounds): RowPeriod {
  const { periodCell, reporting, currentPeriod, firstPeriod } = input;
  const { cell, table } = periodCell;
  const { sheet, layout } = table;
  const text = cellText(cell.value);
  const period = periodInRow(cell.value, reporting.year, table.date1904);
  if (period === null) return { period, problems: [invalid({ source: 'cell', sheet, cell: cell.address, text, period }, currentPeriod)] };
  const statement: StatedMonth = { source: 'cell', sheet, cell: cell.address, text, period };
  const stated = reporting.period;
  if (stated !== null && (layout === 'long' ? period !== stated : period > stated)) {
    const problem = problemIn(statement, 'period.conflict', {
      zh: `此处月份为 ${period}，而表中填报月份为 ${stated}，请改为一致`,
      en: `this cell says ${period} but the workbook reports on ${stated}; make them agree`,
    });
    return { period: null, problems: [problem] };
  }
  const early = tooEarly(statement, firstPeriod);
  if (early.length > 0) return { period: null, problems: early };
  return { period, problems: future(statement, currentPeriod) };
}
