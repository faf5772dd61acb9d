import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { startLocalPortal, type LocalPortal } from '../../cli/local/portal-server.js';
import type { FigureValue } from '../../cli/samples.js';
import { buildPortal } from '../../portal/build.js';
import { launchBrowser } from './browser.js';

/**
 * The portal's end-to-end bench: `npm start`'s servers in this process, the built page, and headless Chromium; with
 * what every page of the tests goes through: an axe-core scan and photographs at a desktop and a phone width into
 * `.local/e2e/` (git-ignored).
 */

const SCREENSHOTS = resolve('.local/e2e');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1366, 390] as const;

export interface PortalBench {
  pipeline: LocalPipeline;
  portal: LocalPortal;
  page: Page;
  close(): Promise<void>;
}

/** The servers on empty stores, the page built and served, and a browser on it; `seed` fills the stores before the page is built. */
export async function startPortalBench(seed: (pipeline: LocalPipeline) => Promise<void>): Promise<PortalBench> {
  const directory = await mkdtemp(join(tmpdir(), 'portal-e2e-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  const pipeline = await startLocalPipeline(join(directory, 'data'));
  let portal: LocalPortal | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await pipeline.stores.settled();
    await portal?.close();
    await pipeline.close();
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await seed(pipeline);
    const pageDirectory = join(directory, 'page');
    await buildPortal(pageDirectory);
    portal = await startLocalPortal({ stores: pipeline.stores, pageDirectory, port: 0 });
    context = await launchBrowser(join(directory, 'profile'));
    return { pipeline, portal, page: await context.newPage(), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The figures the demo reports for a department's month (samples/figures.json), by indicator. */
export function sampleFigures(department: string, period: string): Map<string, FigureValue> {
  const figures = JSON.parse(readFileSync('samples/figures.json', 'utf8')) as { periods: string[]; departments: Record<string, Record<string, (FigureValue | null)[]>> };
  const index = figures.periods.indexOf(period);
  return new Map(Object.entries(figures.departments[department] ?? {}).flatMap(([id, series]) => {
    const value = series[index];
    return value === null || value === undefined ? [] : [[id, value] as const];
  }));
}

/** Signs in afresh as one of the local users (the previous user's token goes first), then opens the page given by its hash. */
export async function signInAs({ page, portal }: PortalBench, user: string, hash = ''): Promise<void> {
  await page.goto(portal.url);
  await page.evaluate(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
  await page.reload();
  await page.getByTestId(`sign-in-${user}`).click();
  // Only once signed in: before, the page would send a route the previous user may not open to that user's home.
  await page.locator('.who').getByText(user, { exact: true }).waitFor();
  if (hash) await page.goto(`${portal.url}${hash}`);
}

/** What axe-core finds serious or critical on the page as it is now, with the nodes of each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern: the page itself loads no script but its own.
  await page.evaluate(AXE);
  const { violations, passes } = await page.evaluate(async () => {
    type Rule = { id: string; impact: string | null; nodes: { target: unknown }[] };
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe;
    const { violations, passes } = await axe.run();
    return { violations, passes: passes.length };
  });
  // A scan that checked nothing would report nothing wrong.
  expect(passes).toBeGreaterThan(10);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** The page as a phone shows it: nothing wider than the screen, and every status (month, upload, verdict) on it. */
async function fitsThePhone(page: Page, width: number): Promise<void> {
  const { scrollWidth, statusesOff } = await page.evaluate((width) => {
    const { document } = globalThis as unknown as { document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): { getBoundingClientRect(): { right: number } }[] } };
    const statuses = [...document.querySelectorAll('[data-testid="month-status"], .status')];
    return { scrollWidth: document.documentElement.scrollWidth, statusesOff: statuses.filter((s) => s.getBoundingClientRect().right > width).length };
  }, width);
  expect(scrollWidth).toBeLessThanOrEqual(width);
  expect(statusesOff).toBe(0);
}

/** Photographs the page at each width; `onPhone` checks first that the phone's width holds the page. */
export async function photograph(page: Page, name: string, { onPhone = false } = {}): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
    if (width < 800 && onPhone) await fitsThePhone(page, width);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: WIDTHS[0], height: 900 });
}
