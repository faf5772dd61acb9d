import type { WorkbookCell, WorkbookSheet, WorkbookSheets } from './sheet.js';
import { containsKeyword, splitTrailingBracket } from './text.js';

type ColumnRole = 'id' | 'name' | 'value' | 'unit';

/** Tried in this order, so that "指标编号" is an id column before "指标" could make it a name column. */
const HEADER_KEYWORDS: readonly (readonly [ColumnRole, readonly string[]])[] = [
  ['id', ['指标编号', '指标代码', '编号', '代码', 'indicator id', 'id', 'code']],
  [
    'value',
    ['数值', '指标值', '本月数', '本月值', '本期数', '本期值', '填报数', '填报值', '完成数', '完成值', '实际值', 'value', 'amount'],
  ],
  ['unit', ['计量单位', '单位', 'unit']],
  ['name', ['指标名称', '指标', '名称', '项目', 'indicator', 'item', 'name']],
];

/** A table of figures found on a sheet: a header row naming the columns, rows of figures below it. */
export interface DataTable {
  sheet: string;
  /** Columns that may name the indicator, the id column first; there is always one. */
  identifierColumns: [number, ...number[]];
  valueColumn: number;
  /** A unit in brackets in the value header ("数值（万元）") and the header cell holding it. */
  valueHeaderUnit?: { label: string; cell: string };
  unitColumn?: number;
  /** Rows above the header: title, department and period lines. */
  above: WorkbookCell[][];
  /** Rows below the header: figures, with blank and note rows among them. */
  body: WorkbookCell[][];
}

type TableHeader = Pick<DataTable, 'identifierColumns' | 'valueColumn' | 'valueHeaderUnit' | 'unitColumn'>;

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

/** A header row names, in separate cells, at least one column that identifies the indicator and a value column. */
export function tableHeader(row: readonly WorkbookCell[]): TableHeader | undefined {
  const headers = row.map(headerCell).filter((header) => header !== undefined);
  const value = headers.find((header) => header.role === 'value');
  const [first, ...others] = [
    ...headers.filter((header) => header.role === 'id'),
    ...headers.filter((header) => header.role === 'name'),
  ].map((header) => header.cell.column);
  if (!value || first === undefined) return undefined;
  const unit = headers.find((header) => header.role === 'unit');
  return {
    identifierColumns: [first, ...others],
    valueColumn: value.cell.column,
    ...(value.bracket ? { valueHeaderUnit: { label: value.bracket, cell: value.cell.address } } : {}),
    ...(unit ? { unitColumn: unit.cell.column } : {}),
  };
}

function tableOf(sheet: WorkbookSheet): DataTable | undefined {
  for (const [index, row] of sheet.rows.entries()) {
    const header = tableHeader(row);
    if (header) return { sheet: sheet.name, ...header, above: sheet.rows.slice(0, index), body: sheet.rows.slice(index + 1) };
  }
  return undefined;
}

/** The first table of each sheet that has one; sheets without (instructions, lookups) are left out. */
export function findTables(sheets: WorkbookSheets): DataTable[] {
  return sheets.map(tableOf).filter((table) => table !== undefined);
}
