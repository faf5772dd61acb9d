import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef, ObjectStore } from '../ports.js';

/** The ObjectStore port over S3 (or any S3-compatible endpoint). */
export function s3ObjectStore(client: S3Client): ObjectStore {
  return {
    async get({ bucket, key, versionId }) {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return response.Body.transformToByteArray();
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
