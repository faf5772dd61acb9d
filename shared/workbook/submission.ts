import type { Catalog } from '../catalog/catalog.js';
import type { Period } from '../period.js';
import type { Problem } from '../problem.js';
import { departmentOf } from './department.js';
import { indexIndicators, indicatorNames } from './indicators.js';
import { problemAt, type BilingualText } from './problems.js';
import { readReportingPeriod } from './reporting-period.js';
import { readTableRows, type FigureRow, type RowContext, type RowOutcome } from './rows.js';
import type { WorkbookSheets } from './sheet.js';
import { findTables } from './table.js';

/** One figure read from the workbook, in the catalog's canonical unit, with the cell it came from. */
export interface Figure {
  indicator: string;
  period: Period;
  value: number | boolean;
  /** The catalog unit id. */
  unit: string;
  sheet: string;
  cell: string;
}

/**
 * What a workbook says. Figures are listed even when there are errors, so that a caller
 * may show them; a submission with any error must not be stored.
 */
export interface ParsedSubmission {
  period: Period | null;
  figures: Figure[];
  errors: Problem[];
  warnings: Problem[];
}

export interface SubmissionInput {
  sheets: WorkbookSheets;
  catalog: Catalog;
  /** The department whose folder the file was uploaded to. */
  department: string;
  fileName: string;
  /** The month now: a later period cannot have been reported yet. */
  currentPeriod: Period;
}

/** A row that gave a value. */
type GivenFigure = FigureRow & { value: number | boolean };

function shown(value: number | boolean): BilingualText {
  if (typeof value === 'number') return { zh: String(value), en: String(value) };
  return value ? { zh: '是', en: 'done' } : { zh: '否', en: 'not done' };
}

function duplicate(earlier: GivenFigure, later: GivenFigure): Problem {
  const [before, now] = [shown(earlier.value), shown(later.value)];
  const where = `${earlier.sheet}!${earlier.cell}`;
  return problemAt('indicator.duplicate', later.sheet, later.cell, {
    zh: `${indicatorNames(later.indicator).zh} 已在 ${where} 填为 ${before.zh}，此处为 ${now.zh}，请只保留一行`,
    en: `${indicatorNames(later.indicator).en} is already given as ${before.en} in ${where}, here ${now.en}; keep only one row`,
  });
}

function notReported(rows: readonly FigureRow[]): Problem[] {
  const answered = new Set(rows.filter((row) => row.reading.outcome !== 'missing').map((row) => row.indicator.id));
  const blanks = new Map<string, FigureRow>();
  for (const row of rows) {
    if (!answered.has(row.indicator.id) && !blanks.has(row.indicator.id)) blanks.set(row.indicator.id, row);
  }
  return [...blanks.values()].map((row) =>
    problemAt('value.missing', row.sheet, row.cell, {
      zh: `${indicatorNames(row.indicator).zh}未填写，如有数据请在此填写`,
      en: `${indicatorNames(row.indicator).en} has no value; type it here if you have the figure`,
    }),
  );
}

function notListed(rows: readonly FigureRow[], context: RowContext): Problem[] {
  const listed = new Set(rows.map((row) => row.indicator.id));
  return context.catalog
    .indicatorsOf(context.department.id)
    .filter((indicator) => !listed.has(indicator.id))
    .map((indicator) =>
      problemAt('indicator.not_listed', null, null, {
        zh: `${indicatorNames(indicator).zh}不在表中，如需报送请按模板添加该行`,
        en: `${indicatorNames(indicator).en} is not in the workbook; add its row as in the template to report it`,
      }),
    );
}

/** The first value given for each indicator, and an error for every later row that gives a different one. */
function firstValues(rows: readonly RowOutcome[]): { values: GivenFigure[]; errors: Problem[] } {
  const values = new Map<string, GivenFigure>();
  const errors: Problem[] = [];
  for (const row of rows) {
    if ('problem' in row) errors.push(row.problem);
    else if (row.reading.outcome === 'problem') errors.push(row.reading.problem);
    else if (row.reading.outcome === 'value') {
      const figure = { ...row, value: row.reading.value };
      const earlier = values.get(row.indicator.id);
      if (!earlier) values.set(row.indicator.id, figure);
      else if (earlier.value !== figure.value) errors.push(duplicate(earlier, figure));
    }
  }
  return { values: [...values.values()], errors };
}

function figureOf({ indicator, value, sheet, cell }: GivenFigure, period: Period): Figure {
  return { indicator: indicator.id, period, value, unit: indicator.unit, sheet, cell };
}

/**
 * Reads a department's monthly workbook: finds its table and reporting period, recognises each row's
 * indicator and reads its value in the catalog's canonical unit, reporting every problem at its cell.
 * Throws UnknownDepartmentError when the department is not in the catalog.
 */
export function parseSubmission(input: SubmissionInput): ParsedSubmission {
  const { sheets, catalog, fileName, currentPeriod } = input;
  const department = departmentOf(catalog, input.department);
  const tables = findTables(sheets);
  if (tables.length === 0) {
    return { period: null, figures: [], errors: [problemAt('sheet.no_table', null, null)], warnings: [] };
  }
  const context: RowContext = { catalog, index: indexIndicators(catalog), department };
  const reporting = readReportingPeriod({ tables, fileName, department: department.id, currentPeriod });
  const rows = tables.flatMap((table) => readTableRows(table, context));
  const figureRows = rows.filter((row): row is FigureRow => !('problem' in row));
  const { values, errors } = firstValues(rows);
  // A workbook with nothing filled in is a mistake, not a month in which nothing happened.
  const empty = values.length === 0 && errors.length === 0 ? [problemAt('sheet.no_figures', tables[0]?.sheet ?? null, null)] : [];
  const { period } = reporting;
  return {
    period,
    figures: period === null ? [] : values.map((given) => figureOf(given, period)),
    errors: [...reporting.errors, ...errors, ...empty],
    warnings: [...notReported(figureRows), ...notListed(figureRows, context)],
  };
}
