import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { buildReport, reportHtml } from '../../shared/snapshot/index.js';
import { STATUS_LABELS } from '../../shared/snapshot/report-model.js';
import { submission, yearOfFigures } from '../fixtures.js';
import { glyphPrints, launchBrowser, NO_GLYPH } from './browser.js';

const PERIOD = '2026-11';
/** Git-ignored, so a person can look at the last run's page. */
const SCREENSHOT = resolve('.local/e2e/report-2026-11.png');

const report = buildReport({
  catalog,
  period: PERIOD,
  observations: yearOfFigures(catalog, PERIOD),
  submissions: [submission('science', PERIOD, catalog.indicatorsOf('science').map((i) => i.id)), submission('education', '2026-10')],
});

/** The one browser global the test reads; the project compiles without the DOM library. */
interface BrowserWindow {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

let profile: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'report-e2e-'));
  const file = join(profile, 'report.html');
  await writeFile(file, reportHtml(report));
  context = await launchBrowser(join(profile, 'user-data'));
  page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
});

afterAll(async () => {
  await context?.close();
  await rm(profile, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders every catalog indicator once, with its status as word and colour', async () => {
    for (const row of report.snapshot.indicators) {
      const line = page.locator(`tr[data-indicator="${row.indicator}"]`);
      await expect(line.count(), row.indicator).resolves.toBe(1);
      await expect(line.getAttribute('data-status')).resolves.toBe(row.status);
      const badge = line.locator('.status');
      const label = STATUS_LABELS[row.status];
      await expect(badge.innerText()).resolves.toBe(`${label.zh} ${label.en}`);
      const colour = await badge.evaluate((element) => (globalThis as unknown as BrowserWindow).getComputedStyle(element).backgroundColor);
      const hex = label.colour.slice(1).match(/../g)?.map((pair) => Number.parseInt(pair, 16));
      expect(colour).toBe(`rgb(${hex?.join(', ')})`);
    }
  });

  it('groups the indicators under their department, in catalog order', async () => {
    const sections = await page.locator('section[data-department]').evaluateAll((elements) =>
      elements.map((section) => ({
        department: section.getAttribute('data-department'),
        indicators: [...section.querySelectorAll('tr[data-indicator]')].map((row) => row.getAttribute('data-indicator')),
      })),
    );
    expect(sections).toEqual(catalog.departments.map((d) => ({ department: d.id, indicators: catalog.indicatorsOf(d.id).map((i) => i.id) })));
  });

  it('heads the page with how many targets are achieved or on track', async () => {
    const targets = catalog.indicators.filter((i) => i.target).length;
    const good = report.snapshot.indicators.filter((r) => r.status === 'achieved' || r.status === 'on_track').length;
    await expect(page.locator('[data-headline]').innerText()).resolves.toBe(`${good} / ${targets} 项目标已完成或按计划推进 targets achieved or on track`);
  });

  it('shows the completeness of every department', async () => {
    const rows = await page.locator('tr[data-completeness]').evaluateAll((elements) => elements.map((row) => row.getAttribute('data-completeness')));
    expect(rows).toEqual(catalog.departments.map((d) => d.id));
  });

  it('draws its Chinese with real glyphs: every character its own shape, none the empty box', async () => {
    const han = [...new Set((await page.locator('body').innerText()).match(/\p{Script=Han}/gu))];
    expect(han.length).toBeGreaterThan(50);
    const [box, ...prints] = await glyphPrints(page, [NO_GLYPH, ...han]);
    expect(new Set(prints).size).toBe(han.length);
    expect(prints).not.toContain(box);
  });

  it('fetches nothing beyond the file itself', () => {
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  });

  it('saves a screenshot of the whole page', async () => {
    await mkdir(resolve('.local/e2e'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect((await stat(SCREENSHOT)).size).toBeGreaterThan(10_000);
  });
});
