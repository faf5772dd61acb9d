import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate, sampleWorkbooks, type FigureValue } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { TEMPLATE } from '../../shared/workbook/template.js';
import { photograph, sampleFigures, seriousViolations, signInAs, startPortalBench, type PortalBench } from './bench.js';

/**
 * The portal as its people use it, in headless Chromium against `npm start`'s servers: a science clerk fixes a
 * rejected workbook with the annotated copy's help, and a leader reads the month. Every page is scanned by axe-core
 * and photographed at a desktop and a phone width into `.local/e2e/` (git-ignored).
 */

const PERIOD = '2026-10';
const INDICATOR = 'sci.st_commissioners';

let bench: PortalBench;
let page: Page;
/** The figures the demo reported for science's month, which the clerk types again. */
let reported: Map<string, FigureValue>;

beforeAll(async () => {
  bench = await startPortalBench(async (pipeline) => {
    // The month already holds figures, so the clerk's accepted upload is a correction with its changes shown.
    for (const sample of await sampleWorkbooks(catalog)) {
      if (sample.period <= PERIOD) await pipeline.upload(uploadKey(sample.department, sample.fileName), sample.bytes);
    }
  });
  page = bench.page;
  reported = sampleFigures('science', PERIOD);
}, 180_000);

afterAll(() => bench?.close());

async function bytesOf(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

/** The template's value cell of an indicator, as a clerk's copy of it has it. */
async function valueCellOf(template: Uint8Array, indicator: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  for (let row = TEMPLATE.rows.firstIndicator; sheet && row <= sheet.rowCount; row++) {
    if (sheet.getCell(row, TEMPLATE.columns.id).value === indicator) return sheet.getCell(row, TEMPLATE.columns.value).address;
  }
  throw new Error(`${indicator} is not in the template`);
}

async function noteOn(workbookBytes: Uint8Array, cell: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(workbookBytes as unknown as ExcelJS.Buffer);
  const note = workbook.getWorksheet(TEMPLATE.dataSheet)?.getCell(cell).note;
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
}

async function upload(name: string, bytes: Uint8Array): Promise<void> {
  await page.getByTestId('upload-input').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(bytes) });
}

describe('a science clerk on the portal', () => {
  let template: Buffer;
  let cell: string;

  it('signs in and sees the year, with the month already accepted', async () => {
    await signInAs(bench, 'science-clerk');
    await expect(page.getByTestId(`month-${PERIOD}`).getByTestId('month-status').getAttribute('data-status')).resolves.toBe('accepted');
  });

  it("downloads the month's template", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`template-${PERIOD}`).click()]);
    expect(download.suggestedFilename()).toBe(`science-${PERIOD}.xlsx`);
    template = await bytesOf(download);
    cell = await valueCellOf(template, INDICATOR);
  });

  it('uploads it with one bad value and sees it rejected at that cell, with its message', async () => {
    await upload(`science-${PERIOD}.xlsx`, await fillTemplate(template, new Map([...reported, [INDICATOR, '十五个']])));
    const verdict = page.getByTestId('verdict');
    await expect(verdict.and(page.locator('[data-status="rejected"]')).waitFor({ timeout: 30_000 })).resolves.toBeUndefined();
    const problem = page.getByTestId('problems').locator(`[data-cell="${cell}"]`);
    await expect(problem.count()).resolves.toBe(1);
    await expect(problem.innerText()).resolves.toMatch(/[\u4e00-\u9fff].*[A-Za-z]/s);
  });

  it('downloads the annotated copy and finds the note on that cell', async () => {
    const link = page.getByTestId('annotated-link');
    await link.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    await expect(noteOn(await bytesOf(download), cell)).resolves.not.toBe('');
  });

  it('passes an accessibility scan and is photographed', async () => {
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'clerk-rejected', { onPhone: true });
  });

  it('uploads the corrected file and sees it accepted, with the change from the old figure to the new', async () => {
    const old = Number(reported.get(INDICATOR));
    await upload(`science-${PERIOD}.xlsx`, await fillTemplate(template, new Map([...reported, [INDICATOR, old + 3]])));
    await page.getByTestId('verdict').and(page.locator('[data-status="accepted"]')).waitFor({ timeout: 30_000 });
    const change = page.getByTestId('changes').locator(`[data-indicator="${INDICATOR}"]`);
    await expect(change.getAttribute('data-change')).resolves.toBe('changed');
    // Columns: indicator, change, from, to.
    await expect(change.locator('td').nth(2).innerText()).resolves.toMatch(new RegExp(`^${old}\\b`));
    await expect(change.locator('td').nth(3).innerText()).resolves.toMatch(new RegExp(`^${old + 3}\\b`));
    await expect(page.getByTestId(`month-${PERIOD}`).getByTestId('month-status').getAttribute('data-status')).resolves.toBe('corrected');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'clerk-accepted', { onPhone: true });
  });
});

describe('a leader on the portal', () => {
  it("reads the month's report and the board of who reported", async () => {
    // Published only now: publishing locks the month, which would hold the clerk's correction above for the office.
    await bench.pipeline.snapshot(PERIOD);
    await signInAs(bench, 'office', `#/leaders/${PERIOD}`);
    const report = page.getByTestId('report');
    await report.waitFor();
    for (const row of catalog.indicators.slice(0, 3)) await expect(report.innerText()).resolves.toContain(row.zh);
    const board = page.getByTestId('board');
    await board.waitFor();
    for (const department of catalog.departments) await expect(board.innerText()).resolves.toContain(department.zh);
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'leaders');
  });
});
