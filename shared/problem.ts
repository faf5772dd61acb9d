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
