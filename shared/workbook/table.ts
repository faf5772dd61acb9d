import { PERIOD_LABELS } from './reporting-period.js';
import { perText } from './memo.js';
import { cumulativeLabel, monthHeading, type Cumulative } from './month-columns.js';
import type { SheetInfo, WorkbookCell } from './sheet.js';
import { cellText, keywordKey, keywordTest, normaliseText, splitTrailingBracket } from './text.js';

type ColumnRole = 'id' | 'period' | 'value' | 'unit' | 'name' | 'note';

/**
 * Tried in this order, so that "指标编号" is an id column before "指标" could make it a name column,
 * and "填报月份" a period column before anything else. A note column (备注, 进展说明, Remarks) holds the clerk's
 * words on the row's figures.
 */
const HEADER_KEYWORDS: readonly (readonly [ColumnRole, readonly string[]])[] = [
  ['id', ['指标编号', '指标代码', '编号', '代码', 'indicator id', 'id', 'code']],
  ['period', PERIOD_LABELS],
  [
    'value',
    ['数值', '指标值', '本月数', '本月值', '本期数', '本期值', '填报数', '填报值', '完成数', '完成值', '实际值', 'value', 'amount'],
  ],
  ['unit', ['计量单位', '单位', 'unit']],
  ['name', ['指标名称', '指标', '名称', '项目', 'indicator', 'item', 'name']],
  // Last, so that "指标说明" still names the indicator.
  ['note', ['备注', '说明', 'notes', 'note', 'remarks', 'remark', 'comments', 'comment']],
];

const ROLE_TESTS = HEADER_KEYWORDS.map(([role, keywords]) => [role, keywordTest(keywords)] as const);

/** Column headings of a wide table that are not indicators: they may hold numbers without being figures. */
const isNotFigureText = keywordTest(['序号', '编号', '备注', '说明', '合计', '小计', '填报人', 'no', 'notes', 'note', 'remarks', 'total']);

interface TableBase {
  sheet: string;
  /** A column of the clerk's notes on the row's figures (备注, 进展说明): it applies to every figure of the row. */
  noteColumn?: number;
  /** The sheet's workbook counts date serials from 1904, which a period typed as a bare serial needs. */
  date1904: boolean;
  /** The rows above the header that its period is read from: the title, label lines (see keptAbove). */
  above: WorkbookCell[][];
}

/** A row per indicator: the indicator, its value, and maybe a unit and a period column. */
export interface LongTable extends TableBase {
  layout: 'long';
  /** Columns that may name the indicator, the id column first; there is always one. */
  identifierColumns: [number, ...number[]];
  valueColumn: number;
  /** A unit in brackets in the value header ("数值（万元）") and the header cell holding it. */
  valueHeaderUnit?: { label: string; cell: string };
  unitColumn?: number;
  /** A column giving each row's month. */
  periodColumn?: number;
}

/** A row per month and a column per indicator, as in a year-to-date progress sheet. */
export interface WideTable extends TableBase {
  layout: 'wide';
  periodColumn: number;
  /** The header cells of every other column: each names an indicator, or is a column the clerk added. */
  headings: WorkbookCell[];
}

/** A cumulative column of a month-columns table: its heading's cell and what the heading says it sums. */
export interface CumulativeColumn {
  cell: WorkbookCell;
  cumulative: Cumulative;
}

/** A row per indicator and a column per month (指标 | 单位 | 1月 | 2月 | … | 累计): a wide table turned round. */
export interface MonthsTable extends TableBase {
  layout: 'months';
  /** Columns that may name the indicator, the id column first; there is always one. */
  identifierColumns: [number, ...number[]];
  unitColumn?: number;
  /** Each month's heading, as the reading of a row's month takes it ("January" as "1月"), at its own cell. */
  months: WorkbookCell[];
  /** Columns summing months (累计, 合计, 1-11月): never a month's figure, compared with the months instead. */
  cumulatives: CumulativeColumn[];
}

/** A table of figures found on a sheet: a header row naming the columns; the rows below it are read as they come. */
export type DataTable = LongTable | WideTable | MonthsTable;

type LongHeader = Pick<LongTable, 'identifierColumns' | 'valueColumn' | 'valueHeaderUnit' | 'unitColumn' | 'periodColumn' | 'noteColumn'>;

/** Whether a text names a catalog indicator: what tells a wide table's header row from any other row. */
export type NamesIndicator = (text: string) => boolean;

interface HeaderRole {
  role: ColumnRole;
  bracket?: string;
}

interface HeaderCell extends HeaderRole {
  cell: WorkbookCell;
}

function roleOf(text: string): HeaderRole | null {
  const folded = normaliseText(text);
  const split = splitTrailingBracket(folded);
  const heading = keywordKey(split?.name ?? folded);
  const role = ROLE_TESTS.find(([, test]) => test(heading))?.[0];
  if (!role) return null;
  return split ? { role, bracket: split.bracket } : { role };
}

/** Every row of a long table is checked for being a repeated header: each distinct text's role is worked out once. */
const headerRole = perText(roleOf);

function headerCell(cell: WorkbookCell): HeaderCell | undefined {
  if (typeof cell.value !== 'string') return undefined;
  const role = headerRole(cell.value);
  return role ? { cell, ...role } : undefined;
}

function columnOf(headers: readonly HeaderCell[], role: ColumnRole): number | undefined {
  return headers.find((header) => header.role === role)?.cell.column;
}

/** The id columns, then the name columns, or undefined when there is none. */
function identifierColumnsOf(headers: readonly HeaderCell[]): [number, ...number[]] | undefined {
  const [first, ...others] = [
    ...headers.filter((header) => header.role === 'id'),
    ...headers.filter((header) => header.role === 'name'),
  ].map((header) => header.cell.column);
  return first === undefined ? undefined : [first, ...others];
}

function noteColumnOf(headers: readonly HeaderCell[]): { noteColumn?: number } {
  const noteColumn = columnOf(headers, 'note');
  return noteColumn === undefined ? {} : { noteColumn };
}

const isValueHeading = (cell: WorkbookCell) => typeof cell.value === 'string' && headerRole(cell.value)?.role === 'value';

/** A long table's header row names, in separate cells, at least one column that identifies the indicator and a value column. */
export function tableHeader(row: readonly WorkbookCell[]): LongHeader | undefined {
  // Every row of a long table is asked, and most are figures: without a value heading there is nothing more to look at.
  if (!row.some(isValueHeading)) return undefined;
  const headers = row.map(headerCell).filter((header) => header !== undefined);
  const value = headers.find((header) => header.role === 'value');
  if (!value) return undefined;
  const identifierColumns = identifierColumnsOf(headers);
  if (!identifierColumns) return undefined;
  const unitColumn = columnOf(headers, 'unit');
  const periodColumn = columnOf(headers, 'period');
  return {
    identifierColumns,
    valueColumn: value.cell.column,
    ...(value.bracket ? { valueHeaderUnit: { label: value.bracket, cell: value.cell.address } } : {}),
    ...(unitColumn === undefined ? {} : { unitColumn }),
    ...(periodColumn === undefined ? {} : { periodColumn }),
    ...noteColumnOf(headers),
  };
}

/** A wide table's header row has a period column and at least one column named by an indicator. */
function wideHeader(row: readonly WorkbookCell[], namesIndicator: NamesIndicator): Pick<WideTable, 'periodColumn' | 'headings' | 'noteColumn'> | undefined {
  const period = row.find((cell) => headerCell(cell)?.role === 'period');
  if (!period) return undefined;
  const headings = row.filter((cell) => cell !== period && typeof cell.value === 'string');
  if (!headings.some((cell) => namesIndicator(cellText(cell.value)))) return undefined;
  const note = headings.find((cell) => !namesIndicator(cellText(cell.value)) && headerCell(cell)?.role === 'note');
  return { periodColumn: period.column, headings, ...(note ? { noteColumn: note.column } : {}) };
}

type MonthsHeader = Pick<MonthsTable, 'identifierColumns' | 'unitColumn' | 'months' | 'cumulatives' | 'noteColumn'>;

/**
 * A month-columns table's header row names the indicator column and at least one month; a heading is a month or a
 * cumulative before it is anything else, since "1月份" holds the period label 月份.
 */
export function monthsHeader(row: readonly WorkbookCell[]): MonthsHeader | undefined {
  const months: WorkbookCell[] = [];
  const cumulatives: CumulativeColumn[] = [];
  const headers: HeaderCell[] = [];
  for (const cell of row) {
    const month = monthHeading(cell);
    const cumulative = month ? undefined : cumulativeLabel(cell);
    const header = month || cumulative ? undefined : headerCell(cell);
    if (month) months.push(month);
    else if (cumulative) cumulatives.push({ cell, cumulative });
    else if (header) headers.push(header);
  }
  const identifierColumns = months.length > 0 ? identifierColumnsOf(headers) : undefined;
  if (!identifierColumns) return undefined;
  const unitColumn = columnOf(headers, 'unit');
  return { identifierColumns, months, cumulatives, ...(unitColumn === undefined ? {} : { unitColumn }), ...noteColumnOf(headers) };
}

/** A column the clerk added beside the figures (序号, 备注, 合计). */
export function isNotFigureHeading(cell: WorkbookCell): boolean {
  return isNotFigureText(keywordKey(cellText(cell.value)));
}

/**
 * The table a sheet's row heads, when it is a header row: the first such row of a sheet is its table's header.
 * `above` holds the rows kept above it.
 */
export function tableAt(sheet: SheetInfo, row: readonly WorkbookCell[], above: WorkbookCell[][], namesIndicator: NamesIndicator): DataTable | undefined {
  const base = { sheet: sheet.name, date1904: sheet.date1904 === true, above };
  const long = tableHeader(row);
  if (long) return { layout: 'long', ...long, ...base };
  const wide = wideHeader(row, namesIndicator);
  if (wide) return { layout: 'wide', ...wide, ...base };
  const months = monthsHeader(row);
  return months && { layout: 'months', ...months, ...base };
}

/** What the rows of a sheet without a table have shown so far: an indicator named beside a number is figures the clerk may expect to be read. */
export interface FigureSigns {
  number: boolean;
  indicatorName: boolean;
}

export function noteFigureSigns(signs: FigureSigns, row: readonly WorkbookCell[], namesIndicator: NamesIndicator): void {
  for (const cell of row) {
    if (typeof cell.value === 'number') signs.number = true;
    else if (!signs.indicatorName && typeof cell.value === 'string' && namesIndicator(normaliseText(cell.value))) signs.indicatorName = true;
  }
}
