/**
 * The vocabulary of problems: what a problem is, how severe it can be, and the error a file that is no
 * workbook at all raises. The codes and their meanings are listed in shared/workbook/problems.ts.
 */

/** An error rejects the upload; a warning is reported beside accepted figures. */
export const SEVERITIES = ['error', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A problem found in an uploaded file, pointed at the clerk's own cell.
 * `code` is stable (documented in the README); `message` is Chinese then English.
 */
export interface Problem {
  sheet: string | null;
  cell: string | null;
  code: string;
  message: string;
}

/** A problem with its severity, as the annotated copy and the rules carry it. */
export interface Finding extends Problem {
  severity: Severity;
}

/** The problem alone, as the import report lists it under its errors or its warnings. */
export function problemOf({ sheet, cell, code, message }: Finding): Problem {
  return { sheet, cell, code, message };
}

/** A file that cannot be read as a workbook at all (not a workbook, corrupt, password-protected...). */
export class WorkbookFormatError extends Error {
  override readonly name = 'WorkbookFormatError';
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
