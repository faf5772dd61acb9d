import type { Catalog } from '../catalog/catalog.js';
import { noteField, type Observation } from '../observation.js';
import type { Period } from '../calendar.js';
import { WorkbookFormatError, type Problem } from '../problem.js';
import { uploadFolder } from '../s3-keys.js';
import { problemAt } from '../workbook/problems.js';
import { readWorkbook, type ReadLimits } from '../workbook/read.js';
import { readSubmission, type Figure } from '../workbook/submission.js';

/** The verdict on one workbook, in the shape of the CLI contract and the import summary. */
export interface Assessment {
  status: 'accepted' | 'rejected';
  /** Whether the file got past the container checks and was read as a workbook: only then may it be opened again to annotate. */
  workbookRead: boolean;
  department: string;
  period: Period | null;
  /** Accepted figures in canonical units, with the cell each came from. */
  figures: Figure[];
  errors: Problem[];
  warnings: Problem[];
  /** Rows holding any value that were read; 0 when the file was refused before its sheets were read. */
  rowsRead: number;
}

function rejected(department: string, problem: Problem): Assessment {
  return { status: 'rejected', workbookRead: false, department, period: null, figures: [], errors: [problem], warnings: [], rowsRead: 0 };
}

/** The refusal of an upload into a folder that names no department, which says where to upload instead. */
function unknownDepartment(catalog: Catalog, department: string): Assessment | undefined {
  if (catalog.department(department)) return undefined;
  const folders = catalog.departments.map((d) => uploadFolder(d.id)).join(', ');
  return rejected(
    department,
    problemAt('upload.unknown_department', null, null, {
      zh: `“${department}”不是部门，可用的文件夹：${folders}`,
      en: `"${department}" is not a department; the folders are ${folders}`,
    }),
  );
}

/** The verdict on a file refused without reading it as a workbook: the folder's own problem first, if it names no department. */
export function refusedUpload(catalog: Catalog, department: string, problem: Problem): Assessment {
  return unknownDepartment(catalog, department) ?? rejected(department, problem);
}

/** A file's refusal as the problem its report lists. */
export function problemOf(error: WorkbookFormatError): Problem {
  return { sheet: null, cell: null, code: error.code, message: error.message };
}

/**
 * Reads and validates a workbook for a department without writing anything.
 * Every problem with the file becomes an error in the assessment, never an exception:
 * exceptions are left for what is not the clerk's doing (storage down, a bug).
 */
export async function assessWorkbook(input: {
  catalog: Catalog;
  bytes: Uint8Array;
  fileName: string;
  department: string;
  currentPeriod: Period;
  /** Defaults to DEFAULT_READ_LIMITS for whatever is not given. */
  limits?: Partial<ReadLimits>;
  /** The department's stored figures, for the rules that compare with earlier months. */
  previous?: readonly Observation[];
}): Promise<Assessment> {
  const { catalog, bytes, fileName, department, currentPeriod, limits, previous } = input;
  const refused = unknownDepartment(catalog, department);
  if (refused) return refused;
  let parsed;
  try {
    // The workbook is read as it streams: a file past a limit or damaged is refused from the row where it shows.
    const sheets = readWorkbook(bytes, limits, { fileName });
    parsed = await readSubmission({ sheets, catalog, department, fileName, currentPeriod, ...(previous ? { previous } : {}) });
  } catch (error) {
    if (error instanceof WorkbookFormatError) return rejected(department, problemOf(error));
    throw error;
  }
  return {
    status: parsed.errors.length === 0 ? 'accepted' : 'rejected',
    workbookRead: true,
    department,
    period: parsed.period,
    figures: parsed.errors.length === 0 ? parsed.figures : [],
    errors: parsed.errors,
    warnings: parsed.warnings,
    rowsRead: parsed.rowsRead,
  };
}

/** The assessment as the CLI contract prints it: figures without their cells. */
export type ImportSummary = ReturnType<typeof assessmentJson>;

export function assessmentJson(assessment: Assessment) {
  const { status, department, period, figures, errors, warnings } = assessment;
  return {
    status,
    department,
    period,
    observations: figures.map(({ indicator, period, value, unit, note }) => ({ indicator, period, value, unit, ...noteField(note) })),
    errors,
    warnings,
  };
}
