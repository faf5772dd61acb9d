import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Period } from '../../shared/calendar.js';
import { readWorkbook } from '../../shared/workbook/read.js';
import { readSubmission } from '../../shared/workbook/submission.js';
import { TEMPLATE } from '../../shared/workbook/template.js';
import { storedEntries } from '../corpus/build.js';
import { filledFigures, filledTemplate, MADE_FOR } from './filled-template.js';
import type { Saving } from './libreoffice.js';

/**
 * The template filled in, then saved by LibreOffice, and what must hold of the file it writes. Run on
 * LibreOffice itself by test/office (npm run test:office) and on its committed output by test/unit.
 */

/** Where LibreOffice's files are committed, for machines without it. */
export const SAMPLES_FOLDER = fileURLToPath(new URL('../../samples/office/', import.meta.url));
/** The LibreOffice the committed files were saved by. */
export const SAMPLES_VERSION = '7.4';

export interface RoundTrip extends Saving {
  name: string;
  /** The month typed into the period cell before LibreOffice saves the file. */
  period: Period;
  /** The title's cached text in LibreOffice's file. */
  title: Period;
  /** The committed copy of LibreOffice's file, under samples/office/, named after LibreOffice's version. */
  sample?: (version: string) => string;
}

export const ROUND_TRIPS: RoundTrip[] = [
  { name: 'the filled template, saved again', period: MADE_FOR, title: MADE_FOR },
  {
    name: 'the template reused with only the period cell changed, saved again without recalculating',
    period: '2026-11',
    // --convert-to keeps the results saved in an Excel file: the title still says the month it was made for.
    title: MADE_FOR,
    sample: (version) => `template-libreoffice-${version}.xlsx`,
  },
  {
    name: 'the template reused with only the period cell changed, recalculated as LibreOffice does when the clerk types the month',
    period: '2026-11',
    recalculate: true,
    title: '2026-11',
    sample: (version) => `template-libreoffice-${version}-recalculated.xlsx`,
  },
];

export const roundTripInput = (trip: RoundTrip) => filledTemplate({ period: trip.period });

/** A part of the package as text. */
function partText(bytes: Uint8Array, name: string): string {
  const part = storedEntries(bytes).find((entry) => entry.name === name);
  if (!part) throw new Error(`the file has no part ${name}`);
  return (part.method === 8 ? inflateRawSync(part.data) : Buffer.from(part.data)).toString('utf8');
}

/** The sheet protection's attributes, read from the XML: exceljs takes only 1 and 0 for true and false, LibreOffice writes true and false. */
function sheetProtection(bytes: Uint8Array): Record<string, string> {
  const element = /<sheetProtection\b([^>]*)\/?>/.exec(partText(bytes, 'xl/worksheets/sheet1.xml'))?.[1] ?? '';
  return Object.fromEntries([...element.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
}

const isTrue = (value: string | undefined, otherwise: boolean) => (value === undefined ? otherwise : value === '1' || value === 'true');

/** Whether each cell is locked, read from the XML for the same reason: a cell's style says it, locked unless it says otherwise. */
function locked(bytes: Uint8Array, addresses: readonly string[]): boolean[] {
  const sheet = partText(bytes, 'xl/worksheets/sheet1.xml');
  const cellXfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(partText(bytes, 'xl/styles.xml'))?.[1] ?? '';
  const styles = [...cellXfs.matchAll(/<xf\b(?:[^>]*\/>|[\s\S]*?<\/xf>)/g)].map(([xf]) => /<protection\b[^>]*\blocked="([^"]*)"/.exec(xf)?.[1]);
  return addresses.map((address) => {
    const style = new RegExp(`<c r="${address}"[^>]*?\\bs="(\\d+)"`).exec(sheet)?.[1];
    return isTrue(style === undefined ? undefined : styles[Number(style)], true);
  });
}

/** Accepted for the month typed, with exactly the typed values; the title warned of only when LibreOffice kept the old one. */
export async function expectAccepted(bytes: Uint8Array, trip: RoundTrip): Promise<void> {
  const fileName = 'science.xlsx';
  const parsed = await readSubmission({ sheets: readWorkbook(bytes, {}, { fileName }), catalog, department: 'science', fileName, currentPeriod: '2026-12' });

  expect(parsed.errors).toEqual([]);
  expect(parsed.period).toBe(trip.period);
  expect(parsed.figures).toEqual(filledFigures(trip.period));
  const titleWarnings = trip.title === trip.period ? [] : [{ sheet: TEMPLATE.dataSheet, cell: 'A1', code: 'period.overruled' }];
  expect(parsed.warnings.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual(titleWarnings);
}

/** Saved by LibreOffice, still protected with the same cells open, and the title formula kept with the cached text expected. */
export async function expectSavedByLibreOffice(bytes: Uint8Array, trip: RoundTrip, version: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  const title = sheet?.getCell('A1');

  const protection = sheetProtection(bytes);

  expect(/<Application>([^<]*)<\/Application>/.exec(partText(bytes, 'docProps/app.xml'))?.[1]).toMatch(new RegExp(`^LibreOffice/${version.replace('.', '\\.')}\\.`));
  expect(isTrue(protection.sheet, false)).toBe(true);
  // No password, as the template has none: Review → Unprotect Sheet still lifts it.
  expect(Object.keys(protection).filter((name) => /password|hash/i.test(name))).toEqual([]);
  expect(locked(bytes, ['B3', 'D6', 'E6', 'F6', 'E16'])).toEqual([false, false, false, false, false]);
  expect(locked(bytes, ['A1', 'B2', 'A6', 'B6', 'G6'])).toEqual([true, true, true, true, true]);
  expect(title?.formula).toContain('B3');
  expect(title?.result).toBe(`区科技局 ${trip.title} 指标填报表 / Science & Technology Bureau monthly indicators, ${trip.title}`);
}
