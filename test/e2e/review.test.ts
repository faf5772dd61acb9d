import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPipeline } from '../../cli/local/pipeline.js';
import { LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { fillTemplate, sampleWorkbooks, type FigureValue } from '../../cli/samples.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import type { Period } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { locked } from '../../shared/review/review.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { buildTemplate, templateFileName } from '../../shared/workbook/template.js';
import { photograph, sampleFigures, seriousViolations, signInAs, startPortalBench, type PortalBench } from './bench.js';

/**
 * A month's sign-off on the portal (填报 → 审核 → 上报), in headless Chromium against `npm start`'s servers: science's
 * head returns a month with a warning, the clerk reads why and explains the warning, the head approves; the reform
 * office approves a correction of a published month, and the leaders read the restatement and the provisional marks.
 * Every page is scanned by axe-core and photographed into `.local/e2e/` (git-ignored).
 */

/** Science's month under review, with a figure past its plausible range. */
const PERIOD = '2026-10';
/** Science's published month, with a correction waiting for the office. */
const PUBLISHED = '2026-09';
const WARNED = 'sci.national_incubators';
const catalogName = (indicator: string) => catalog.indicator(indicator)?.zh ?? indicator;
const CORRECTED = 'sci.st_commissioners';
const RETURN_REASON = '孵化器数量明显偏高，请核实 The incubator count looks far too high: check it';
const EXPLANATION = '本月新认定国家级孵化器 5 家 Five national incubators were recognised this month';
const RESTATEMENT_REASON = '漏报三名科技特派员 Three commissioners were left out';

let bench: PortalBench;
let page: Page;

/** Science's workbook for a month: the demo's figures, with those given instead. */
async function scienceWorkbook(period: Period, changed: Record<string, FigureValue>): Promise<{ key: string; bytes: Uint8Array }> {
  const template = await buildTemplate(catalog, 'science', period);
  const bytes = await fillTemplate(template, new Map([...sampleFigures('science', period), ...Object.entries(changed)]));
  return { key: uploadKey('science', templateFileName('science', period)), bytes };
}

async function seed(pipeline: LocalPipeline): Promise<void> {
  for (const sample of await sampleWorkbooks(catalog)) {
    // Education's month stays unsigned: the leaders see its figures marked provisional.
    const wanted = sample.department === 'science' ? sample.period <= PUBLISHED : sample.department === 'education' && sample.period === PERIOD;
    if (wanted) await pipeline.upload(uploadKey(sample.department, sample.fileName), sample.bytes);
  }
  // What publishing the month's snapshot does to it, made here so that the test holds whichever way the snapshot locks.
  const repository = dynamoObservationRepository(DynamoDBDocumentClient.from(pipeline.stores.dynamo), LOCAL_RESOURCES.observationsTable);
  await repository.update('science', PUBLISHED, (record) => locked(record, new Date()));
  const commissioners = Number(sampleFigures('science', PUBLISHED).get(CORRECTED));
  const correction = await scienceWorkbook(PUBLISHED, { [CORRECTED]: commissioners + 3 });
  await pipeline.upload(correction.key, correction.bytes);
  const warned = await scienceWorkbook(PERIOD, { [WARNED]: 25 });
  await pipeline.upload(warned.key, warned.bytes);
}

beforeAll(async () => {
  bench = await startPortalBench(seed);
  page = bench.page;
}, 240_000);

afterAll(() => bench?.close());

const monthHash = (period: Period) => `#/department/science/months/${period}`;
/** The month page's state, once it is this one. */
const inState = (name: string) => page.locator(`[data-testid="sign-off-state"][data-state="${name}"]`).waitFor({ timeout: 15_000 });
const warning = (indicator: string) => page.getByTestId('warnings').locator(`[data-indicator="${indicator}"]`);
/** What has the focus: its id, else its test id, else its tag. */
const focused = () =>
  page.evaluate(() => {
    type Element = { id: string; tagName: string; getAttribute(name: string): string | null };
    const element = (globalThis as unknown as { document: { activeElement: Element | null } }).document.activeElement;
    return element?.id || element?.getAttribute('data-testid') || element?.tagName;
  });

describe("science's head on a submitted month", () => {
  it("opens it from the month's row and sees its state, its figures and the warning unexplained", async () => {
    await signInAs(bench, 'science-head');
    await page.getByTestId(`open-${PERIOD}`).click();
    await inState('submitted');
    await expect(focused()).resolves.toBe('H1');
    await expect(page.getByTestId('sign-off-state').innerText()).resolves.toMatch(/待审核.*submitted/s);
    await expect(warning(WARNED).getAttribute('data-explained')).resolves.toBe('false');
  });

  it('is offered no approval while the warning is unexplained, and told why', async () => {
    await expect(page.getByTestId('approve').count()).resolves.toBe(0);
    await expect(page.getByTestId('approval-waits').innerText()).resolves.toContain(catalogName(WARNED));
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'month-head', { onPhone: true });
  });

  it('must give a reason to return it', async () => {
    await page.getByTestId('return').click();
    await expect(focused()).resolves.toBe('decision-reason');
    await expect(page.locator('#decision-reason').getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it("is refused the return of figures a newer upload replaced meanwhile, with the API's reason", async () => {
    const newer = await scienceWorkbook(PERIOD, { [WARNED]: 26 });
    await bench.pipeline.upload(newer.key, newer.bytes);
    await page.locator('#decision-reason').fill(RETURN_REASON);
    await page.getByTestId('return').click();
    const refusal = page.getByTestId('decision').locator('[role="alert"]');
    await refusal.waitFor();
    await expect(refusal.getAttribute('data-code')).resolves.toBe('month.changed');
    await expect(refusal.innerText()).resolves.toMatch(/[\u4e00-\u9fff].*[A-Za-z]/s);
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });

  it('returns the newer figures, once read, with the reason', async () => {
    await page.reload();
    await inState('submitted');
    await page.locator('#decision-reason').fill(RETURN_REASON);
    await page.getByTestId('return').click();
    await inState('returned');
    await expect(page.getByTestId('returned').innerText()).resolves.toContain(RETURN_REASON);
    await expect(focused()).resolves.toBe('notice');
    await expect(page.getByTestId('notice').innerText()).resolves.toMatch(/已退回/);
    await expect(page.getByTestId('decision').count()).resolves.toBe(0);
  });
});

describe("science's clerk on the returned month", () => {
  it('sees the reason on the months list', async () => {
    await signInAs(bench, 'science-clerk');
    const row = page.getByTestId(`month-${PERIOD}`);
    await row.locator('[data-state="returned"]').waitFor();
    await expect(row.getByTestId('returned-reason').innerText()).resolves.toContain(RETURN_REASON);
  });

  it('opens the month, reads the reason, explains the warning and so submits it again', async () => {
    await page.getByTestId(`open-${PERIOD}`).click();
    await inState('returned');
    await expect(page.getByTestId('returned').innerText()).resolves.toContain(RETURN_REASON);
    await expect(page.getByTestId('decision').count()).resolves.toBe(0);
    await warning(WARNED).getByRole('textbox').fill(EXPLANATION);
    await page.getByTestId('save-explanations').click();
    await inState('submitted');
    await expect(warning(WARNED).getAttribute('data-explained')).resolves.toBe('true');
    await expect(warning(WARNED).innerText()).resolves.toContain(EXPLANATION);
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });
});

describe("science's head, once the warning is explained", () => {
  it('approves the month, and the trail says who did what, when and why', async () => {
    await signInAs(bench, 'science-head', monthHash(PERIOD));
    await inState('submitted');
    await page.getByTestId('approve').click();
    await inState('approved');
    const trail = await page.getByTestId('audit').innerText();
    for (const words of ['提交', '退回', RETURN_REASON, '填写说明', EXPLANATION, '审核通过', 'science-head', 'science-clerk']) expect(trail).toContain(words);
    expect(trail).toMatch(/2026-\d\d-\d\d \d\d:\d\d/);
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'month-approved', { onPhone: true });
  });
});

describe('the reform office on the published month', () => {
  it('sees the pending correction, old → new, and approves it with a reason', async () => {
    await signInAs(bench, 'office', monthHash(PUBLISHED));
    await inState('locked');
    const change = page.getByTestId('correction-changes').locator(`[data-indicator="${CORRECTED}"]`);
    const commissioners = Number(sampleFigures('science', PUBLISHED).get(CORRECTED));
    await expect(change.innerText()).resolves.toMatch(new RegExp(`${commissioners}\\b[\\s\\S]*→ ${commissioners + 3}\\b`));
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'month-correction', { onPhone: true });
    await page.getByTestId('approve').click();
    await expect(focused()).resolves.toBe('decision-reason');
    await page.locator('#decision-reason').fill(RESTATEMENT_REASON);
    await page.getByTestId('approve').click();
    await page.getByTestId('restatements').locator(`[data-indicator="${CORRECTED}"]`).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('correction').count()).resolves.toBe(0);
    await expect(page.getByTestId('sign-off-state').innerText()).resolves.toMatch(/已发布锁定/);
  });
});

describe('a leader', () => {
  it("reads the next month's report: the restatement, and the figures no head signed off marked provisional", async () => {
    // Restatements travel with the first snapshot published after their approval.
    await bench.pipeline.snapshot(PERIOD);
    await signInAs(bench, 'office', `#/leaders/${PERIOD}`);
    await page.locator(`[data-testid="report"][data-period="${PERIOD}"]`).waitFor({ timeout: 15_000 });
    const restatement = page.getByTestId('restatements').locator(`[data-indicator="${CORRECTED}"]`);
    const text = await restatement.innerText();
    for (const words of ['区科技局', PUBLISHED, '→', RESTATEMENT_REASON, 'office']) expect(text).toContain(words);
    await page.getByTestId('provisional-note').waitFor();
    await expect(page.locator('[data-department="education"] td[data-sign-off="provisional"]').count()).resolves.toBeGreaterThan(0);
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await photograph(page, 'leaders-sign-off');
  });
});
