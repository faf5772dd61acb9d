import ExcelJS from 'exceljs';
import { z } from 'zod';
import figuresData from '../samples/figures.json' with { type: 'json' };
import type { Catalog } from '../shared/catalog/catalog.js';
import { isPeriod, type Period } from '../shared/calendar.js';
import { buildTemplate, TEMPLATE, templateFileName } from '../shared/workbook/template.js';

/** samples/figures.json: per department, per indicator, one figure per period (null: not reported). */
const sampleFiguresSchema = z.object({
  periods: z.array(z.string().refine(isPeriod)).min(1),
  departments: z.record(z.string(), z.record(z.string(), z.array(z.union([z.number(), z.boolean(), z.null()])))),
});

/** What a clerk types: numbers, text (a test may type something wrong), or done / not done. */
export type FigureValue = number | string | boolean;

export interface SampleWorkbook {
  department: string;
  period: Period;
  fileName: string;
  bytes: Uint8Array;
}

/** Fills the template's value cells as a clerk would: numbers as typed, milestones as 是/否. */
export async function fillTemplate(template: Uint8Array, values: ReadonlyMap<string, FigureValue>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  if (!sheet) throw new Error(`the template has no sheet "${TEMPLATE.dataSheet}"`);
  for (let row = TEMPLATE.rows.firstIndicator; row <= sheet.rowCount; row++) {
    const value = values.get(String(sheet.getCell(row, TEMPLATE.columns.id).value));
    if (value !== undefined) sheet.getCell(row, TEMPLATE.columns.value).value = typeof value === 'boolean' ? (value ? '是' : '否') : value;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export const samplePeriods = (): Period[] => sampleFiguresSchema.parse(figuresData).periods;

/** The sample workbooks, month by month; a department-month with no figure at all is not uploaded. */
export async function sampleWorkbooks(catalog: Catalog): Promise<SampleWorkbook[]> {
  const { periods, departments } = sampleFiguresSchema.parse(figuresData);
  const workbooks: SampleWorkbook[] = [];
  for (const [index, period] of periods.entries()) {
    for (const [department, series] of Object.entries(departments)) {
      const values = new Map(
        Object.entries(series).flatMap(([indicator, figures]) => {
          const figure = figures[index];
          return figure === null || figure === undefined ? [] : [[indicator, figure] as const];
        }),
      );
      if (values.size === 0) continue;
      const bytes = await fillTemplate(await buildTemplate(catalog, department, period), values);
      workbooks.push({ department, period, fileName: templateFileName(department, period), bytes });
    }
  }
  return workbooks;
}
