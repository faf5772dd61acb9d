import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Event } from 'aws-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { decodeS3Key } from '../../shared/ingest/s3-event.js';
import { uploadKey } from '../../shared/s3-keys.js';

/**
 * The portal's browser uploads a workbook straight to the local upload bucket with a presigned POST and downloads
 * reports with presigned links; the local stand-in must take and refuse them as S3 does.
 */
let directory: string;
let stores: LocalStores;
let endpoint: string;
const events: S3Event[] = [];
const PAGE_ORIGIN = 'http://127.0.0.1:8080';
const MAX_BYTES = 2048;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'local-browser-uploads-'));
  stores = await startLocalStores(directory);
  endpoint = stores.env.AWS_ENDPOINT_URL_S3 ?? '';
  stores.onS3Event(async (event) => {
    events.push(event);
  });
});

beforeEach(() => {
  events.length = 0;
});

afterAll(async () => {
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A grant as the API makes it: one exact key, at most MAX_BYTES. */
async function grant(key: string, options: { expires?: number; client?: S3Client } = {}) {
  return createPresignedPost(options.client ?? stores.s3, {
    Bucket: LOCAL_RESOURCES.uploadBucket,
    Key: key,
    Conditions: [['content-length-range', 1, MAX_BYTES]],
    Expires: options.expires ?? 300,
  });
}

/** POSTs the form as the page does: the fields as given, then the file. */
async function post(url: string, fields: Record<string, string>, bytes: number, origin = PAGE_ORIGIN): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes).fill(7)]), 'workbook.xlsx');
  return fetch(url, { method: 'POST', body: form, headers: { origin } });
}

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
}

async function stored(key: string): Promise<boolean> {
  return stores.s3.send(new HeadObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key })).then(
    () => true,
    (error: { name?: string }) => {
      if (error.name === 'NotFound') return false;
      throw error;
    },
  );
}

describe('a presigned POST to the local upload bucket', () => {
  it('stores a file within the policy and announces it with an S3 event', async () => {
    const key = uploadKey('education', 'within-policy.xlsx');
    const { url, fields } = await grant(key);
    const response = await post(url, fields, 1000);
    expect(response.status).toBe(204);
    await stores.settled();
    expect(events.map((event) => event.Records.map((record) => [record.eventName, decodeS3Key(record.s3.object.key), record.s3.object.size]))).toEqual([
      [['ObjectCreated:Post', key, 1000]],
    ]);
    const { Body } = await stores.s3.send(new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key }));
    expect(await Body?.transformToByteArray()).toEqual(new Uint8Array(1000).fill(7));
  });

  it('refuses a file over content-length-range with EntityTooLarge, storing and announcing nothing', async () => {
    const key = uploadKey('education', 'too-large.xlsx');
    const { url, fields } = await grant(key);
    const response = await post(url, fields, MAX_BYTES + 1);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('EntityTooLarge');
    await stores.settled();
    expect(events).toEqual([]);
    expect(await stored(key)).toBe(false);
  });

  it('refuses a policy changed after signing, and a changed signature', async () => {
    const key = uploadKey('education', 'tampered.xlsx');
    const { url, fields } = await grant(key);
    const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString()) as { conditions: unknown[] };
    policy.conditions = policy.conditions.map((condition) => (JSON.stringify(condition) === JSON.stringify(['content-length-range', 1, MAX_BYTES]) ? ['content-length-range', 1, 10 * MAX_BYTES] : condition));
    const widened = await post(url, { ...fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') }, 3 * MAX_BYTES);
    expect([widened.status, await errorCode(widened)]).toEqual([403, 'SignatureDoesNotMatch']);
    const signature = fields['X-Amz-Signature'] ?? '';
    const forged = await post(url, { ...fields, 'X-Amz-Signature': `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}` }, 100);
    expect([forged.status, await errorCode(forged)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await stored(key)).toBe(false);
  });

  it('refuses a policy past its expiration with AccessDenied', async () => {
    const key = uploadKey('education', 'expired.xlsx');
    const { url, fields } = await grant(key, { expires: -1 });
    const response = await post(url, fields, 100);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Invalid according to Policy: Policy expired.');
    expect(await stored(key)).toBe(false);
  });

  it('refuses a form field the policy does not name, and a key other than the granted one', async () => {
    const key = uploadKey('education', 'granted.xlsx');
    const { url, fields } = await grant(key);
    const extra = await post(url, { ...fields, 'x-amz-meta-user': 'someone-else' }, 100);
    expect([extra.status, await errorCode(extra)]).toEqual([403, 'AccessDenied']);
    const otherKey = uploadKey('finance', 'granted.xlsx');
    const elsewhere = await post(url, { ...fields, key: otherKey }, 100);
    expect([elsewhere.status, await errorCode(elsewhere)]).toEqual([403, 'AccessDenied']);
    expect([await stored(key), await stored(otherKey)]).toEqual([false, false]);
    await stores.settled();
    expect(events).toEqual([]);
  });
});

describe("the local upload bucket's CORS", () => {
  it.each(['http://127.0.0.1:8080', 'http://localhost:5173'])('answers the preflight of a POST from %s', async (origin) => {
    const response = await fetch(`${endpoint}/${LOCAL_RESOURCES.uploadBucket}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/(127\.0\.0\.1|localhost):\d+)$/);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('refuses the preflight of a page on another origin', async () => {
    const response = await fetch(`${endpoint}/${LOCAL_RESOURCES.uploadBucket}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://portal.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lets the page read the answer to its POST, stored or refused", async () => {
    const { url, fields } = await grant(uploadKey('education', 'cors.xlsx'));
    const accepted = await post(url, fields, 10, 'http://localhost:4173');
    expect([accepted.status, accepted.headers.get('access-control-allow-origin')]).toEqual([204, 'http://localhost:4173']);
    const refused = await post(url, fields, MAX_BYTES + 1, 'http://localhost:4173');
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([400, 'http://localhost:4173']);
  });
});

describe('a presigned link to an object in a local bucket', () => {
  const key = 'reports/education/月报 2025-03.xlsx.1.annotated.xlsx';
  const fileName = '月报 2025-03（已标注）.xlsx';
  const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  const link = (options: { expiresIn?: number; signingDate?: Date } = {}) =>
    getSignedUrl(stores.s3, new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key, ResponseContentDisposition: disposition }), { expiresIn: 60, ...options });

  beforeAll(async () => {
    const { url, fields } = await createPresignedPost(stores.s3, { Bucket: LOCAL_RESOURCES.uploadBucket, Key: key });
    expect((await post(url, fields, 300)).status).toBe(204);
  });

  it('serves the object with the Content-Disposition it names', async () => {
    const response = await fetch(await link());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(disposition);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(300).fill(7));
  });

  it('refuses a link whose signature, disposition or key was changed', async () => {
    const url = new URL(await link());
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const forgedSignature = new URL(url);
    forgedSignature.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    const otherName = new URL(url);
    otherName.searchParams.set('response-content-disposition', 'attachment; filename="other.xlsx"');
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('annotated', 'original');
    for (const forged of [forgedSignature, otherName, otherKey]) {
      const response = await fetch(forged);
      expect([forged.href === url.href, response.status, await errorCode(response)]).toEqual([false, 403, 'SignatureDoesNotMatch']);
    }
  });

  it('refuses a link past its expiry', async () => {
    const response = await fetch(await link({ expiresIn: 60, signingDate: new Date(Date.now() - 120_000) }));
    expect([response.status, await errorCode(response)]).toEqual([403, 'AccessDenied']);
  });

  it('refuses a link signed with a key it does not know', async () => {
    const stranger = new S3Client({
      region: stores.env.AWS_REGION,
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'STRANGER', secretAccessKey: 'S3RVER' },
    });
    const response = await fetch(await getSignedUrl(stranger, new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key }), { expiresIn: 60 }));
    stranger.destroy();
    expect([response.status, await errorCode(response)]).toEqual([403, 'InvalidAccessKeyId']);
  });
});
