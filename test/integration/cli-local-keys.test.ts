import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_KEY_SEGMENT_MAX_BYTES, LOCAL_RESOURCES, startLocalStores, UnstorableKeyError, type LocalStores } from '../../cli/local/stores.js';

/**
 * The local S3 stand-in keeps each object as files under its folder, named after the key; a key that
 * would resolve elsewhere on the disk, or name a file longer than the file system takes, is refused
 * before anything is written. (Real S3 stores such keys as they are.)
 */
let parent: string;
let directory: string;
let stores: LocalStores;

/** Every file and folder below `root`, relative to it. */
function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}

/** A client of the stand-in's endpoint like the functions' own, without the local stores' check. */
let otherClient: S3Client;

async function put(client: S3Client, key: string, body: Uint8Array = new Uint8Array([1, 2, 3])): Promise<unknown> {
  return client.send(new PutObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key, Body: body })).then(
    () => null,
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'cli-local-keys-'));
  directory = join(parent, 'data');
  stores = await startLocalStores(directory);
  const { AWS_REGION: region, AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = stores.env;
  otherClient = new S3Client({ region, endpoint, forcePathStyle: true, credentials: { accessKeyId: accessKeyId ?? '', secretAccessKey: secretAccessKey ?? '' } });
});

afterAll(async () => {
  otherClient.destroy();
  await stores.close();
  rmSync(parent, { recursive: true, force: true });
});

/** Keys refused; `routed`: s3rver's router passes the request on to the store (it answers `//` and a leading `/` with a bare 404 itself). */
const REFUSED = [
  { case: '".." segments that climb into the reports folder', key: 'incoming/education/../../reports/education/forged.json', part: 'part 3 is ".."', routed: true },
  { case: '".." segments that climb out of the data folder', key: 'incoming/../../../../outside.json', part: 'part 2 is ".."', routed: true },
  { case: 'a "." segment', key: 'incoming/education/./x.xlsx', part: 'part 3 is "."', routed: true },
  { case: 'an empty segment', key: 'incoming//education/x.xlsx', part: 'part 2 between slashes is empty', routed: false },
  { case: 'a leading slash', key: '/incoming/education/x.xlsx', part: 'part 1 between slashes is empty', routed: false },
  { case: 'a trailing slash', key: 'incoming/education/', part: 'part 3 between slashes is empty', routed: true },
  { case: 'a backslash', key: 'incoming/education/..\\..\\x.xlsx', part: 'backslash', routed: true },
  { case: 'a NUL character', key: 'incoming/education/x\u0000.xlsx', part: 'NUL', routed: true },
  { case: 'a name of 78 Chinese characters', key: `incoming/education/${'填'.repeat(78)}.xlsx`, part: 'part 3 has 239 bytes', routed: true },
];

describe('the local upload bucket refusing keys its disk cannot hold', () => {
  it.each(REFUSED)('refuses $case through the local stores\' client, before sending, naming the key and the reason', async ({ key, part }) => {
    const before = tree(parent);

    const error = await put(stores.s3, key);

    expect(error).toBeInstanceOf(UnstorableKeyError);
    expect((error as Error).message).toContain(`cannot store "${key}"`);
    expect((error as Error).message).toContain(part);
    expect(tree(parent)).toEqual(before);
  });

  it.each(REFUSED.filter(({ routed }) => routed))(
    'refuses $case from any other client, as the functions write, with a 400 naming the reason',
    async ({ key, part }) => {
      const before = tree(parent);

      const error = await put(otherClient, key);

      expect(error).toBeInstanceOf(S3ServiceException);
      expect(error).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message).toContain(part);
      expect(tree(parent)).toEqual(before);
    },
  );

  it.each(REFUSED.filter(({ routed }) => !routed))('writes nothing for $case sent by any other client', async ({ key }) => {
    const before = tree(parent);

    expect(await put(otherClient, key)).toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(tree(parent)).toEqual(before);
  });

  it('refuses to read through ".." as well', async () => {
    // An object of the bucket's root folder, which `incoming/education/../../x` would name on disk.
    expect(await put(stores.s3, 'x')).toBeNull();
    const error = await otherClient
      .send(new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: 'incoming/education/../../x' }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidArgument' });
  });

  it('stores a name of exactly the most bytes allowed, its longest file on disk exactly 255 bytes, and refuses one byte more', async () => {
    const longest = `${'填'.repeat((LOCAL_KEY_SEGMENT_MAX_BYTES - 5) / 3)}.xlsx`;
    expect(Buffer.byteLength(longest)).toBe(LOCAL_KEY_SEGMENT_MAX_BYTES);
    const body = new Uint8Array(1_000).fill(7);

    expect(await put(stores.s3, `incoming/science/${longest}`, body)).toBeNull();
    const { Body } = await stores.s3.send(new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: `incoming/science/${longest}` }));
    expect(await Body?.transformToByteArray()).toEqual(body);
    // What s3rver names the object's files: the segment and its own endings, of which the longest reaches the file system's limit.
    const files = readdirSync(join(directory, 's3', LOCAL_RESOURCES.uploadBucket, 'incoming', 'science'));
    expect(files.every((file) => file.startsWith(longest))).toBe(true);
    expect(Math.max(...files.map((file) => Buffer.byteLength(file)))).toBe(255);

    expect(await put(stores.s3, `incoming/science/x${longest}`)).toBeInstanceOf(UnstorableKeyError);
    expect(await put(otherClient, `incoming/science/x${longest}`)).toMatchObject({ name: 'InvalidArgument' });
  });
});

describe('npm run cli -- ingest of a file the local stand-in cannot store', () => {
  const run = promisify(execFile);
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'cli-local-keys-cli-'));
    mkdirSync(join(folder, 'in'));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([
    // 70 characters: the upload's own key fits, the import report's (name + .<sequencer>.annotated.xlsx) does not.
    { case: 'a name of 70 Chinese characters', name: `${'科'.repeat(70)}.xlsx`, says: 'its import report would go to "reports/science/' },
    { case: 'a name of 80 Chinese characters', name: `${'科'.repeat(80)}.xlsx`, says: 'part 3 has 245 bytes' },
    { case: 'a name holding backslashes', name: '..\\..\\science-2026-11.xlsx', says: 'backslash' },
  ])('refuses $case in one line, exit 1, starting no store', async ({ name, says }) => {
    const file = join(folder, 'in', name);
    writeFileSync(file, 'any bytes: the name is refused before the file is read as a workbook');
    const data = join(folder, 'data');

    const outcome = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'ingest', file, '--department', 'science', '--data', data]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    expect(outcome.code).toBe(1);
    const [line, ...more] = outcome.stderr.trimEnd().split('\n');
    expect(more).toEqual([]);
    expect(line).toContain(`本地 S3 存储无法保存 "incoming/science/${name}"`);
    expect(line).toContain(`The local S3 stand-in cannot store "incoming/science/${name}"`);
    expect(line).toContain(says);
    expect(line).toContain('rename the file');
    expect(existsSync(data)).toBe(false);
  });
});
