import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import type { MeResponse, MonthsResponse, SnapshotResponse, UploadGrant, UploadView } from '../../shared/portal/contract.js';
import type { ApiRequest } from '../../shared/portal/http.js';
import { MANIFEST_FILE, snapshotKey, uploadReportsFolder } from '../../shared/s3-keys.js';
import { submission, submittedMonth } from '../fixtures.js';
import { errorCode, jsonOf, NOW, portal, signIn, userNamed } from './portal-fixture.js';

/** Every route of a department, as a science clerk might try it on education's. */
const departmentRoutes = (department: string): Partial<ApiRequest>[] => [
  { method: 'GET', path: `/api/departments/${department}/months`, query: { year: '2026' } },
  { method: 'GET', path: `/api/departments/${department}/template`, query: { period: '2026-11' } },
  { method: 'POST', path: `/api/departments/${department}/uploads`, body: JSON.stringify({ fileName: 'x.xlsx', size: 100 }) },
  { method: 'GET', path: `/api/departments/${department}/uploads` },
  { method: 'GET', path: `/api/departments/${department}/uploads/019ad000-0000-7000-8000-00000000000a` },
  { method: 'GET', path: `/api/departments/${department}/months/2026-10` },
  { method: 'PUT', path: `/api/departments/${department}/months/2026-10/explanations`, body: JSON.stringify({ 'sci.rd_intensity': 'x' }) },
  { method: 'POST', path: `/api/departments/${department}/months/2026-10/review`, body: JSON.stringify({ decision: 'approve' }) },
];

describe('who may call the API', () => {
  it.each(departmentRoutes('science'))('no token gets 401 on $method $path', async (request) => {
    const response = await portal().call(request);
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe('auth.missing_token');
  });

  it.each([
    ['an expired token', () => signIn.idToken(userNamed('science-clerk'), Math.floor(Date.now() / 1000) - 2 * 3600)],
    ['a token signed with another key under the same key id', () => {
      const [header, payload] = signIn.idToken(userNamed('office')).split('.');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    }],
    ['a token whose groups were changed after signing', () => {
      const [header, payload = '', signature] = signIn.idToken(userNamed('science-clerk')).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      return [header, Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['office'] })).toString('base64url'), signature].join('.');
    }],
    ['no token at all after Bearer', () => ''],
  ])('%s gets 401', async (_, token) => {
    const response = await portal().call({ authorization: `Bearer ${token()}` });
    expect(response.status).toBe(401);
  });

  it.each(departmentRoutes('education'))('a science clerk gets 403 and nothing of education on $method $path', async (request) => {
    const response = await portal().call({ ...request, as: 'science-clerk' });
    expect(response.status).toBe(403);
    expect(jsonOf(response)).toEqual({ error: { code: 'auth.forbidden', message: expect.any(String) } });
    expect(JSON.stringify(jsonOf(response))).not.toMatch(/education|教育/);
  });

  it('a clerk may not read the snapshots; the office may not upload', async () => {
    const { call } = portal();
    expect((await call({ path: '/api/snapshots/2026-10', as: 'science-head' })).status).toBe(403);
    const post = departmentRoutes('science')[2] ?? {};
    expect((await call({ ...post, as: 'office' })).status).toBe(403);
  });
});

describe('GET /api/me', () => {
  it("names a clerk's role and the one department they read and upload for", async () => {
    const me = jsonOf(await portal().call({ as: 'science-clerk' })) as MeResponse;
    expect(me).toEqual({
      user: 'science-clerk',
      email: 'science-clerk@portal.local',
      roles: ['clerk:science'],
      departments: [{ id: 'science', zh: catalog.department('science')?.zh, en: catalog.department('science')?.en, upload: true }],
      snapshots: false,
    });
  });

  it('gives the office every department to read, none to upload, and the snapshots', async () => {
    const me = jsonOf(await portal().call({ as: 'office' })) as MeResponse;
    expect(me.departments.map((d) => [d.id, d.upload])).toEqual(catalog.departments.map((d) => [d.id, false]));
    expect(me.snapshots).toBe(true);
  });
});

describe('uploads through the portal', () => {
  const request = (body: unknown) => ({ method: 'POST', path: '/api/departments/science/uploads', body: JSON.stringify(body), as: 'science-clerk' });

  it('grants a presigned POST for one key in its own folder, no larger than the file, and records who asked', async () => {
    const { call, granted } = portal();
    const response = await call(request({ fileName: '科技局 2026-10.xlsx', size: 12_345, period: '2026-10' }));
    expect(response.status).toBe(201);
    const grant = jsonOf(response) as UploadGrant;
    expect(grant.key).toBe(`incoming/science/${grant.uploadId}/科技局 2026-10.xlsx`);
    expect(grant).toMatchObject({ url: 'https://uploads.s3.example/', fields: { key: grant.key, policy: 'at most 12345' }, maxBytes: 12_345, expiresAt: '2026-11-20T04:10:00.000Z' });
    expect(granted).toEqual([
      {
        uploadId: grant.uploadId,
        department: 'science',
        fileName: '科技局 2026-10.xlsx',
        size: 12_345,
        period: '2026-10',
        user: 'science-clerk',
        email: 'science-clerk@portal.local',
        requestedAt: NOW.toISOString(),
        expiresAt: grant.expiresAt,
        key: grant.key,
      },
    ]);
  });

  it('refuses a file over the limit before granting anything', async () => {
    const { call, granted } = portal({ maxUploadBytes: 1000 });
    const response = await call(request({ fileName: 'big.xlsx', size: 1001 }));
    expect(response.status).toBe(413);
    expect(errorCode(response)).toBe('upload.too_large');
    expect(granted).toEqual([]);
  });

  it.each([
    ['no body', undefined, 'body'],
    ['a file name with a slash', { fileName: '../education/x.xlsx', size: 10 }, 'fileName'],
    ['an empty file name', { fileName: '', size: 10 }, 'fileName'],
    ['a file name too long for its report', { fileName: `${'科'.repeat(61)}.xlsx`, size: 10 }, 'fileName'],
    ['a size of no bytes', { fileName: 'x.xlsx', size: 0 }, 'size'],
    ['a month that is none', { fileName: 'x.xlsx', size: 10, period: '2026-13' }, 'period'],
    ['a field the API does not know', { fileName: 'x.xlsx', size: 10, key: 'incoming/education/x.xlsx' }, 'key'],
  ])('answers 400 naming the field for %s', async (_, body, field) => {
    const response = await portal().call({ ...request(body), body: body === undefined ? undefined : JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('request.invalid');
    expect((jsonOf(response) as { error: { message: string } }).error.message).toContain(field);
  });

  it('is processing until its report exists, then has its verdict and a link to the annotated copy', async () => {
    const { call, store } = portal();
    const grant = jsonOf(await call(request({ fileName: 'october.xlsx', size: 100 }))) as UploadGrant;
    const path = `/api/departments/science/uploads/${grant.uploadId}`;
    expect(jsonOf(await call({ path, as: 'science-clerk' }))).toMatchObject({ status: 'processing', report: null, annotatedUrl: null });
    const report = { status: 'rejected', period: '2026-10', source: { uploadedAt: '2026-11-20T04:01:00.000Z' }, errors: [{ sheet: 'Data', cell: 'D5', code: 'value.not_a_number', message: '…' }], annotatedKey: `${uploadReportsFolder('science', grant.uploadId)}october.xlsx.v1.annotated.xlsx` };
    await store.put({ bucket: 'uploads', key: `${uploadReportsFolder('science', grant.uploadId)}october.xlsx.v1.json`, body: JSON.stringify(report), contentType: 'application/json' });
    const view = jsonOf(await call({ path, as: 'science-clerk' })) as UploadView;
    expect(view).toMatchObject({ status: 'rejected', period: '2026-10', user: 'science-clerk' });
    expect(view.report?.errors[0]?.cell).toBe('D5');
    expect(view.annotatedUrl).toBe(`https://uploads.s3.example/${report.annotatedKey}?as=${encodeURIComponent('october（标注 annotated）.xlsx')}`);
    const listed = jsonOf(await call({ path: '/api/departments/science/uploads', as: 'science-head' })) as { uploads: UploadView[] };
    expect(listed.uploads.map((u) => [u.uploadId, u.status])).toEqual([[grant.uploadId, 'rejected']]);
    const months = jsonOf(await call({ path: '/api/departments/science/months', query: { year: '2026' }, as: 'office' })) as MonthsResponse;
    expect(months.months.find((m) => m.period === '2026-10')).toMatchObject({ status: 'rejected', latestUpload: { uploadId: grant.uploadId, user: 'science-clerk' } });
  });

  it('leaves out a form that was never sent once its policy expired', async () => {
    const { call, granted } = portal();
    await call(request({ fileName: 'october.xlsx', size: 100 }));
    const [upload] = granted;
    if (upload) upload.expiresAt = '2026-11-20T03:00:00.000Z';
    expect((jsonOf(await call({ path: '/api/departments/science/uploads', as: 'science-clerk' })) as { uploads: unknown[] }).uploads).toEqual([]);
    expect(errorCode(await call({ path: `/api/departments/science/uploads/${upload?.uploadId}`, as: 'science-clerk' }))).toBe('upload.not_found');
  });

  it('answers 404 for an upload id that is none, and for a department that is none', async () => {
    const { call } = portal();
    expect(errorCode(await call({ path: '/api/departments/science/uploads/not-an-id', as: 'science-clerk' }))).toBe('upload.not_found');
    expect(errorCode(await call({ path: '/api/departments/nowhere/months', as: 'office' }))).toBe('request.not_found');
    expect(errorCode(await call({ method: 'DELETE', path: '/api/me', as: 'office' }))).toBe('request.not_found');
  });
});

describe('the months and the template', () => {
  it("shows an accepted month awaiting its head's sign-off, from the department's months", async () => {
    const months = [submittedMonth({ ...submission('science', '2026-10'), uploadedAt: '2026-11-08T01:00:00Z' })];
    const body = jsonOf(await portal({ months }).call({ path: '/api/departments/science/months', query: { year: '2026' }, as: 'science-clerk' })) as MonthsResponse;
    expect(body.months.find((m) => m.period === '2026-10')).toMatchObject({ status: 'accepted', onTime: true, due: '2026-11-10', state: 'submitted', returnedReason: null });
    expect(body.months.find((m) => m.period === '2026-09')).toMatchObject({ status: 'not_received', onTime: false, state: 'not_received', returnedReason: null });
  });

  it('answers the template workbook as a file, made with the figures the month shows for reference', async () => {
    const response = await portal().call({ path: '/api/departments/science/template', query: { period: '2026-11' }, as: 'science-clerk' });
    expect(response.status).toBe(200);
    expect('file' in response && response.file.fileName).toBe('science-2026-11.xlsx');
    expect('file' in response && new TextDecoder().decode(response.file.bytes)).toBe('science 2026-11 0');
  });

  it('refuses a template without a month', async () => {
    expect(errorCode(await portal().call({ path: '/api/departments/science/template', as: 'science-clerk' }))).toBe('request.invalid');
  });
});

describe('GET /api/snapshots/{period}', () => {
  it('is 404 until the month has been written', async () => {
    const response = await portal().call({ path: '/api/snapshots/2026-10', as: 'office' });
    expect(response.status).toBe(404);
    expect(errorCode(response)).toBe('snapshot.not_found');
  });

  it('answers the progress and completeness with links to every file', async () => {
    const { call, store } = portal();
    const put = (file: string, value: unknown) => store.put({ bucket: 'snapshots', key: snapshotKey('2026-10', file), body: JSON.stringify(value), contentType: 'application/json' });
    await put('progress.json', { indicators: [{ indicator: 'sci-1' }], departments: [{ department: 'science' }] });
    await put(MANIFEST_FILE, { generatedAt: '2026-11-01T18:00:00.000Z', catalogVersion: '3', files: [{ key: snapshotKey('2026-10', 'progress.json') }, { key: snapshotKey('2026-10', 'report.html') }] });
    const body = jsonOf(await call({ path: '/api/snapshots/2026-10', as: 'office' })) as SnapshotResponse;
    expect(body).toMatchObject({ period: '2026-10', generatedAt: '2026-11-01T18:00:00.000Z', catalogVersion: '3', progress: [{ indicator: 'sci-1' }], completeness: [{ department: 'science' }] });
    expect(body.files.map((f) => f.file)).toEqual(['progress.json', 'report.html', MANIFEST_FILE]);
    expect(body.files[1]?.url).toContain(encodeURIComponent('2026-10-report.html'));
  });

  it('refuses a period that is no month', async () => {
    expect(errorCode(await portal().call({ path: '/api/snapshots/2026-1', as: 'office' }))).toBe('request.invalid');
  });
});
