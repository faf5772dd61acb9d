import type { WorkbookCell, WorkbookSheet, WorkbookSheets } from './sheet.js';
import { cellText, containsKeyword, normaliseText, splitTrailingBracket } from './text.js';

type ColumnRole = 'id' | 'period' | 'value' | 'unit' | 'name';

/**
 * Tried in this order, so that "指标编号" is an id column before "指标" could make it a name column,
 * and "填报月份" a period column before anything else.
 */
const HEADER_KEYWORDS: readonly (readonly [ColumnRole, readonly string[]])[] = [
  ['id', ['指标编号', '指标代码', '编号', '代码', 'indicator id', 'id', 'code']],
  ['period', ['填报月份', '报送月份', '统计月份', '所属月份', '月份', '年月', '报告期', '统计期', '期间', 'reporting period', 'period', 'month']],
  [
    'value',
    ['数值', '指标值', '本月数', '本月值', '本期数', '本期值', '填报数', '填报值', '完成数', '完成值', '实际值', 'value', 'amount'],
  ],
  ['unit', ['计量单位', '单位', 'unit']],
  ['name', ['指标名称', '指标', '名称', '项目', 'indicator', 'item', 'name']],
];

/** Column headings of a wide table that are not indicators: they may hold numbers without being figures. */
const NOT_FIGURE_HEADINGS = ['序号', '编号', '备注', '说明', '合计', '小计', '填报人', 'no', 'notes', 'note', 'remarks', 'total'];

interface TableBase {
  sheet: string;
  /** The sheet's workbook counts date serials from 1904, which a period typed as a bare serial needs. */
  date1904: boolean;
  /** Rows above the header: title, department and period lines. */
  above: WorkbookCell[][];
  /** Rows below the header: figures, with blank and note rows among them. */
  body: WorkbookCell[][];
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

/** A table of figures found on a sheet: a header row naming the columns, rows of figures below it. */
export type DataTable = LongTable | WideTable;

type LongHeader = Pick<LongTable, 'identifierColumns' | 'valueColumn' | 'valueHeaderUnit' | 'unitColumn' | 'periodColumn'>;

/** Whether a text names a catalog indicator: what tells a wide table's header row from any other row. */
export type NamesIndicator = (text: string) => boolean;

interface HeaderCell {
  cell: WorkbookCell;
  role: ColumnRole;
  bracket?: string;
}

function headerCell(cell: WorkbookCell): HeaderCell | undefined {
  if (typeof cell.value !== 'string') return undefined;
  const split = splitTrailingBracket(cell.value);
  const heading = split?.name ?? cell.value;
  const role = HEADER_KEYWORDS.find(([, keywords]) => keywords.some((keyword) => containsKeyword(heading, keyword)))?.[0];
  if (!role) return undefined;
  return split ? { cell, role, bracket: split.bracket } : { cell, role };
}

function columnOf(headers: readonly HeaderCell[], role: ColumnRole): number | undefined {
  return headers.find((header) => header.role === role)?.cell.column;
}

/** A long table's header row names, in separate cells, at least one column that identifies the indicator and a value column. */
export function tableHeader(row: readonly WorkbookCell[]): LongHeader | undefined {
  const headers = row.map(headerCell).filter((header) => header !== undefined);
  const value = headers.find((header) => header.role === 'value');
  const [first, ...others] = [
    ...headers.filter((header) => header.role === 'id'),
    ...headers.filter((header) => header.role === 'name'),
  ].map((header) => header.cell.column);
  if (!value || first === undefined) return undefined;
  const unitColumn = columnOf(headers, 'unit');
  const periodColumn = columnOf(headers, 'period');
  return {
    identifierColumns: [first, ...others],
    valueColumn: value.cell.column,
    ...(value.bracket ? { valueHeaderUnit: { label: value.bracket, cell: value.cell.address } } : {}),
    ...(unitColumn === undefined ? {} : { unitColumn }),
    ...(periodColumn === undefined ? {} : { periodColumn }),
  };
}

/** A wide table's header row has a period column and at least one column named by an indicator. */
function wideHeader(row: readonly WorkbookCell[], namesIndicator: NamesIndicator): Pick<WideTable, 'periodColumn' | 'headings'> | undefined {
  const period = row.find((cell) => headerCell(cell)?.role === 'period');
  if (!period) return undefined;
  const headings = row.filter((cell) => cell !== period && typeof cell.value === 'string');
  return headings.some((cell) => namesIndicator(cellText(cell.value))) ? { periodColumn: period.column, headings } : undefined;
}

/** A column the clerk added beside the figures (序号, 备注, 合计). */
export function isNotFigureHeading(cell: WorkbookCell): boolean {
  return NOT_FIGURE_HEADINGS.some((heading) => containsKeyword(cellText(cell.value), heading));
}

function tableOf(sheet: WorkbookSheet, namesIndicator: NamesIndicator): DataTable | undefined {
  for (const [index, row] of sheet.rows.entries()) {
    const rows = { sheet: sheet.name, date1904: sheet.date1904 === true, above: sheet.rows.slice(0, index), body: sheet.rows.slice(index + 1) };
    const long = tableHeader(row);
    if (long) return { layout: 'long', ...long, ...rows };
    const wide = wideHeader(row, namesIndicator);
    if (wide) return { layout: 'wide', ...wide, ...rows };
  }
  return undefined;
}

/**
 * The first table of each visible sheet that has one. Sheets without (instructions, lookups) are left out,
 * and so are hidden sheets: a clerk cannot see, let alone check, what they hold.
 */
export function findTables(sheets: WorkbookSheets, namesIndicator: NamesIndicator): DataTable[] {
  return sheets.filter((sheet) => !sheet.hidden).map((sheet) => tableOf(sheet, namesIndicator)).filter((table) => table !== undefined);
}

/** A visible sheet with no table that still names an indicator beside a number: figures the clerk may expect to be read. */
export function looksLikeFigures(sheet: WorkbookSheet, namesIndicator: NamesIndicator): boolean {
  if (sheet.hidden) return false;
  const cells = sheet.rows.flat();
  return (
    cells.some((cell) => typeof cell.value === 'number') &&
    cells.some((cell) => typeof cell.value === 'string' && namesIndicator(normaliseText(cell.value)))
  );
}
