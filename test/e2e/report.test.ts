import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { buildReport, reportHtml } from '../../shared/snapshot/index.js';
import { headline, NOT_REPORTED_LABEL, STATUS_LABELS } from '../../shared/snapshot/report-model.js';
import { yearToDate } from '../../shared/calendar.js';
import { submission, yearOfFigures } from '../fixtures.js';
import { monthReview } from '../unit/review-fixtures.js';
import { glyphPrints, launchBrowser, NO_GLYPH } from './browser.js';

const PERIOD = '2026-11';
/** Git-ignored, so a person can look at the last run's page. */
const SCREENSHOT = resolve('.local/e2e/report-2026-11.png');

const report = buildReport({
  catalog,
  period: PERIOD,
  observations: yearOfFigures(catalog, PERIOD),
  submissions: [submission('science', PERIOD, catalog.indicatorsOf('science').map((i) => i.id)), submission('education', '2026-10')],
  // Every month signed off, so that the headline counts the reporting department's targets: the page's layout is the subject here.
  reviews: ['science', 'education'].flatMap((department) => yearToDate(PERIOD).map((period) => monthReview(department, period, 'approved'))),
});

/** The browser globals the test reads; the project compiles without the DOM library. */
interface BrowserWindow {
  getComputedStyle(element: unknown): { backgroundColor: string; color: string; breakBefore: string };
  document: { documentElement: { scrollWidth: number } };
}

interface Box {
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
}

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const carriedDepartments = new Set(report.snapshot.departments.filter((d) => !d.reported).map((d) => d.department));

/** WCAG's contrast ratio of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r = 0, g = 0, bl = 0] = (colour.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

let profile: string;
let context: BrowserContext;
let page: Page;
let address: string;
const requests: string[] = [];

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'report-e2e-'));
  const file = join(profile, 'report.html');
  await writeFile(file, reportHtml(report));
  context = await launchBrowser(join(profile, 'user-data'));
  page = await context.newPage();
  await page.setViewportSize(DESKTOP);
  page.on('request', (request) => requests.push(request.url()));
  address = pathToFileURL(file).href;
  await page.goto(address);
});

afterAll(async () => {
  await context?.close();
  await rm(profile, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders every catalog indicator once, with its status as word and colour, or as not reported when carried', async () => {
    for (const row of report.snapshot.indicators) {
      const line = page.locator(`tr[data-indicator="${row.indicator}"]`);
      await expect(line.count(), row.indicator).resolves.toBe(1);
      await expect(line.getAttribute('data-status')).resolves.toBe(row.status);
      const badge = line.locator('.status');
      const label = carriedDepartments.has(row.department) ? NOT_REPORTED_LABEL : STATUS_LABELS[row.status];
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

  it('heads the page with how many targets of the reporting departments are achieved, on track and behind', async () => {
    const counted = report.snapshot.indicators.filter((r) => r.targetType !== null && !carriedDepartments.has(r.department));
    const good = counted.filter((r) => r.status === 'achieved' || r.status === 'on_track').length;
    const behind = counted.filter((r) => r.status === 'at_risk' || r.status === 'off_track').length;
    const carried = report.snapshot.indicators.filter((r) => r.targetType !== null).length - counted.length;
    expect(carried).toBeGreaterThan(0);
    await expect(page.locator('[data-headline]').innerText()).resolves.toBe(
      `${good} / ${counted.length} 项目标已完成或按计划推进，${behind} 项滞后或存在风险 targets achieved or on track, ${behind} behind or at risk\n另有 ${carried} 项目标因部门未报送未计入 · ${carried} more targets left out: their department has not reported`,
    );
  });

  it('names on the first screen each department that has not reported and how many targets are behind', async () => {
    const { behind } = headline(report.snapshot);
    const lines = await page.locator('[data-not-reported] li, [data-headline]').evaluateAll((elements) =>
      elements.map((e) => ({ text: (e as unknown as { innerText: string }).innerText, bottom: (e as unknown as Box).getBoundingClientRect().bottom })),
    );
    const firstScreen = lines.filter((line) => line.bottom <= DESKTOP.height).map((line) => line.text);
    const missing = report.snapshot.departments.filter((d) => !d.reported);
    expect(missing.length).toBeGreaterThan(0);
    for (const department of missing) expect(firstScreen.some((text) => text.includes(department.zh) && text.includes(department.dueDate)), department.department).toBe(true);
    expect(firstScreen.some((text) => text.includes(`${behind} 项滞后或存在风险`))).toBe(true);
  });

  it('shows no unit id or status code where a person reads, only their words', async () => {
    const text = await page.locator('body').innerText();
    const unitIds = catalog.units.filter((u) => !u.en.includes(u.id)).map((u) => u.id);
    const statusCodes = Object.entries(STATUS_LABELS).filter(([code, label]) => code !== label.en).map(([code]) => code);
    expect(unitIds).toContain('cny_100m');
    expect(statusCodes).toContain('off_track');
    for (const code of [...unitIds, ...statusCodes]) expect(text, code).not.toContain(code);
    expect(text).toContain('亿元');
  });

  it('gives every status badge and count a text contrast of at least 4.5:1', async () => {
    const colours = await page.locator('.status, .chips span').evaluateAll((elements) =>
      elements.map((element) => {
        const style = (globalThis as unknown as BrowserWindow).getComputedStyle(element);
        return { text: style.color, background: style.backgroundColor };
      }),
    );
    expect(colours.length).toBeGreaterThan(report.snapshot.indicators.length);
    for (const { text, background } of colours) expect(contrast(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
  });

  it('fits a phone: no horizontal scroll at 390 × 844 and every status badge on screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto(address);
    const width = await phone.evaluate(() => (globalThis as unknown as BrowserWindow).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    const badges = await phone.locator('.status').evaluateAll((elements) => elements.map((e) => (e as unknown as Box).getBoundingClientRect()));
    expect(badges.length).toBe(report.snapshot.indicators.length);
    for (const badge of badges) {
      expect(badge.left).toBeGreaterThanOrEqual(0);
      expect(badge.right).toBeLessThanOrEqual(PHONE.width);
    }
    await phone.close();
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

  it('prints on A4 with each department and the completeness table starting a page', async () => {
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const sizes = new Set(pdf.toString('latin1').match(/\/MediaBox \[[^\]]*\]/g));
    // A4 is 595 × 842 points.
    expect([...sizes].map((box) => box.match(/[\d.]+/g)?.slice(2).map((n) => Math.round(Number(n))))).toEqual([[595, 842]]);
    await page.emulateMedia({ media: 'print' });
    const breaks = await page.locator('section[data-department], .completeness').evaluateAll((elements) =>
      elements.map((element) => (globalThis as unknown as BrowserWindow).getComputedStyle(element).breakBefore),
    );
    await page.emulateMedia({ media: 'screen' });
    expect(breaks).toEqual([...catalog.departments.map(() => 'page'), 'page']);
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
