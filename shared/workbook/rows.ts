import type { Catalog, Department, Indicator } from '../catalog/catalog.js';
import type { Period } from '../calendar.js';
import { noteField } from '../observation.js';
import type { Problem } from '../problem.js';
import { uploadFolder } from '../s3-keys.js';
import { departmentOf } from './department.js';
import { indicatorNames, nearestIndicators, type IndicatorMatch, type IndicatorMatcher } from './indicators.js';
import { perText } from './memo.js';
import { problemAt, type ProblemCode } from './problems.js';
import { cellAddress, type WorkbookCell } from './sheet.js';
import type { PeriodCell } from './reporting-period.js';
import type { CumulativeRow } from './cumulative.js';
import { cumulativeLabel, subRowOf, type SubRow } from './month-columns.js';
import { isNotFigureHeading, monthsHeader, tableHeader, type DataTable, type LongTable, type MonthsTable, type WideTable } from './table.js';
import { cellText, excerpt, isBlank, normaliseText, openingCut, openingOf } from './text.js';
import { readValue, unitFactor, type UnitStatement, type ValueReading } from './value.js';

export interface RowContext {
  catalog: Catalog;
  /** The indicator of the catalog a text names, preferring the department's. */
  match: IndicatorMatcher;
  /** The department whose folder the workbook was uploaded to. */
  department: Department;
  /** The month now, to show in messages how a month is written. */
  currentPeriod: Period;
}

/** A row naming one of the department's indicators, and what its value cell holds. */
export interface FigureRow {
  indicator: Indicator;
  sheet: string;
  /** The value cell's address. */
  cell: string;
  reading: ValueReading;
  /** The cell stating this row's month in a table with a period column; without one the workbook's reporting period applies. */
  periodCell?: PeriodCell;
  /** The clerk's note on the row (its note column's text), when there is one. */
  note?: string;
}

/** A row that gives a problem and no figure. It is worded only when reported: a file may have thousands, and naming the nearest indicators takes time. */
interface RowProblem {
  code: ProblemCode;
  problem: () => Problem;
}

export type RowOutcome = FigureRow | RowProblem | CumulativeRow;

function rowProblem(code: ProblemCode, problem: () => Problem): RowProblem {
  return { code, problem };
}

const NOTE_LABELS = [
  '填报人',
  '填表人',
  '审核人',
  '制表人',
  '单位负责人',
  '负责人',
  '联系人',
  '联系电话',
  '填报日期',
  '填表日期',
  '备注',
  '说明',
  'notes?',
  'remarks?',
  'prepared by',
  'checked by',
  'approved by',
];

/** "填报人：张三", "注：…", "注1.…", "* …": lines under a table that are not figures. */
const NOTE_ROW = new RegExp(`^(?:${NOTE_LABELS.join('|')}|注\\s*\\d*)\\s*[:：.、]|^[*※]`, 'i');

/** "一、科技创新" or "（一）人才": a heading grouping the rows below it. */
const SECTION_HEADING = /^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\))/;

/** Whether a text opens a note line or a section heading: asked of every row, so once per distinct text. */
const lineOpening = perText((text) => {
  const folded = normaliseText(text);
  return { note: NOTE_ROW.test(folded), section: SECTION_HEADING.test(folded) };
});

/** A row's cell in a column, if it has one (rows hold only cells with a value). */
function cellAt(row: readonly WorkbookCell[], column: number | undefined): WorkbookCell | undefined {
  for (const cell of row) if (cell.column === column) return cell;
  return undefined;
}

/** The same, unless it is blank. */
function filledAt(row: readonly WorkbookCell[], column: number | undefined): WorkbookCell | undefined {
  const cell = cellAt(row, column);
  return cell && !isBlank(cell.value) ? cell : undefined;
}

/** A note is kept to this many characters: a paragraph on why and what next, not a document pasted into a cell. */
export const NOTE_LENGTH = 1000;

/** The row's note, trimmed and cut to NOTE_LENGTH; none when its note column is blank or the table has none. */
function noteOf(table: Pick<DataTable, 'noteColumn'>, row: readonly WorkbookCell[]): string | undefined {
  const cell = filledAt(row, table.noteColumn);
  const text = cell ? cellText(cell.value) : '';
  return text === '' ? undefined : openingCut(text, NOTE_LENGTH);
}

function isNoteRow(row: readonly WorkbookCell[]): boolean {
  const first = row[0];
  return typeof first?.value === 'string' && lineOpening(openingOf(first.value)).note;
}

function isSectionHeading(name: WorkbookCell, given: boolean): boolean {
  return !given && typeof name.value === 'string' && lineOpening(openingOf(name.value)).section;
}

function unknownIndicator(table: { sheet: string }, cell: WorkbookCell, context: RowContext): Problem {
  const text = cellText(cell.value);
  const nearest = nearestIndicators(text, context.catalog.indicatorsOf(context.department.id)).map(indicatorNames);
  const [zh, en] = [nearest.map((name) => name.zh).join('、'), nearest.map((name) => name.en).join(', ')];
  const shown = excerpt(text);
  return problemAt('indicator.unknown', table.sheet, cell.address, {
    zh: `“${shown.zh}”不在指标目录中，最接近的是：${zh}；请使用模板中的指标编号或名称`,
    en: `'${shown.en}' is not in the indicator catalog; nearest: ${en}; use the ID or name from the template`,
  });
}

/** The tables with a row per indicator. */
type IndicatorRows = Pick<LongTable | MonthsTable, 'sheet' | 'identifierColumns'>;

function unnamedRow(table: IndicatorRows, row: number): Problem {
  return problemAt('indicator.unknown', table.sheet, cellAddress(row, table.identifierColumns[0]), {
    zh: `第 ${row} 行有数值但没有指标，请填写指标编号或名称，或删除该行`,
    en: `row ${row} has a value but no indicator; type the indicator ID or name, or delete the row`,
  });
}

const ROW = { zh: '此行', en: 'this row' };
const COLUMN = { zh: '此列', en: 'this column' };

function otherDepartment(table: { sheet: string }, cell: WorkbookCell, indicator: Indicator, context: RowContext, what = ROW): Problem {
  const owner = departmentOf(context.catalog, indicator.department);
  const folder = uploadFolder(owner.id);
  const name = indicatorNames(indicator);
  return problemAt('indicator.other_department', table.sheet, cell.address, {
    zh: `${name.zh}属于${owner.zh}，不属于${context.department.zh}；请删除${what.zh}，或上传到 ${folder}`,
    en: `${name.en} belongs to ${owner.en}, not ${context.department.en}; delete ${what.en} or upload it to ${folder}`,
  });
}

function isUnitWord(catalog: Catalog, label: string): boolean {
  return catalog.units.some((unit) => unitFactor(unit, label) !== undefined);
}

interface NamedRow {
  match: IndicatorMatch;
  /** The cell that named the indicator. */
  cell: WorkbookCell;
}

/**
 * The units written for a row, the one that counts first: its unit column, then a unit in brackets after
 * its name, then one in the value header. A bracket after a name counts only when it is a unit at all
 * ("(累计)" is not); a header's unit only for the rows it fits, since "数值（万元）" says nothing about a count.
 */
function unitStatements(table: Pick<LongTable, 'valueHeaderUnit'>, column: WorkbookCell | undefined, named: NamedRow, context: RowContext): UnitStatement[] {
  const unit = context.catalog.unit(named.match.indicator.unit);
  const header = table.valueHeaderUnit;
  return [
    ...(column ? [{ label: cellText(column.value), cell: column.address }] : []),
    ...bracketUnit(named, context),
    ...(header && unitFactor(unit, header.label) !== undefined ? [header] : []),
  ];
}

/** A bracket after a name counts only when it is a unit at all: "(累计)" is not. */
function bracketUnit(named: NamedRow, context: RowContext): UnitStatement[] {
  const { bracket } = named.match;
  return bracket !== undefined && isUnitWord(context.catalog, bracket) ? [{ label: bracket, cell: named.cell.address }] : [];
}

/** The id column is tried first, then the name columns: a mistyped id does not hide a correct name. */
function firstMatch(cells: readonly WorkbookCell[], context: RowContext): NamedRow | undefined {
  for (const cell of cells) {
    const match = context.match(cellText(cell.value));
    if (match) return { match, cell };
  }
  return undefined;
}

/** The indicator a row names, or its problem, or undefined for a row that names none and gives nothing (`given`: it holds a value). */
function identify(table: IndicatorRows, row: readonly WorkbookCell[], rowNumber: number, given: boolean, context: RowContext): NamedRow | RowProblem | undefined {
  const identifiers: WorkbookCell[] = [];
  for (const column of table.identifierColumns) {
    const cell = filledAt(row, column);
    if (cell) identifiers.push(cell);
  }
  const first = identifiers[0];
  if (!first) return given ? rowProblem('indicator.unknown', () => unnamedRow(table, rowNumber)) : undefined;
  const named = firstMatch(identifiers, context);
  if (!named) {
    return isSectionHeading(first, given) ? undefined : rowProblem('indicator.unknown', () => unknownIndicator(table, first, context));
  }
  const { indicator } = named.match;
  if (indicator.department !== context.department.id) {
    return rowProblem('indicator.other_department', () => otherDepartment(table, named.cell, indicator, context));
  }
  return named;
}

/**
 * The rows of one indicator under its name merged down (技术合同成交额 | 本月 | 1.2, then | 累计 | 10.5): only the first
 * row's name cell has a value, so a row whose name is empty and that has a sub-label continues the row above. Its
 * unit and month cells may be merged too, so the first row's count for it.
 */
interface Group {
  /** Undefined when the first row's indicator gave a problem: the rows under it have nothing more to say. */
  named?: NamedRow;
  unit?: WorkbookCell;
  period?: WorkbookCell;
  note?: string;
}

interface SubLabel {
  cell: WorkbookCell;
  subRow: SubRow;
}

/** A sub-label (本月, 累计, 上年同期) left of the value, in a column that is neither the indicator's nor the unit's. */
function subLabelOf(table: LongTable, row: readonly WorkbookCell[]): SubLabel | undefined {
  for (const cell of row) {
    if (cell.column >= table.valueColumn || cell.column === table.unitColumn || table.identifierColumns.includes(cell.column)) continue;
    const subRow = subRowOf(cell);
    if (subRow) return { cell, subRow };
  }
  return undefined;
}

/** What a row of a long table gives, and the group of rows it begins or continues. */
interface LongRow {
  outcomes: RowOutcome[];
  group?: Group;
}

function readRow(table: LongTable, row: readonly WorkbookCell[], group: Group | undefined, context: RowContext): LongRow {
  const rowNumber = row[0]?.row;
  const valueCell = cellAt(row, table.valueColumn);
  // A header row repeated below the first has a heading or nothing in the value column, never a figure: only such rows are asked.
  const mayBeHeader = valueCell === undefined || typeof valueCell.value === 'string';
  if (rowNumber === undefined || (mayBeHeader && tableHeader(row)) || isNoteRow(row)) return { outcomes: [] };
  const label = subLabelOf(table, row);
  const continued = table.identifierColumns.some((column) => filledAt(row, column)) ? undefined : label && group;
  if (continued) return { outcomes: subRowOutcomes(table, row, rowNumber, continued, label, context), group: continued };
  const identified = identify(table, row, rowNumber, !isBlank(valueCell?.value), context);
  if (identified === undefined) return { outcomes: [] };
  if ('code' in identified) return { outcomes: [identified], group: {} };
  const periodCell = filledAt(row, table.periodColumn);
  const unit = filledAt(row, table.unitColumn);
  const begun: Group = {
    named: identified,
    ...(unit ? { unit } : {}),
    ...(periodCell && periodCell !== label?.cell ? { period: periodCell } : {}),
    ...noteField(noteOf(table, row)),
  };
  return { outcomes: subRowOutcomes(table, row, rowNumber, begun, label, context), group: begun };
}

/** A row's value: the month's figure, a cumulative to compare (累计), or nothing (上年同期). */
function subRowOutcomes(table: LongTable, row: readonly WorkbookCell[], rowNumber: number, group: Group, label: SubLabel | undefined, context: RowContext): RowOutcome[] {
  const { named } = group;
  if (!named || label?.subRow.kind === 'comparison') return [];
  const { indicator } = named.match;
  const address = cellAddress(rowNumber, table.valueColumn);
  const reading = readValue({
    sheet: table.sheet,
    address,
    cell: cellAt(row, table.valueColumn),
    unit: context.catalog.unit(indicator.unit),
    units: unitStatements(table, filledAt(row, table.unitColumn) ?? group.unit, named, context),
  });
  const own = filledAt(row, table.periodColumn);
  const month = own && own !== label?.cell ? own : group.period;
  const periodCell = month ? { periodCell: { cell: month, table } } : {};
  if (label?.subRow.kind === 'cumulative') {
    return [{ summed: { over: 'year', ...periodCell }, indicator, sheet: table.sheet, cell: address, reading }];
  }
  return [{ indicator, sheet: table.sheet, cell: address, reading, ...periodCell, ...noteField(noteOf(table, row) ?? group.note) }];
}

/**
 * A row of a month-columns table: a figure per month column, each dated by its heading, and a cumulative per
 * cumulative column it fills. A summary row (合计) under the indicators adds up unlike units: it is no figure.
 */
function readMonthsRow(table: MonthsTable, row: readonly WorkbookCell[], context: RowContext): RowOutcome[] {
  const rowNumber = row[0]?.row;
  if (rowNumber === undefined || isNoteRow(row) || isSummaryRow(row) || monthsHeader(row)) return [];
  const given = [...table.months, ...table.cumulatives.map(({ cell }) => cell)].some(({ column }) => filledAt(row, column) !== undefined);
  const named = identify(table, row, rowNumber, given, context);
  if (named === undefined || 'code' in named) return named ? [named] : [];
  const { indicator } = named.match;
  const units = unitStatements({}, filledAt(row, table.unitColumn), named, context);
  const read = (column: number) => {
    const address = cellAddress(rowNumber, column);
    return { address, reading: readValue({ sheet: table.sheet, address, cell: cellAt(row, column), unit: context.catalog.unit(indicator.unit), units }) };
  };
  const note = noteField(noteOf(table, row));
  const months = table.months.map((month): FigureRow => {
    const { address, reading } = read(month.column);
    return { indicator, sheet: table.sheet, cell: address, reading, periodCell: { cell: month, table }, ...note };
  });
  const cells = months.map((month) => month.cell);
  const cumulatives = table.cumulatives.flatMap(({ cell, cumulative }): CumulativeRow[] => {
    if (filledAt(row, cell.column) === undefined) return [];
    const { address, reading } = read(cell.column);
    return [{ summed: { over: 'cells', cells, ...cumulative }, indicator, sheet: table.sheet, cell: address, reading }];
  });
  return [...months, ...cumulatives];
}

/** "合计", "1-11月累计", "Total": a wide table's summary row, not a month. */
const SUMMARY_ROW = /^(?:合计|总计|小计|累计|全年|total)|(?:合计|累计)$/i;

function isSummaryRow(row: readonly WorkbookCell[]): boolean {
  return row.some((cell) => typeof cell.value === 'string' && SUMMARY_ROW.test(normaliseText(cell.value)));
}

interface WideColumn {
  column: number;
  named: NamedRow;
}

interface Heading {
  cell: WorkbookCell;
  named: NamedRow | undefined;
}

/** The columns of a wide table its headings name an indicator of the department by. */
function wideColumns(headings: readonly Heading[], context: RowContext): WideColumn[] {
  return headings.flatMap(({ cell, named }) =>
    named && named.match.indicator.department === context.department.id ? [{ column: cell.column, named }] : [],
  );
}

/** A problem once for each heading that names another department's indicator, or none although numbers sit below it. */
function headingProblems(table: WideTable, headings: readonly Heading[], numbered: ReadonlySet<number>, context: RowContext): RowOutcome[] {
  return headings.flatMap(({ cell, named }): RowOutcome[] => {
    if (named && named.match.indicator.department !== context.department.id) {
      const { indicator } = named.match;
      return [rowProblem('indicator.other_department', () => otherDepartment(table, cell, indicator, context, COLUMN))];
    }
    if (!named && numbered.has(cell.column)) return [rowProblem('indicator.unknown', () => unknownIndicator(table, cell, context))];
    return [];
  });
}

function undatedRow(table: WideTable, row: number, context: RowContext): Problem {
  return problemAt('period.missing', table.sheet, cellAddress(row, table.periodColumn), {
    zh: `第 ${row} 行有数值但没有月份，请在此填写如 ${context.currentPeriod}`,
    en: `row ${row} has figures but no month; type it here, e.g. ${context.currentPeriod}`,
  });
}

/**
 * The month cells of each indicator column read so far, which a summary row under them sums. Ten years of months
 * are more than a sheet of monthly figures holds; past that a column's summary rows are not compared, so that a sheet
 * of thousands of rows costs no more than one of a year.
 */
const MOST_SUMMED = 120;
type CellsAbove = Map<number, string[]>;

function wideReading(table: WideTable, row: readonly WorkbookCell[], rowNumber: number, { column, named }: WideColumn, context: RowContext) {
  const address = cellAddress(rowNumber, column);
  const reading = readValue({
    sheet: table.sheet,
    address,
    cell: cellAt(row, column),
    unit: context.catalog.unit(named.match.indicator.unit),
    units: bracketUnit(named, context),
  });
  return { indicator: named.match.indicator, sheet: table.sheet, cell: address, reading };
}

/** A summary row (合计, 1-11月累计): a cumulative for each column it fills, of the months above it. */
function summaryRow(table: WideTable, row: readonly WorkbookCell[], rowNumber: number, given: readonly WideColumn[], above: CellsAbove, context: RowContext): RowOutcome[] {
  const label = row.map(cumulativeLabel).find((cumulative) => cumulative !== undefined);
  return given.flatMap((column): CumulativeRow[] => {
    const cells = above.get(column.column) ?? [];
    if (cells.length > MOST_SUMMED) return [];
    return [{ summed: { over: 'cells', cells: [...cells], ...label }, ...wideReading(table, row, rowNumber, column, context) }];
  });
}

function readWideRow(table: WideTable, row: readonly WorkbookCell[], columns: readonly WideColumn[], above: CellsAbove, context: RowContext): RowOutcome[] {
  const rowNumber = row[0]?.row;
  const periodCell = filledAt(row, table.periodColumn);
  const given = columns.filter(({ column }) => filledAt(row, column) !== undefined);
  if (rowNumber === undefined || given.length === 0 || isNoteRow(row)) return [];
  if (isSummaryRow(row)) return summaryRow(table, row, rowNumber, given, above, context);
  if (!periodCell) return [rowProblem('period.missing', () => undatedRow(table, rowNumber, context))];
  const note = noteField(noteOf(table, row));
  return columns.map((column) => {
    const figure = wideReading(table, row, rowNumber, column, context);
    const cells = above.get(column.column) ?? [];
    if (cells.length <= MOST_SUMMED) cells.push(figure.cell);
    above.set(column.column, cells);
    return { ...figure, periodCell: { cell: periodCell, table }, ...note };
  });
}

/** Reads the rows below a table's header one at a time, as they come. */
export interface TableReader {
  /** Hands on a row's figures and problems; blank, note, heading and summary rows give nothing. */
  read(row: readonly WorkbookCell[], give: (outcome: RowOutcome) => void): void;
  /** What can only be said once every row has been read, reported before the rows. */
  end(): RowOutcome[];
}

function longTableReader(table: LongTable, context: RowContext): TableReader {
  let group: Group | undefined;
  return {
    read: (row, give) => {
      if (row.length === 0) return;
      const read = readRow(table, row, group, context);
      group = read.group;
      for (const outcome of read.outcomes) give(outcome);
    },
    end: () => [],
  };
}

function monthsTableReader(table: MonthsTable, context: RowContext): TableReader {
  return {
    read: (row, give) => {
      for (const outcome of readMonthsRow(table, row, context)) give(outcome);
    },
    end: () => [],
  };
}

/** Each month's row as one figure per indicator column; a problem for each column it cannot attribute comes first. */
function wideTableReader(table: WideTable, context: RowContext): TableReader {
  const headings = table.headings.map((cell) => ({ cell, named: firstMatch([cell], context) }));
  const columns = wideColumns(headings, context);
  const isFigureColumn = (cell: WorkbookCell) => cell.column !== table.noteColumn && !isNotFigureHeading(cell);
  const unnamed = new Set(headings.filter(({ cell, named }) => !named && isFigureColumn(cell)).map(({ cell }) => cell.column));
  const numbered = new Set<number>();
  const above: CellsAbove = new Map();
  return {
    read: (row, give) => {
      for (const cell of row) if (typeof cell.value === 'number' && unnamed.has(cell.column)) numbered.add(cell.column);
      for (const outcome of readWideRow(table, row, columns, above, context)) give(outcome);
    },
    end: () => headingProblems(table, headings, numbered, context),
  };
}

export function tableReader(table: DataTable, context: RowContext): TableReader {
  switch (table.layout) {
    case 'long':
      return longTableReader(table, context);
    case 'wide':
      return wideTableReader(table, context);
    case 'months':
      return monthsTableReader(table, context);
  }
}
