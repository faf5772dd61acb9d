import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';

const s3 = mockClient(S3Client);
const store = s3ObjectStore(s3 as unknown as S3Client);
const REF = { bucket: 'uploads', key: 'incoming/science/a.xlsx', versionId: 'v1' };
const MIB = 2 ** 20;

/** A body of `chunks` pieces of 64 KiB (endless when not given) that counts how many bytes were taken from it. */
function countedBody(chunks = Number.POSITIVE_INFINITY) {
  const taken = { bytes: 0 };
  const piece = Buffer.alloc(64 * 1024, 0x41);
  function* pieces() {
    for (let n = 0; n < chunks; n++) {
      taken.bytes += piece.length;
      yield piece;
    }
  }
  const stream = Readable.from(pieces());
  return { stream, taken, body: stream as unknown as GetObjectCommandOutput['Body'] };
}

afterEach(() => s3.reset());

describe('reading an object from S3 within a size', () => {
  it.each([
    ['a length S3 states', 16 * 64 * 1024],
    ['no length at all', undefined],
  ])('returns the bytes of an object within the size, with %s', async (_case, ContentLength) => {
    const { body, taken } = countedBody(16);
    s3.on(GetObjectCommand, { Bucket: REF.bucket, Key: REF.key, VersionId: 'v1' }).resolves({ Body: body, ContentLength });
    const read = await store.get(REF, { maxBytes: MIB });
    expect(read).toEqual(Buffer.alloc(MIB, 0x41));
    expect(taken.bytes).toBe(MIB);
  });

  it('refuses an object whose stated length is over the size without reading its body', async () => {
    const { body, stream, taken } = countedBody();
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength: 700 * MIB });
    expect(await store.get(REF, { maxBytes: MIB })).toEqual({ tooLarge: true, size: 700 * MIB });
    expect(taken.bytes).toBe(0);
    expect(stream.destroyed).toBe(true);
  });

  it.each([
    ['states no length', undefined],
    ['states a length under the size', 10],
  ])('stops reading an endless object that %s once it passes the size', async (_case, ContentLength) => {
    const { body, stream, taken } = countedBody();
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength });
    expect(await store.get(REF, { maxBytes: MIB })).toEqual({ tooLarge: true, size: MIB + 64 * 1024 });
    // What a stream reads ahead of its consumer (16 pieces in object mode) is all that was taken beyond the size.
    expect(taken.bytes).toBeLessThanOrEqual(MIB + 17 * 64 * 1024);
    expect(stream.destroyed).toBe(true);
  });
});
