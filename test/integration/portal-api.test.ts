import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { fillTemplate, sampleWorkbooks } from '../../cli/samples.js';
import type { Period } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { MonthDetail, MonthsResponse, UploadGrant } from '../../shared/portal/contract.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { formOf, localPortalForTests, portalClient } from './portal-client.js';

/** The portal's API as the page reaches it: the local server, the real API function, S3 and DynamoDB stand-ins. */
const local = localPortalForTests('portal-api');

const { tokenOf, api, verdictOf: verdictIn } = portalClient(local.portal);
const verdictOf = (token: string, uploadId: string) => verdictIn(token, 'science', uploadId);

describe('the portal API on the local stores', () => {
  it('takes a science workbook by presigned POST and answers its verdict and its month', async () => {
    const token = await tokenOf('science-clerk');
    const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === '2026-10');
    if (!sample) throw new Error('no science sample for 2026-10');
    const granted = await api('/api/departments/science/uploads', { token, method: 'POST', body: { fileName: sample.fileName, size: sample.bytes.length, period: '2026-10' } });
    expect(granted.status).toBe(201);
    const grant = (await granted.json()) as UploadGrant;
    expect(grant.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/department-metrics-uploads$/);
    const posted = await fetch(grant.url, { method: 'POST', body: formOf(grant, sample.bytes, sample.fileName) });
    expect(posted.status).toBeLessThan(300);

    const view = await verdictOf(token, grant.uploadId);
    expect(view).toMatchObject({ status: 'accepted', period: '2026-10', user: 'science-clerk', fileName: sample.fileName });
    expect(view.report?.source.key).toBe(grant.key);
    const months = (await (await api('/api/departments/science/months?year=2026', { token })).json()) as MonthsResponse;
    expect(months.months.find((m) => m.period === '2026-10')).toMatchObject({ status: 'accepted', latestUpload: { uploadId: grant.uploadId, user: 'science-clerk' } });
  }, 60_000);

  it("refuses, by the POST policy itself, a file larger than the grant and a key outside the grant's", async () => {
    const token = await tokenOf('science-clerk');
    const granted = await api('/api/departments/science/uploads', { token, method: 'POST', body: { fileName: 'small.xlsx', size: 1000 } });
    const grant = (await granted.json()) as UploadGrant;
    const tooLarge = await fetch(grant.url, { method: 'POST', body: formOf(grant, new Uint8Array(1001), 'small.xlsx') });
    expect(tooLarge.status).toBe(400);
    expect(await tooLarge.text()).toContain('<Code>EntityTooLarge</Code>');
    const elsewhere = await fetch(grant.url, { method: 'POST', body: formOf(grant, new Uint8Array(10), 'small.xlsx', { ...grant.fields, key: 'incoming/education/small.xlsx' }) });
    expect(elsewhere.status).toBe(403);
    for (const key of [grant.key, 'incoming/education/small.xlsx']) {
      await expect(local.pipeline().stores.s3.send(new HeadObjectCommand({ Bucket: 'department-metrics-uploads', Key: key }))).rejects.toMatchObject({ name: 'NotFound' });
    }
  });

  it('answers the template as an xlsx download', async () => {
    const response = await api('/api/departments/science/template?period=2026-11', { token: await tokenOf('science-head') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('science-2026-11.xlsx');
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('answers 401 without a token and 403 for another department, with the error shape', async () => {
    expect((await api('/api/me')).status).toBe(401);
    const refused = await api('/api/departments/education/uploads', { token: await tokenOf('science-clerk'), method: 'POST', body: { fileName: 'x.xlsx', size: 10 } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'auth.forbidden', message: expect.any(String) } });
  });

  it('sends the security headers with every answer', async () => {
    const response = await api('/api/me');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for a page path that is no file: outside the page, or not valid percent-encoding', async () => {
    for (const path of ['/%E0%A4%A', '/..%2F..%2Fetc%2Fpasswd', '/no-such-file.js']) {
      const response = await fetch(`${local.portal().url.slice(0, -1)}${path}`);
      expect(response.status).toBe(404);
    }
  });

  it('refuses a local sign-in as a user who is none', async () => {
    const response = await fetch(new URL('api/local/sign-in', local.portal().url), { method: 'POST', body: JSON.stringify({ user: 'mallory' }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('science-clerk');
  });
});

/** Beyond the catalog's plausible 300 a month: accepted, with a warning to explain. */
const IMPLAUSIBLE = { indicator: 'sci.st_commissioners', value: 400 };

/** Science's sample workbook of the month, dropped into the upload bucket and imported, with these figures changed. */
async function received(period: Period, figures: ReadonlyMap<string, number> = new Map()): Promise<void> {
  const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === period);
  if (!sample) throw new Error(`no science sample for ${period}`);
  const [ingested] = await local.pipeline().upload(uploadKey('science', sample.fileName), await fillTemplate(sample.bytes, figures));
  expect(ingested?.status).toBe('accepted');
}

const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe("a month's sign-off on the local stores", () => {
  it('is approved by its head alone, once every warning is explained, and then counts as official', async () => {
    await received('2026-08', new Map([[IMPLAUSIBLE.indicator, IMPLAUSIBLE.value]]));
    const [clerk, head, otherHead] = await Promise.all([tokenOf('science-clerk'), tokenOf('science-head'), tokenOf('education-head')]);
    const path = '/api/departments/science/months/2026-08';
    const review = (token: string, body: unknown) => api(`${path}/review`, { token, method: 'POST', body });
    const detail = (await (await api(path, { token: clerk })).json()) as MonthDetail;
    expect(detail).toMatchObject({ state: 'submitted', signOff: 'provisional', current: { revision: 1 } });
    expect(detail.current?.figures.length).toBeGreaterThan(0);
    expect(detail.current?.figures.every((f) => f.sheet !== '' && /^[A-Z]+\d+$/.test(f.cell))).toBe(true);
    expect(detail.current?.warnings).toMatchObject([{ indicator: IMPLAUSIBLE.indicator, code: 'value.implausible', explanation: null }]);
    expect(detail.audit.map((entry) => entry.action)).toEqual(['submitted']);

    for (const refused of [await review(clerk, { decision: 'approve' }), await review(otherHead, { decision: 'approve' })]) {
      expect(refused.status).toBe(403);
      expect(await codeOf(refused)).toBe('auth.forbidden');
    }
    expect(await codeOf(await review(head, { decision: 'approve', revision: 2 }))).toBe('month.changed');
    expect(await codeOf(await review(head, { decision: 'approve', revision: 1 }))).toBe('month.unexplained_warnings');
    const explained = await api(`${path}/explanations`, { token: clerk, method: 'PUT', body: { [IMPLAUSIBLE.indicator]: '本月新聘 100 名特派员' } });
    expect(explained.status).toBe(200);
    expect(((await explained.json()) as MonthDetail).current?.warnings[0]?.explanation).toMatchObject({ text: '本月新聘 100 名特派员', by: 'science-clerk', source: 'portal' });

    const approved = await review(head, { decision: 'approve', revision: 1 });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ state: 'approved', signOff: 'official', may: { approve: false, return: false } });
    // What the table now holds, read again.
    const reread = (await (await api(path, { token: clerk })).json()) as MonthDetail;
    expect(reread.state).toBe('approved');
    expect(reread.audit.map((entry) => entry.action)).toEqual(['submitted', 'explained', 'approved']);
  }, 60_000);

  it("is returned with the head's reason, which the clerk's months show", async () => {
    await received('2026-09');
    const [clerk, head] = await Promise.all([tokenOf('science-clerk'), tokenOf('science-head')]);
    const path = '/api/departments/science/months/2026-09/review';
    expect(await codeOf(await api(path, { token: head, method: 'POST', body: { decision: 'return' } }))).toBe('request.invalid');
    const returned = await api(path, { token: head, method: 'POST', body: { decision: 'return', reason: '请核对研发投入强度', revision: 1 } });
    expect(returned.status).toBe(200);
    expect(await returned.json()).toMatchObject({ state: 'returned', returned: { reason: '请核对研发投入强度', by: 'science-head' } });
    const months = (await (await api('/api/departments/science/months?year=2026', { token: clerk })).json()) as MonthsResponse;
    expect(months.months.find((m) => m.period === '2026-09')).toMatchObject({ status: 'accepted', state: 'returned', returnedReason: '请核对研发投入强度' });
  }, 60_000);
});
