import ExcelJS from 'exceljs';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Period } from '../../shared/calendar.js';
import type { Figure } from '../../shared/workbook/submission.js';
import { buildTemplate, TEMPLATE } from '../../shared/workbook/template.js';

/**
 * The science template made for 2026-10 and filled in, as a clerk's office suite saves it: the workbook the
 * reused-template corpus cases, the LibreOffice round trip and its committed sample all start from.
 */

export const MADE_FOR: Period = '2026-10';

interface Typed {
  indicator: string;
  typed: ExcelJS.CellValue;
  numFmt?: string;
  value: number | boolean;
  unit: string;
}

/** Every science indicator, in the template's order: a percent-formatted cell, a plain percentage, whole numbers, decimals, a milestone. */
const TYPED: Typed[] = [
  { indicator: 'sci.rd_intensity', typed: 0.0215, numFmt: '0.00%', value: 2.15, unit: 'percent' },
  { indicator: 'sci.rd_intensity_city_avg', typed: 2.4, value: 2.4, unit: 'percent' },
  { indicator: 'sci.national_incubators', typed: 1, value: 1, unit: 'count' },
  { indicator: 'sci.new_innovation_platforms', typed: 3, value: 3, unit: 'count' },
  { indicator: 'sci.bayu_craftsmen', typed: 120, value: 120, unit: 'persons' },
  { indicator: 'sci.st_commissioners', typed: 25, value: 25, unit: 'persons' },
  { indicator: 'sci.tech_managers', typed: 2, value: 2, unit: 'persons' },
  { indicator: 'sci.patents_per_100m_revenue', typed: 1.2, value: 1.2, unit: 'patents_per_100m_cny_revenue' },
  { indicator: 'sci.patents_per_10k_residents', typed: 8.5, value: 8.5, unit: 'patents_per_10k_residents' },
  { indicator: 'sci.tech_contract_turnover', typed: 3.25, value: 3.25, unit: 'cny_100m' },
  { indicator: 'sci.incentive_app_rollout', typed: '是', value: true, unit: 'done' },
];

const rowOf = (index: number) => TEMPLATE.rows.firstIndicator + index;

export interface Filling {
  /** The month typed into the period cell; the template's own month when left out. */
  period?: Period;
  /** Whether the title's cached result follows the new month, as Excel, WPS and LibreOffice save it once they recalculate. */
  recalculated?: boolean;
}

export async function filledTemplate({ period = MADE_FOR, recalculated = false }: Filling = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await buildTemplate(catalog, 'science', MADE_FOR)) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  if (!sheet) throw new Error(`the template has no sheet ${TEMPLATE.dataSheet}`);
  if (catalog.indicatorsOf('science').some((indicator, index) => TYPED[index]?.indicator !== indicator.id)) {
    throw new Error('the science indicators are no longer those typed here');
  }
  TYPED.forEach(({ typed, numFmt }, index) => {
    const cell = sheet.getCell(rowOf(index), TEMPLATE.columns.value);
    cell.value = typed;
    // A loaded workbook's cells share their style objects: a copy keeps the format to this cell.
    if (numFmt) cell.style = { ...cell.style, numFmt };
  });
  sheet.getCell(TEMPLATE.rows.period, 2).value = period;
  const title = sheet.getCell(TEMPLATE.rows.title, 1);
  if (recalculated && typeof title.formula === 'string' && typeof title.result === 'string') {
    title.value = { formula: title.formula, result: title.result.replaceAll(MADE_FOR, period) };
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The figures the filled template gives for the month in its period cell. */
export function filledFigures(period: Period = MADE_FOR): Figure[] {
  return TYPED.map(({ indicator, value, unit }, index) => ({ indicator, period, value, unit, sheet: TEMPLATE.dataSheet, cell: `E${rowOf(index)}` }));
}
