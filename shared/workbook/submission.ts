import type { Catalog } from '../catalog/catalog.js';
import type { Period } from '../calendar.js';
import type { Problem } from '../problem.js';
import { departmentOf } from './department.js';
import { indexIndicators, indicatorNames, matchIndicator } from './indicators.js';
import { problemAt, severityOf, type BilingualText } from './problems.js';
import { missingPeriod, readReportingPeriod, rowPeriod, type ReportingPeriod } from './reporting-period.js';
import { readTableRows, readWideRows, type FigureRow, type RowContext, type RowOutcome } from './rows.js';
import { checkRules, type Finding, type RuledFigure } from './rules.js';
import type { WorkbookSheets } from './sheet.js';
import { findTables, looksLikeFigures, type DataTable, type NamesIndicator } from './table.js';

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
  /** The month the workbook reports on: the one it states, else the latest of its figures. */
  period: Period | null;
  /** Every month the figures are for, oldest first; more than one when a wide table has a row per month. */
  periods: Period[];
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
  /**
   * The department's figures already stored up to the current month (ObservationRepository.observationsUpTo),
   * for the rules that compare months, such as a cumulative count that may not fall. Without them only the
   * upload's own months are compared.
   */
  previous?: readonly RuledFigure[];
}

/** A row that gave a value. */
type GivenFigure = FigureRow & { value: number | boolean; period: Period };

function shown(value: number | boolean): BilingualText {
  if (typeof value === 'number') return { zh: String(value), en: String(value) };
  return value ? { zh: '是', en: 'done' } : { zh: '否', en: 'not done' };
}

function duplicate(earlier: GivenFigure, later: GivenFigure): Problem {
  const [before, now] = [shown(earlier.value), shown(later.value)];
  const where = `${earlier.sheet}!${earlier.cell}`;
  return problemAt('indicator.duplicate', later.sheet, later.cell, {
    zh: `${indicatorNames(later.indicator).zh} ${later.period} 已在 ${where} 填为 ${before.zh}，此处为 ${now.zh}，请只保留一个`,
    en: `${indicatorNames(later.indicator).en} for ${later.period} is already given as ${before.en} in ${where}, here ${now.en}; keep only one`,
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

interface Dated {
  values: GivenFigure[];
  problems: Problem[];
}

/**
 * Each row's value with its month: its own period cell's, else the workbook's. A figure that has neither
 * is refused once, pointing at where the month should be stated.
 */
function datedValues(rows: readonly RowOutcome[], reporting: ReportingPeriod, input: SubmissionInput & { tables: readonly DataTable[] }): Dated {
  const values: GivenFigure[] = [];
  const problems: Problem[] = [];
  let undated = false;
  for (const row of rows) {
    if ('problem' in row) {
      problems.push(row.problem);
      continue;
    }
    // Said even of a row whose value is wrong, so that every problem is reported at once.
    undated ||= !row.periodCell && reporting.period === null;
    if (row.reading.outcome === 'problem') problems.push(row.reading.problem);
    else if (row.reading.outcome === 'value') {
      const dated = row.periodCell
        ? rowPeriod({ periodCell: row.periodCell, reporting, currentPeriod: input.currentPeriod })
        : { period: reporting.period, problems: [] };
      problems.push(...dated.problems);
      if (dated.period !== null) values.push({ ...row, value: row.reading.value, period: dated.period });
    }
  }
  if (undated && reporting.errors.length === 0) problems.push(missingPeriod(input.tables[0]?.sheet ?? null, input.department, input.currentPeriod));
  return { values, problems: dedupe(problems) };
}

/** A row's month cell is checked once per figure of the row; its problem is reported once. */
function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.sheet}!${problem.cell}:${problem.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first value given for each indicator and month, and an error for every later one that differs. */
function firstValues(given: readonly GivenFigure[]): { values: GivenFigure[]; problems: Problem[] } {
  const values = new Map<string, GivenFigure>();
  const problems: Problem[] = [];
  for (const figure of given) {
    const key = `${figure.indicator.id}@${figure.period}`;
    const earlier = values.get(key);
    if (!earlier) values.set(key, figure);
    else if (earlier.value !== figure.value) problems.push(duplicate(earlier, figure));
  }
  return { values: [...values.values()], problems };
}

function figureOf({ indicator, value, sheet, cell, period }: GivenFigure): Figure {
  return { indicator: indicator.id, period, value, unit: indicator.unit, sheet, cell };
}

function unreadableSheets(input: SubmissionInput, tables: readonly DataTable[], namesIndicator: NamesIndicator): Problem[] {
  const read = new Set(tables.map((table) => table.sheet));
  return input.sheets
    .filter((sheet) => !read.has(sheet.name) && looksLikeFigures(sheet, namesIndicator))
    .map((sheet) => problemAt('sheet.unreadable', sheet.name, null));
}

/** Errors reject the upload, warnings do not; which a rule's problem is, the catalog says. */
function bySeverity(catalog: Catalog, problems: readonly Problem[], findings: readonly Finding[]): Pick<ParsedSubmission, 'errors' | 'warnings'> {
  const all = [...problems.map((problem) => ({ problem, severity: severityOf(problem.code, catalog.severities) })), ...findings];
  return {
    errors: all.filter((entry) => entry.severity === 'error').map((entry) => entry.problem),
    warnings: all.filter((entry) => entry.severity === 'warning').map((entry) => entry.problem),
  };
}

/**
 * Reads a department's workbook: finds its tables (a row per indicator, or a row per month) and reporting
 * period, recognises each indicator and reads its value in the catalog's canonical unit, checks the catalog's
 * rules, and reports every problem at its cell. Throws UnknownDepartmentError when the department is not in the catalog.
 */
export function parseSubmission(input: SubmissionInput): ParsedSubmission {
  const { sheets, catalog, fileName, currentPeriod } = input;
  const department = departmentOf(catalog, input.department);
  const index = indexIndicators(catalog);
  const namesIndicator: NamesIndicator = (text) => matchIndicator(index, text, department.id) !== undefined;
  const tables = findTables(sheets, namesIndicator);
  if (tables.length === 0) {
    return { period: null, periods: [], figures: [], errors: [problemAt('sheet.no_table', null, null)], warnings: [] };
  }
  const context: RowContext = { catalog, index, department, currentPeriod };
  const reporting = readReportingPeriod({ tables, fileName, currentPeriod });
  const rows = tables.flatMap((table) => (table.layout === 'long' ? readTableRows(table, context) : readWideRows(table, context)));
  const figureRows = rows.filter((row): row is FigureRow => !('problem' in row));
  const dated = datedValues(rows, reporting, { ...input, tables });
  const { values, problems } = firstValues(dated.values);
  const figures = values.map(figureOf);
  const findings = checkRules({ catalog, figures, ...(input.previous ? { previous: input.previous } : {}) });
  // A workbook with nothing filled in is a mistake, not a month in which nothing happened.
  const answered = figureRows.some((row) => row.reading.outcome === 'value');
  const empty = !answered && dated.problems.length === 0 ? [problemAt('sheet.no_figures', tables[0]?.sheet ?? null, null)] : [];
  const periods = [...new Set(figures.map((figure) => figure.period))].sort();
  const { errors, warnings } = bySeverity(catalog, [...reporting.errors, ...dated.problems, ...problems, ...empty], findings);
  return {
    period: reporting.period ?? periods.at(-1) ?? null,
    periods,
    figures,
    errors,
    warnings: [...warnings, ...notReported(figureRows), ...notListed(figureRows, context), ...unreadableSheets(input, tables, namesIndicator)],
  };
}
