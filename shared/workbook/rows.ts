import type { Catalog, Department, Indicator } from '../catalog/catalog.js';
import type { Problem } from '../problem.js';
import { departmentOf, uploadFolder } from './department.js';
import { indicatorNames, matchIndicator, nearestIndicators, type IndicatorIndex, type IndicatorMatch } from './indicators.js';
import { problemAt } from './problems.js';
import { cellAddress, type WorkbookCell } from './sheet.js';
import { tableHeader, type DataTable } from './table.js';
import { cellText, isBlank, normaliseText } from './text.js';
import { readValue, unitFactor, type UnitStatement, type ValueReading } from './value.js';

export interface RowContext {
  catalog: Catalog;
  index: IndicatorIndex;
  /** The department whose folder the workbook was uploaded to. */
  department: Department;
}

/** A row naming one of the department's indicators, and what its value cell holds. */
export interface FigureRow {
  indicator: Indicator;
  sheet: string;
  /** The value cell's address. */
  cell: string;
  reading: ValueReading;
}

export type RowOutcome = FigureRow | { problem: Problem };

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

function isNoteRow(row: readonly WorkbookCell[]): boolean {
  const [first] = row;
  return typeof first?.value === 'string' && NOTE_ROW.test(normaliseText(first.value));
}

function isSectionHeading(name: WorkbookCell, value: WorkbookCell | undefined): boolean {
  return SECTION_HEADING.test(normaliseText(cellText(name.value))) && isBlank(value?.value);
}

function unknownIndicator(table: DataTable, cell: WorkbookCell, context: RowContext): Problem {
  const text = cellText(cell.value);
  const nearest = nearestIndicators(text, context.catalog.indicatorsOf(context.department.id)).map(indicatorNames);
  const [zh, en] = [nearest.map((name) => name.zh).join('、'), nearest.map((name) => name.en).join(', ')];
  return problemAt('indicator.unknown', table.sheet, cell.address, {
    zh: `“${text}”不在指标目录中，最接近的是：${zh}；请使用模板中的指标编号或名称`,
    en: `'${text}' is not in the indicator catalog; nearest: ${en}; use the ID or name from the template`,
  });
}

function unnamedRow(table: DataTable, row: number): Problem {
  return problemAt('indicator.unknown', table.sheet, cellAddress(row, table.identifierColumns[0]), {
    zh: `第 ${row} 行有数值但没有指标，请填写指标编号或名称，或删除该行`,
    en: `row ${row} has a value but no indicator; type the indicator ID or name, or delete the row`,
  });
}

function otherDepartment(table: DataTable, cell: WorkbookCell, indicator: Indicator, context: RowContext): Problem {
  const owner = departmentOf(context.catalog, indicator.department);
  const folder = uploadFolder(owner.id);
  const name = indicatorNames(indicator);
  return problemAt('indicator.other_department', table.sheet, cell.address, {
    zh: `${name.zh}属于${owner.zh}，不属于${context.department.zh}；请删除此行，或上传到 ${folder}`,
    en: `${name.en} belongs to ${owner.en}, not ${context.department.en}; delete this row or upload it to ${folder}`,
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
function unitStatements(table: DataTable, row: readonly WorkbookCell[], named: NamedRow, context: RowContext): UnitStatement[] {
  const unit = context.catalog.unit(named.match.indicator.unit);
  const column = row.find((cell) => cell.column === table.unitColumn);
  const { bracket } = named.match;
  const header = table.valueHeaderUnit;
  return [
    ...(column && !isBlank(column.value) ? [{ label: cellText(column.value), cell: column.address }] : []),
    ...(bracket !== undefined && isUnitWord(context.catalog, bracket) ? [{ label: bracket, cell: named.cell.address }] : []),
    ...(header && unitFactor(unit, header.label) !== undefined ? [header] : []),
  ];
}

/** The id column is tried first, then the name columns: a mistyped id does not hide a correct name. */
function firstMatch(cells: readonly WorkbookCell[], context: RowContext): NamedRow | undefined {
  for (const cell of cells) {
    const match = matchIndicator(context.index, cellText(cell.value), context.department.id);
    if (match) return { match, cell };
  }
  return undefined;
}

function readRow(table: DataTable, row: readonly WorkbookCell[], context: RowContext): RowOutcome | undefined {
  const rowNumber = row[0]?.row;
  if (rowNumber === undefined || tableHeader(row) || isNoteRow(row)) return undefined;
  const valueCell = row.find((cell) => cell.column === table.valueColumn);
  const identifiers = table.identifierColumns.flatMap((column) => row.filter((cell) => cell.column === column && !isBlank(cell.value)));
  const [first] = identifiers;
  if (!first) return isBlank(valueCell?.value) ? undefined : { problem: unnamedRow(table, rowNumber) };
  const named = firstMatch(identifiers, context);
  if (!named) return isSectionHeading(first, valueCell) ? undefined : { problem: unknownIndicator(table, first, context) };
  const { indicator } = named.match;
  if (indicator.department !== context.department.id) return { problem: otherDepartment(table, named.cell, indicator, context) };
  const address = cellAddress(rowNumber, table.valueColumn);
  const reading = readValue({
    sheet: table.sheet,
    address,
    cell: valueCell,
    unit: context.catalog.unit(indicator.unit),
    units: unitStatements(table, row, named, context),
  });
  return { indicator, sheet: table.sheet, cell: address, reading };
}

/** Each row below the table's header, as a figure or a problem; blank, note and heading rows give nothing. */
export function readTableRows(table: DataTable, context: RowContext): RowOutcome[] {
  return table.body.map((row) => readRow(table, row, context)).filter((outcome) => outcome !== undefined);
}
