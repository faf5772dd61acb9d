import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { fillTemplate, sampleWorkbooks } from '../../cli/samples.js';
import type { Period } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import type { MonthDetail, MonthsResponse } from '../../shared/portal/contract.js';
import { snapshotKey, uploadKey } from '../../shared/s3-keys.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { SUMMARY_SHEET } from '../../shared/workbook/annotate.js';
import { localPortalForTests, portalClient } from './portal-client.js';

/**
 * A department-month's sign-off from upload to restatement, as its people live it: the clerk's upload, the draft
 * snapshot, the head's return and approval, the publication that locks the month, a late correction the reform
 * office approves, and the next month's snapshot that restates it, on the local stores with the real functions.
 */
const local = localPortalForTests('sign-off');
const { tokenOf, api } = portalClient(local.portal);

const OCTOBER = '2026-10';
const NOVEMBER = '2026-11';
const COMMISSIONERS = 'sci.st_commissioners';
const MONTH = `/api/departments/science/months/${OCTOBER}`;

/** Science's sample workbook of the month with the commissioners set, dropped into the bucket and imported. */
async function uploaded(period: Period, commissioners?: number): Promise<{ status: string; outcome: string | null; reportKey: string }> {
  const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === period);
  if (!sample) throw new Error(`no science sample for ${period}`);
  const figures = new Map(commissioners === undefined ? [] : [[COMMISSIONERS, commissioners]]);
  const [ingested] = await local.pipeline().upload(uploadKey('science', sample.fileName), await fillTemplate(sample.bytes, figures));
  if (!ingested) throw new Error('the upload was not imported');
  return ingested;
}

const json = async <T>(bucket: string, key: string): Promise<T> => JSON.parse(new TextDecoder().decode(await local.pipeline().read(bucket, key))) as T;

/** The month's progress.json as the snapshot function just wrote it. */
async function snapshotOf(period: Period, run?: 'draft'): Promise<Snapshot> {
  await local.pipeline().snapshot(period, run);
  return json<Snapshot>(LOCAL_RESOURCES.snapshotBucket, snapshotKey(period, 'progress.json'));
}

const rowOf = (snapshot: Snapshot, indicator: string) => snapshot.indicators.find((row) => row.indicator === indicator);

/** Every object of the month's snapshot folder with the hash of its bytes. */
async function publishedBytes(period: Period): Promise<Map<string, string>> {
  const listed = await local.pipeline().stores.s3.send(new ListObjectsV2Command({ Bucket: LOCAL_RESOURCES.snapshotBucket, Prefix: snapshotKey(period, '') }));
  const hashes = new Map<string, string>();
  for (const { Key } of listed.Contents ?? []) {
    if (Key) hashes.set(Key, createHash('sha256').update(await local.pipeline().read(LOCAL_RESOURCES.snapshotBucket, Key)).digest('hex'));
  }
  return hashes;
}

/** The first rows of the annotated copy's summary sheet, each cell as text. */
async function summaryOf(reportKey: string): Promise<string[][]> {
  const { annotatedKey } = await json<ImportReport>(LOCAL_RESOURCES.uploadBucket, reportKey);
  if (!annotatedKey) throw new Error('the upload has no annotated copy');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await local.pipeline().read(LOCAL_RESOURCES.uploadBucket, annotatedKey)) as unknown as ExcelJS.Buffer);
  const rows: string[][] = [];
  workbook.getWorksheet(SUMMARY_SHEET)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))));
  return rows;
}

const detailOf = async (token: string) => (await (await api(MONTH, { token })).json()) as MonthDetail;
const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
const currentValue = (detail: MonthDetail) => detail.current?.figures.find((f) => f.indicator === COMMISSIONERS)?.value;

describe("a department's month from upload to restatement", () => {
  const tokens: Record<'clerk' | 'head' | 'office', string> = { clerk: '', head: '', office: '' };
  const review = (as: keyof typeof tokens, body: unknown) => api(`${MONTH}/review`, { token: tokens[as], method: 'POST', body });
  let returnedUpload = '';
  let octoberFiles = new Map<string, string>();

  beforeAll(async () => {
    [tokens.clerk, tokens.head, tokens.office] = await Promise.all([tokenOf('science-clerk'), tokenOf('science-head'), tokenOf('office')]);
  });

  it('is submitted by an accepted upload, its figures provisional in the draft snapshot and its warning blocking approval', async () => {
    const upload = await uploaded(OCTOBER, 400);
    expect(upload).toMatchObject({ status: 'accepted', outcome: 'committed' });
    returnedUpload = upload.reportKey;
    const detail = await detailOf(tokens.clerk);
    expect(detail).toMatchObject({ state: 'submitted', signOff: 'provisional', current: { revision: 1 } });
    expect(detail.current?.warnings).toMatchObject([{ indicator: COMMISSIONERS, code: 'value.implausible', explanation: null }]);

    const draft = await snapshotOf(OCTOBER, 'draft');
    expect(draft.publication).toBe('draft');
    expect(rowOf(draft, COMMISSIONERS)).toMatchObject({ value: 400, signOff: 'provisional' });
    expect(draft.departments.find((d) => d.department === 'science')).toMatchObject({ reported: true, signOff: 'provisional' });
    expect(await codeOf(await review('head', { decision: 'approve', revision: 1 }))).toBe('month.unexplained_warnings');
  }, 60_000);

  it("is returned with the head's reason, which the clerk's page and the annotated copy show", async () => {
    const reason = '特派员人数比上月多出数倍，请核对';
    const returned = await review('head', { decision: 'return', reason, revision: 1 });
    expect(returned.status).toBe(200);
    expect(await returned.json()).toMatchObject({ state: 'returned', returned: { reason, by: 'science-head' } });

    const months = (await (await api('/api/departments/science/months?year=2026', { token: tokens.clerk })).json()) as MonthsResponse;
    expect(months.months.find((m) => m.period === OCTOBER)).toMatchObject({ state: 'returned', returnedReason: reason });
    expect((await detailOf(tokens.clerk)).returned).toMatchObject({ reason, by: 'science-head' });
    const [, first] = await summaryOf(returnedUpload);
    expect(first?.slice(1, 5)).toEqual(['退回 Returned', '', '', 'review.returned']);
    expect(first?.[5]).toContain(reason);
  }, 60_000);

  it('is submitted again by the corrected upload, approved by its head, and official in the draft snapshot', async () => {
    expect(await uploaded(OCTOBER, 40)).toMatchObject({ status: 'accepted', outcome: 'committed' });
    const corrected = await detailOf(tokens.head);
    expect(corrected).toMatchObject({ state: 'submitted', current: { revision: 2, warnings: [] } });
    const approved = await review('head', { decision: 'approve', revision: 2, contentSha256: corrected.current?.contentSha256 });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ state: 'approved', signOff: 'official' });

    const draft = await snapshotOf(OCTOBER, 'draft');
    expect(rowOf(draft, COMMISSIONERS)).toMatchObject({ value: 40, signOff: 'official' });
    expect(draft.departments.find((d) => d.department === 'science')).toMatchObject({ signOff: 'official' });
  }, 60_000);

  it('is locked by its publication; a correction without the office approval leaves the published figures current', async () => {
    const published = await snapshotOf(OCTOBER);
    expect(published.publication).toBe('published');
    expect(rowOf(published, COMMISSIONERS)).toMatchObject({ value: 40, signOff: 'official' });
    octoberFiles = await publishedBytes(OCTOBER);
    expect((await detailOf(tokens.clerk)).state).toBe('locked');

    expect(await uploaded(OCTOBER, 45)).toMatchObject({ status: 'accepted', outcome: 'held' });
    const held = await detailOf(tokens.office);
    expect(currentValue(held)).toBe(40);
    expect(held.correction?.figures.find((f) => f.indicator === COMMISSIONERS)?.value).toBe(45);
    expect(held.may).toEqual({ explain: false, approve: true, return: true });
    expect(await codeOf(await review('head', { decision: 'approve', reason: '已核对' }))).toBe('auth.forbidden');
    expect(await codeOf(await review('office', { decision: 'approve' }))).toBe('request.invalid');
    expect(currentValue(await detailOf(tokens.clerk))).toBe(40);
    expect(await local.pipeline().snapshot(OCTOBER)).toMatchObject({ outcome: 'already_published' });
  }, 60_000);

  it("is restated once the office approves the correction: the next snapshot lists it, and October's files keep their bytes", async () => {
    const held = await detailOf(tokens.office);
    const reason = '组织部更正了特派员名单';
    const approved = await review('office', { decision: 'approve', reason, revision: held.correction?.revision, contentSha256: held.correction?.contentSha256 });
    expect(approved.status).toBe(200);
    const restated = (await approved.json()) as MonthDetail;
    expect(restated).toMatchObject({ state: 'locked', signOff: 'official', correction: null, current: { revision: 3 } });
    expect(currentValue(restated)).toBe(45);
    expect(restated.restatements).toMatchObject([{ indicator: COMMISSIONERS, from: 40, to: 45, reason, approvedBy: 'office' }]);

    expect(await uploaded(NOVEMBER)).toMatchObject({ status: 'accepted' });
    const november = await snapshotOf(NOVEMBER);
    expect(november.restatements).toMatchObject([{ department: 'science', period: OCTOBER, indicator: COMMISSIONERS, from: 40, to: 45, reason, approvedBy: 'office' }]);
    expect(await publishedBytes(OCTOBER)).toEqual(octoberFiles);
    expect(octoberFiles.size).toBeGreaterThan(8);
    expect((await detailOf(tokens.clerk)).audit.map((step) => step.action)).toEqual([
      'submitted',
      'returned',
      'submitted',
      'approved',
      'locked',
      'correction_submitted',
      'restated',
    ]);
  }, 60_000);
});
