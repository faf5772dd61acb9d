import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { startLocalPortal, type LocalPortal } from '../../cli/local/portal-server.js';
import { sampleWorkbooks } from '../../cli/samples.js';
import type { Period } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { MonthDetail, MonthsResponse } from '../../shared/portal/contract.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { TEMPLATE } from '../../shared/workbook/template.js';

/** A month's sign-off through the local server and the real API function, on the DynamoDB stand-in's conditional writes. */
let directory: string;
let pipeline: LocalPipeline & { close(): Promise<void> };
let portal: LocalPortal;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'portal-review-'));
  pipeline = await startLocalPipeline(directory);
  portal = await startLocalPortal({ stores: pipeline.stores, pageDirectory: directory, port: 0 });
}, 60_000);

afterAll(async () => {
  await pipeline.stores.settled();
  await portal.close();
  await pipeline.close();
  rmSync(directory, { recursive: true, force: true });
});

async function as(user: string) {
  const signedIn = await fetch(new URL('api/local/sign-in', portal.url), { method: 'POST', body: JSON.stringify({ user }) });
  const { token } = (await signedIn.json()) as { token: string };
  return (path: string, method = 'GET', body?: unknown) =>
    fetch(new URL(path.slice(1), portal.url), { method, headers: { authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Beyond the catalog's plausible 300 a month: accepted, with a warning to explain. */
const IMPLAUSIBLE = { indicator: 'sci.st_commissioners', value: 400 };

async function withFigure(bytes: Uint8Array, { indicator, value }: typeof IMPLAUSIBLE): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  for (let row = TEMPLATE.rows.firstIndicator; sheet && row <= sheet.rowCount; row++) {
    if (sheet.getCell(row, TEMPLATE.columns.id).value === indicator) sheet.getCell(row, TEMPLATE.columns.value).value = value;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** Science's sample workbook of the month, dropped into the upload bucket and imported. */
async function received(period: Period, edit: (bytes: Uint8Array) => Promise<Uint8Array> = async (bytes) => bytes): Promise<void> {
  const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === period);
  if (!sample) throw new Error(`no science sample for ${period}`);
  const [ingested] = await pipeline.upload(uploadKey('science', sample.fileName), await edit(sample.bytes));
  expect(ingested?.status).toBe('accepted');
}

const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe("a month's sign-off on the local stores", () => {
  it('is approved by its head alone, once every warning is explained, and then counts as official', async () => {
    await received('2026-10', (bytes) => withFigure(bytes, IMPLAUSIBLE));
    const [clerk, head, otherHead] = await Promise.all([as('science-clerk'), as('science-head'), as('education-head')]);
    const path = '/api/departments/science/months/2026-10';
    const detail = (await (await clerk(path)).json()) as MonthDetail;
    expect(detail).toMatchObject({ state: 'submitted', signOff: 'provisional', current: { revision: 1 } });
    expect(detail.current?.figures.length).toBeGreaterThan(0);
    expect(detail.current?.figures.every((f) => f.sheet !== '' && /^[A-Z]+\d+$/.test(f.cell))).toBe(true);
    expect(detail.audit.map((entry) => entry.action)).toEqual(['submitted']);

    for (const refused of [await clerk(`${path}/review`, 'POST', { decision: 'approve' }), await otherHead(`${path}/review`, 'POST', { decision: 'approve' })]) {
      expect(refused.status).toBe(403);
      expect(await codeOf(refused)).toBe('auth.forbidden');
    }
    const stale = await head(`${path}/review`, 'POST', { decision: 'approve', revision: 2 });
    expect(stale.status).toBe(409);
    expect(await codeOf(stale)).toBe('month.changed');

    expect(detail.current?.warnings).toMatchObject([{ indicator: IMPLAUSIBLE.indicator, code: 'value.implausible', explanation: null }]);
    expect(await codeOf(await head(`${path}/review`, 'POST', { decision: 'approve', revision: 1 }))).toBe('month.unexplained_warnings');
    const explained = await clerk(`${path}/explanations`, 'PUT', { [IMPLAUSIBLE.indicator]: '本月新聘 100 名特派员' });
    expect(explained.status).toBe(200);
    expect(((await explained.json()) as MonthDetail).current?.warnings[0]?.explanation).toMatchObject({ text: '本月新聘 100 名特派员', by: 'science-clerk', source: 'portal' });
    const approved = await head(`${path}/review`, 'POST', { decision: 'approve', revision: 1 });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ state: 'approved', signOff: 'official', may: { approve: false, return: false } });
    // What the table now holds, read again.
    const reread = (await (await clerk(path)).json()) as MonthDetail;
    expect(reread.state).toBe('approved');
    expect(reread.audit.map((entry) => entry.action)).toEqual(['submitted', 'explained', 'approved']);
  }, 60_000);

  it("is returned with the head's reason, which the clerk's months show", async () => {
    await received('2026-09');
    const [clerk, head] = await Promise.all([as('science-clerk'), as('science-head')]);
    const path = '/api/departments/science/months/2026-09';
    expect(await codeOf(await head(`${path}/review`, 'POST', { decision: 'return' }))).toBe('request.invalid');
    const returned = await head(`${path}/review`, 'POST', { decision: 'return', reason: '请核对研发投入强度', revision: 1 });
    expect(returned.status).toBe(200);
    expect(await returned.json()).toMatchObject({ state: 'returned', returned: { reason: '请核对研发投入强度', by: 'science-head' } });
    const months = (await (await clerk('/api/departments/science/months?year=2026')).json()) as MonthsResponse;
    expect(months.months.find((m) => m.period === '2026-09')).toMatchObject({ status: 'accepted', state: 'returned', returnedReason: '请核对研发投入强度' });
  }, 60_000);
});
