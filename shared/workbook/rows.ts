import type { Catalog, Department, Indicator } from '../catalog/catalog.js';
import type { Period } from '../calendar.js';
import type { Problem } from '../problem.js';
import { uploadFolder } from '../s3-keys.js';
import { departmentOf } from './department.js';
import { indicatorNames, nearestIndicators, type IndicatorMatch, type IndicatorMatcher } from './indicators.js';
import { perText } from './memo.js';
import { problemAt, type ProblemCode } from './problems.js';
import { cellAddress, type WorkbookCell } from './sheet.js';
import type { PeriodCell } from './reporting-period.js';
import { isNotFigureHeading, tableHeader, type DataTable, type LongTable, type WideTable } from './table.js';
import { cellText, excerpt, isBlank, normaliseText, openingOf } from './text.js';
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
}

/** A row that gives a problem and no figure. It is worded only when reported: a file may have thousands, and naming the nearest indicators takes time. */
interface RowProblem {
  code: ProblemCode;
  problem: () => Problem;
}

export type RowOutcome = FigureRow | RowProblem;

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

function isNoteRow(row: readonly WorkbookCell[]): boolean {
  const first = row[0];
  return typeof first?.value === 'string' && lineOpening(openingOf(first.value)).note;
}

function isSectionHeading(name: WorkbookCell, value: WorkbookCell | undefined): boolean {
  return isBlank(value?.value) && typeof name.value === 'string' && lineOpening(openingOf(name.value)).section;
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

function unnamedRow(table: LongTable, row: number): Problem {
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
function unitStatements(table: LongTable, row: readonly WorkbookCell[], named: NamedRow, context: RowContext): UnitStatement[] {
  const unit = context.catalog.unit(named.match.indicator.unit);
  const column = filledAt(row, table.unitColumn);
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

function readRow(table: LongTable, row: readonly WorkbookCell[], context: RowContext): RowOutcome | undefined {
  const rowNumber = row[0]?.row;
  const valueCell = cellAt(row, table.valueColumn);
  // A header row repeated below the first has a heading or nothing in the value column, never a figure: only such rows are asked.
  const mayBeHeader = valueCell === undefined || typeof valueCell.value === 'string';
  if (rowNumber === undefined || (mayBeHeader && tableHeader(row)) || isNoteRow(row)) return undefined;
  const identifiers: WorkbookCell[] = [];
  for (const column of table.identifierColumns) {
    const cell = filledAt(row, column);
    if (cell) identifiers.push(cell);
  }
  const first = identifiers[0];
  if (!first) return isBlank(valueCell?.value) ? undefined : rowProblem('indicator.unknown', () => unnamedRow(table, rowNumber));
  const named = firstMatch(identifiers, context);
  if (!named) {
    return isSectionHeading(first, valueCell) ? undefined : rowProblem('indicator.unknown', () => unknownIndicator(table, first, context));
  }
  const { indicator } = named.match;
  if (indicator.department !== context.department.id) {
    return rowProblem('indicator.other_department', () => otherDepartment(table, named.cell, indicator, context));
  }
  const address = cellAddress(rowNumber, table.valueColumn);
  const reading = readValue({
    sheet: table.sheet,
    address,
    cell: valueCell,
    unit: context.catalog.unit(indicator.unit),
    units: unitStatements(table, row, named, context),
  });
  const periodCell = filledAt(row, table.periodColumn);
  return { indicator, sheet: table.sheet, cell: address, reading, ...(periodCell ? { periodCell: { cell: periodCell, table } } : {}) };
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

function readWideRow(table: WideTable, row: readonly WorkbookCell[], columns: readonly WideColumn[], context: RowContext): RowOutcome[] {
  const rowNumber = row[0]?.row;
  const periodCell = filledAt(row, table.periodColumn);
  const given = columns.filter(({ column }) => filledAt(row, column) !== undefined);
  if (rowNumber === undefined || given.length === 0 || isNoteRow(row) || isSummaryRow(row)) return [];
  if (!periodCell) return [rowProblem('period.missing', () => undatedRow(table, rowNumber, context))];
  return columns.map(({ column, named }) => {
    const { indicator } = named.match;
    const address = cellAddress(rowNumber, column);
    const reading = readValue({
      sheet: table.sheet,
      address,
      cell: cellAt(row, column),
      unit: context.catalog.unit(indicator.unit),
      units: bracketUnit(named, context),
    });
    return { indicator, sheet: table.sheet, cell: address, reading, periodCell: { cell: periodCell, table } };
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
  return {
    read: (row, give) => {
      const outcome = readRow(table, row, context);
      if (outcome) give(outcome);
    },
    end: () => [],
  };
}

/** Each month's row as one figure per indicator column; a problem for each column it cannot attribute comes first. */
function wideTableReader(table: WideTable, context: RowContext): TableReader {
  const headings = table.headings.map((cell) => ({ cell, named: firstMatch([cell], context) }));
  const columns = wideColumns(headings, context);
  const unnamed = new Set(headings.filter(({ cell, named }) => !named && !isNotFigureHeading(cell)).map(({ cell }) => cell.column));
  const numbered = new Set<number>();
  return {
    read: (row, give) => {
      for (const cell of row) if (typeof cell.value === 'number' && unnamed.has(cell.column)) numbered.add(cell.column);
      for (const outcome of readWideRow(table, row, columns, context)) give(outcome);
    },
    end: () => headingProblems(table, headings, numbered, context),
  };
}

export function tableReader(table: DataTable, context: RowContext): TableReader {
  return table.layout === 'long' ? longTableReader(table, context) : wideTableReader(table, context);
}
