import type { Catalog } from '../../shared/catalog/catalog.js';
import type { Period } from '../../shared/calendar.js';
import type { RuledFigure } from '../../shared/workbook/rules.js';
import type { Figure } from '../../shared/workbook/submission.js';

/**
 * What a corpus case is and the outcome expected of it, shared by the case files: cases.ts (how clerks fill the
 * template) and one file per kind of writer or layout (cases-*.ts). corpus.ts puts them together.
 */

export interface Located {
  code: string;
  sheet: string | null;
  cell: string | null;
}

/** A figure as parseSubmission gives it: canonical value and unit, the clerk's sheet and cell. */
export type ExpectedFigure = Figure;

export interface ExpectedOutcome {
  status: 'accepted' | 'rejected';
  period: Period | null;
  figures: ExpectedFigure[];
  errors: Located[];
  /** Every warning but `indicator.not_listed`, which each partial upload raises for the indicators it leaves out. */
  warnings: Located[];
}

/** The parts of reading a file that the corpus covers, each by at least one case. */
export const COVERS = ['finding the table', 'layouts', 'headers and indicators', 'values', 'periods', 'rules', 'hostile files', 'writers'] as const;

export interface CorpusCase {
  name: string;
  covers: (typeof COVERS)[number];
  department: string;
  fileName: string;
  bytes: () => Promise<Uint8Array>;
  /** Figures already stored for the department. */
  previous?: RuledFigure[];
  catalog?: Catalog;
  expected: ExpectedOutcome;
}

/** The month the corpus is read in. */
export const CURRENT_PERIOD: Period = '2026-12';

export const SHEET = '报表';
export const TITLE = '大足区科技局2026年11月科技创新指标报表';
export const HEADER = ['指标', '单位', '数值'];

export function figure(indicator: string, value: number | boolean, unit: string, cell: string, period: Period = '2026-11', sheet = SHEET): ExpectedFigure {
  return { indicator, period, value, unit, sheet, cell };
}

export function at(code: string, cell: string | null = null, sheet: string | null = SHEET): Located {
  return { code, sheet, cell };
}

export function accepted(figures: ExpectedFigure[], warnings: Located[] = [], period: Period | null = '2026-11'): ExpectedOutcome {
  return { status: 'accepted', period, figures, errors: [], warnings };
}

export function rejected(errors: Located[], rest: Partial<ExpectedOutcome> = {}): ExpectedOutcome {
  return { status: 'rejected', period: null, figures: [], warnings: [], ...rest, errors };
}

/** A file refused before any sheet is read. */
export function refused(code: string): ExpectedOutcome {
  return rejected([at(code, null, null)]);
}

/** A case as written in the case files: most are the science department's, uploaded as report.xlsx. */
export type CaseInput = Omit<CorpusCase, 'department' | 'fileName'> & Partial<Pick<CorpusCase, 'department' | 'fileName'>>;

export function corpusCases(inputs: readonly CaseInput[]): CorpusCase[] {
  return inputs.map((input) => ({ department: 'science', fileName: 'report.xlsx', ...input }));
}
