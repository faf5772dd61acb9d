import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { decodeS3Key } from '../../shared/ingest/s3-event.js';
import { uploadKey } from '../../shared/s3-keys.js';

/**
 * What the ingest function relies on from the local S3 stand-in: when an S3 event announces an
 * object, reading it gives the whole object, never an empty or half-written file, even while the
 * same key is being overwritten.
 */
let directory: string;
let stores: LocalStores;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  stores = await startLocalStores(directory);
});

afterAll(async () => {
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Body `i`: its own length (long and short ones alternate) and every byte equal to `i`, so a read names the put it came from. */
function body(i: number): Uint8Array {
  return new Uint8Array((i % 2 === 0 ? 400_000 : 30_000) + i * 1_013).fill(i);
}

/** Which put a read returned whole, or null when the bytes are not exactly one of the bodies. */
function wholeBodyOf(bytes: Uint8Array, bodies: Uint8Array[]): number | null {
  const i = bytes[0];
  if (i === undefined) return null;
  const put = bodies[i];
  return put && bytes.length === put.length && bytes.every((byte) => byte === i) ? i : null;
}

async function read(key: string): Promise<Uint8Array> {
  const { Body } = await stores.s3.send(new GetObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key }));
  if (!Body) throw new Error(`${key} has no body`);
  return Body.transformToByteArray();
}

describe('the local upload bucket', () => {
  it('gives the whole object announced by each S3 event, or a newer one, while the key is overwritten again and again', async () => {
    const key = uploadKey('education', 'overwritten.xlsx');
    const bodies = Array.from({ length: 60 }, (_, i) => body(i));
    const reads: { announced: number; read: number | null; length: number | string }[] = [];
    stores.onS3Event(async (event) => {
      for (const { s3 } of event.Records) {
        const announced = bodies.findIndex((b) => b.length === s3.object.size);
        // A read cut short shows as an error (the body ends before its content-length) or as too few bytes.
        const bytes = await read(decodeS3Key(s3.object.key)).catch((error: Error) => error.message);
        if (typeof bytes === 'string') reads.push({ announced, read: null, length: bytes });
        else reads.push({ announced, read: wholeBodyOf(bytes, bodies), length: bytes.length });
      }
    });

    // Each put follows the previous one at once, so the reads its event starts overlap the next overwrite.
    for (const put of bodies) await stores.s3.send(new PutObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key, Body: put }));
    await stores.settled();

    expect(reads).toHaveLength(bodies.length);
    const torn = reads.filter(({ announced, read }) => read === null || read < announced);
    expect(torn).toEqual([]);
    expect(wholeBodyOf(await read(key), bodies)).toBe(bodies.length - 1);
  });
});
