import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ObjectRef, ObjectStore, ObjectTooLarge } from '../ports.js';

/**
 * Reads a body as it streams, never holding more than `maxBytes`: the length S3 states may be absent or, from
 * a stand-in, wrong, so the count of bytes received decides. Leaving the loop early destroys the stream, so
 * the rest of the object is never downloaded.
 */
async function boundedRead(body: Readable, maxBytes: number): Promise<Uint8Array | ObjectTooLarge> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) return { tooLarge: true, size };
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** The ObjectStore port over S3 (or any S3-compatible endpoint). */
export function s3ObjectStore(client: S3Client): ObjectStore {
  return {
    async get({ bucket, key, versionId }, { maxBytes }) {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      // In Node.js the SDK hands the body over as a stream (an IncomingMessage), not yet read.
      if (!(response.Body instanceof Readable)) throw new Error(`s3://${bucket}/${key} has no body stream`);
      if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
        response.Body.destroy();
        return { tooLarge: true, size: response.ContentLength };
      }
      return boundedRead(response.Body, maxBytes);
    },
    async put({ bucket, key, body, contentType }) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
  };
}

/** Whether an object exists, asked without reading it. */
export function s3ObjectExists(client: S3Client) {
  return async ({ bucket, key }: ObjectRef): Promise<boolean> => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  };
}

/**
 * Whether an object is there, asked by listing its key: for a role that may list only a prefix (`s3:prefix`), since
 * S3 answers a HEAD of a missing key with 403, not 404, to a caller that may not list the whole bucket.
 */
export function s3ObjectListed(client: S3Client) {
  return async ({ bucket, key }: ObjectRef): Promise<boolean> => {
    const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    return Contents.some((object) => object.Key === key);
  };
}
