import { catalog } from '../shared/catalog/catalog.js';
import { buildReport } from '../shared/snapshot/index.js';
import { PERIOD, submission, yearOfFigures } from './fixtures.js';

/** The department whose workbook for the month arrived, just after midnight on 1 December in the district. */
export const REPORTING_DEPARTMENT = 'science';
export const UPLOADED_AT = '2026-11-30T17:51:00.000Z';

/** A month of the shipped catalog with a year of figures, one department reported and the others not. */
export const reportMonth = () =>
  buildReport({
    catalog,
    period: PERIOD,
    observations: yearOfFigures(catalog, PERIOD),
    submissions: [{ ...submission(REPORTING_DEPARTMENT, PERIOD), uploadedAt: UPLOADED_AT }],
  });
