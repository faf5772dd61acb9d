import { earliestBaselinePeriod, type Catalog } from '../catalog/catalog.js';
import type { Period } from '../calendar.js';
import { problemOf, type Finding, type Problem } from '../problem.js';
import { noteField } from '../observation.js';
import { departmentOf } from './department.js';
import { indexIndicators, indicatorMatcher, indicatorNames } from './indicators.js';
import { problemAt, severityOf, type BilingualText } from './problems.js';
import { listFindings, ProblemTally, sumCounts } from './listing.js';
import { RepeatedRows } from './repeats.js';
import { keepAbove, missingPeriod, readReportingPeriod, rowPeriod, type MonthBounds, type ReportingPeriod, type RowsAbove } from './reporting-period.js';
import { tableReader, type FigureRow, type RowContext, type RowOutcome, type TableReader } from './rows.js';
import { checkRules, type RuledFigure } from './rules.js';
import { cumulativeMismatches, isSummed, type CumulativeRow, type SummedRow } from './cumulative.js';
import type { SheetInfo, StreamedSheet, WorkbookCell, WorkbookSheet } from './sheet.js';
import { excerpt } from './text.js';
import { noteFigureSigns, tableAt, type DataTable, type FigureSigns, type NamesIndicator } from './table.js';

/** One figure read from the workbook, in the catalog's canonical unit, with the cell it came from. */
export interface Figure {
  indicator: string;
  period: Period;
  value: number | boolean;
  /** The catalog unit id. */
  unit: string;
  sheet: string;
  cell: string;
  /** The clerk's note on the figure's row (备注, 进展说明), at most NOTE_LENGTH characters; absent when blank. */
  note?: string;
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
  /** Rows holding any value, on every sheet, hidden ones included: what the reader went through. */
  rowsRead: number;
}

export interface SubmissionInput {
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
  const sheet = excerpt(earlier.sheet);
  return problemAt('indicator.duplicate', later.sheet, later.cell, {
    zh: `${indicatorNames(later.indicator).zh} ${later.period} 已在 ${sheet.zh}!${earlier.cell} 填为 ${before.zh}，此处为 ${now.zh}，请只保留一个`,
    en: `${indicatorNames(later.indicator).en} for ${later.period} is already given as ${before.en} in ${sheet.en}!${earlier.cell}, here ${now.en}; keep only one`,
  });
}

/**
 * What the warnings about indicators left blank or out need of every row naming an indicator, kept as rows are
 * read: a few entries per indicator, however many rows there are.
 */
interface RowsSeen {
  listed: Set<string>;
  /** Indicators some row gives a value for, or a value that is wrong. */
  answered: Set<string>;
  /** The first blank row of each indicator, in row order. */
  blanks: Map<string, FigureRow>;
  /** Whether any row gives a value. */
  value: boolean;
  /** Whether any row has no period cell of its own, so needs the workbook's. */
  undated: boolean;
}

function noteRow(seen: RowsSeen, row: FigureRow): void {
  const { id } = row.indicator;
  seen.listed.add(id);
  if (row.reading.outcome !== 'missing') seen.answered.add(id);
  else if (!seen.blanks.has(id)) seen.blanks.set(id, row);
  seen.value ||= row.reading.outcome === 'value';
  seen.undated ||= !row.periodCell;
}

function notReported(seen: RowsSeen): Problem[] {
  return [...seen.blanks.values()]
    .filter((row) => !seen.answered.has(row.indicator.id))
    .map((row) =>
      problemAt('value.missing', row.sheet, row.cell, {
        zh: `${indicatorNames(row.indicator).zh}未填写，如有数据请在此填写`,
        en: `${indicatorNames(row.indicator).en} has no value; type it here if you have the figure`,
      }),
    );
}

function notListed(seen: RowsSeen, context: RowContext): Problem[] {
  return context.catalog
    .indicatorsOf(context.department.id)
    .filter((indicator) => !seen.listed.has(indicator.id))
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
 * is refused once, pointing at where the month should be stated; so is a row without a month of its own
 * when the workbook states none, even a row whose value is wrong, so that every problem is reported at once.
 */
function datedValues(rows: readonly Exclude<RowOutcome, CumulativeRow>[], reporting: ReportingPeriod, undated: boolean, input: SubmissionInput & MonthBounds & { tables: readonly DataTable[] }): Dated {
  const values: GivenFigure[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    if ('problem' in row) problems.push(row.problem());
    else if (row.reading.outcome === 'problem') problems.push(row.reading.problem);
    else if (row.reading.outcome === 'value') {
      const dated = row.periodCell
        ? rowPeriod({ periodCell: row.periodCell, reporting, currentPeriod: input.currentPeriod, firstPeriod: input.firstPeriod })
        : { period: reporting.period, problems: [] };
      problems.push(...dated.problems);
      if (dated.period !== null) values.push({ ...row, value: row.reading.value, period: dated.period });
    }
  }
  if (undated && reporting.period === null && reporting.problems.length === 0) {
    problems.push(missingPeriod(input.tables[0]?.sheet ?? null, input.department, input.currentPeriod));
  }
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

function figureOf({ indicator, value, sheet, cell, period, note }: GivenFigure): Figure {
  return { indicator: indicator.id, period, value, unit: indicator.unit, sheet, cell, ...noteField(note) };
}

/** Errors reject the upload, warnings do not; which a rule's problem is, the catalog says. At most LISTED_PER_CODE of a code are listed. */
function bySeverity(catalog: Catalog, problems: readonly Problem[], findings: readonly Finding[], unlisted: ReadonlyMap<string, number>): Pick<ParsedSubmission, 'errors' | 'warnings'> {
  const severity = (code: string) => severityOf(code, catalog.severities);
  const all = listFindings([...problems.map((problem) => ({ ...problem, severity: severity(problem.code) })), ...findings], unlisted, severity);
  return {
    errors: all.filter((entry) => entry.severity === 'error').map(problemOf),
    warnings: all.filter((entry) => entry.severity === 'warning').map(problemOf),
  };
}

/** Reads one sheet's rows as they come: its rows above a table, then its table's rows. */
interface SheetReading {
  rows(rows: readonly WorkbookCell[][]): void;
  end(): void;
}

/** Reads a workbook a sheet at a time and a row at a time, keeping what the verdict needs and nothing of the cells. */
interface SubmissionReader {
  sheet(sheet: SheetInfo): SheetReading;
  result(): ParsedSubmission;
}

/**
 * Reads a department's workbook: finds its tables (a row per indicator, or a row per month; the first header row of
 * each visible sheet) and reporting period, recognises each indicator and reads its value in the catalog's canonical
 * unit, checks the catalog's rules, and reports every problem at its cell. What is kept as rows are read: the rows
 * above each header that state the period, each row's figure (copies of one past LISTED_PER_CODE + 1 counted), the
 * problems up to LISTED_PER_CODE of a code (the rest counted), and a few facts per indicator. Throws UnknownDepartmentError when the department is not in the catalog.
 */
function submissionReader(input: SubmissionInput): SubmissionReader {
  const { catalog, fileName, currentPeriod } = input;
  const department = departmentOf(catalog, input.department);
  const match = indicatorMatcher(indexIndicators(catalog), department.id);
  const namesIndicator: NamesIndicator = (text) => match(text) !== undefined;
  const context: RowContext = { catalog, match, department, currentPeriod };
  const firstPeriod = earliestBaselinePeriod(catalog);
  const tables: DataTable[] = [];
  const outcomes: Exclude<RowOutcome, CumulativeRow>[] = [];
  /** The flows' cumulatives, compared with their months once every row is read. */
  const cumulatives: SummedRow[] = [];
  const tally = new ProblemTally();
  const repeats = new RepeatedRows();
  const seen: RowsSeen = { listed: new Set(), answered: new Set(), blanks: new Map(), value: false, undated: false };
  const unreadable: Problem[] = [];
  /** Visible tabs whose cells are not in the file at all: named, so that no sheet is passed over without a word. */
  const notRead: Problem[] = [];
  let rowsRead = 0;

  /** A row's outcome is kept when it is a figure (but not the umpteenth copy of one: RepeatedRows) or a problem still listed; every figure row is noted. */
  function keep(outcome: RowOutcome): void {
    if ('summed' in outcome) {
      // At most one per cell, and the cells read are bounded (ReadLimits.maxCells).
      if (isSummed(outcome)) cumulatives.push(outcome);
      return;
    }
    if ('problem' in outcome) {
      if (tally.keeps(outcome.code)) outcomes.push(outcome);
      return;
    }
    noteRow(seen, outcome);
    const { reading } = outcome;
    if (reading.outcome === 'value' ? repeats.keeps(outcome, reading.value) : reading.outcome === 'problem' && tally.keeps(reading.problem.code)) {
      outcomes.push(outcome);
    }
  }

  function sheet(info: SheetInfo): SheetReading {
    const above: RowsAbove = { rows: [], year: false };
    const signs: FigureSigns = { number: false, indicatorName: false };
    let reader: TableReader | undefined;
    let first = 0;
    /** A row above the table, or its header: the first header row of a sheet starts its table. */
    function seek(cells: WorkbookCell[]): void {
      const table = tableAt(info, cells, above.rows, namesIndicator);
      if (table) {
        tables.push(table);
        reader = tableReader(table, context);
        first = outcomes.length;
        return;
      }
      keepAbove(above, cells);
      noteFigureSigns(signs, cells, namesIndicator);
    }
    return {
      rows(rows) {
        for (const cells of rows) if (cells.length > 0) rowsRead++;
        // Hidden sheets are read to the end all the same, for the limits; a clerk cannot see, let alone check, what they hold.
        if (info.hidden) return;
        for (const cells of rows) {
          if (reader) reader.read(cells, keep);
          else seek(cells);
        }
      },
      end() {
        // Said of a whole column, so they come before its rows; one per column at most, so all are kept.
        if (reader) outcomes.splice(first, 0, ...reader.end());
        else if (info.hidden) return;
        else if (info.unread) notRead.push(problemAt('sheet.not_read', info.name, null));
        else if (signs.number && signs.indicatorName) unreadable.push(problemAt('sheet.unreadable', info.name, null));
      },
    };
  }

  function result(): ParsedSubmission {
    if (tables.length === 0) {
      // A tab that could not be read is why no table was found, or may be: the clerk is told which.
      return { period: null, periods: [], figures: [], errors: [problemAt('sheet.no_table', null, null)], warnings: notRead, rowsRead };
    }
    const reporting = readReportingPeriod({ tables, fileName, currentPeriod, firstPeriod });
    const dated = datedValues(outcomes, reporting, seen.undated, { ...input, firstPeriod, tables });
    const { values, problems } = firstValues(dated.values);
    const figures = values.map(figureOf);
    const findings = checkRules({ catalog, figures, ...(input.previous ? { previous: input.previous } : {}) });
    const periods = [...new Set(figures.map((figure) => figure.period))].sort();
    const period = reporting.period ?? periods.at(-1) ?? null;
    const sums = cumulativeMismatches({ catalog, cumulatives, figures: dated.values, previous: input.previous ?? [], reporting, period, currentPeriod, firstPeriod });
    // A workbook with nothing filled in is a mistake, not a month in which nothing happened.
    const empty = !seen.value && dated.problems.length === 0 ? [problemAt('sheet.no_figures', tables[0]?.sheet ?? null, null)] : [];
    const unlisted = sumCounts(tally.unlisted(), repeats.unlisted([...dated.problems, ...problems]));
    const { errors, warnings } = bySeverity(catalog, [...reporting.problems, ...dated.problems, ...problems, ...empty, ...sums], findings, unlisted);
    return {
      period,
      periods,
      figures,
      errors,
      warnings: [...warnings, ...notReported(seen), ...notListed(seen, context), ...unreadable, ...notRead],
      rowsRead,
    };
  }

  return { sheet, result };
}

/** The submission of a workbook whose sheets are held in memory whole. */
export function parseSubmission(input: SubmissionInput & { sheets: readonly WorkbookSheet[] }): ParsedSubmission {
  const reader = submissionReader(input);
  for (const sheet of input.sheets) {
    const reading = reader.sheet(sheet);
    reading.rows(sheet.rows);
    reading.end();
  }
  return reader.result();
}

/** The submission of a workbook read as it streams (readWorkbook): each sheet's rows are read before the next sheet. */
export async function readSubmission(input: SubmissionInput & { sheets: AsyncIterable<StreamedSheet> }): Promise<ParsedSubmission> {
  const reader = submissionReader(input);
  for await (const sheet of input.sheets) {
    const reading = reader.sheet(sheet);
    for await (const rows of sheet.rows) reading.rows(rows);
    reading.end();
  }
  return reader.result();
}
