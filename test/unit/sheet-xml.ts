/**
 * Edits of a worksheet's XML (withSheetXml, test/corpus/writers.ts) for the few bytes of XML (a merge over the whole
 * sheet, a column definition to column 1,000,000,000) that no workbook writer would produce on purpose.
 */
export { withSheetXml } from '../corpus/writers.js';

/** XML that goes after the sheet's cells (merges, validations), in the order the schema gives. */
export const afterCells = (xml: string, extra: string) => xml.replace('</sheetData>', `</sheetData>${extra}`);

/** Column definitions, which go before the cells; replaces any the sheet had. */
export const withColumns = (xml: string, cols: string) => xml.replace(/<cols>.*?<\/cols>/s, '').replace('<sheetData', `<cols>${cols}</cols><sheetData`);

/** What an attack writes into a few bytes: each expands to millions of objects once exceljs opens the workbook whole. */
export const EXPANDING_SHEETS = {
  'a merge over the whole sheet': (xml: string) => afterCells(xml, '<mergeCells count="1"><mergeCell ref="E1:XFD1048576"/></mergeCells>'),
  'a merge over one full column': (xml: string) => afterCells(xml, '<mergeCells count="1"><mergeCell ref="E1:E1048576"/></mergeCells>'),
  'a column definition up to column 1,000,000,000': (xml: string) => withColumns(xml, '<col min="1" max="1000000000" width="9" customWidth="1"/>'),
  'a data validation over the whole sheet': (xml: string) =>
    afterCells(xml, '<dataValidations count="1"><dataValidation type="whole" sqref="A1:XFD1048576"><formula1>0</formula1></dataValidation></dataValidations>'),
} as const;
