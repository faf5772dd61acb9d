import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { attachmentDisposition } from '../portal/http.js';
import type { BucketDoor, ListedObject } from '../portal/ports.js';
import { s3ObjectExists } from './s3-object-store.js';

/** The BucketDoor port over S3: listings, presigned POSTs for the browser's uploads, and download links. */
export function s3BucketDoor(client: S3Client): BucketDoor {
  return {
    async list(bucket, prefix) {
      const listed: ListedObject[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const { Key, LastModified } of page.Contents ?? []) {
          if (Key !== undefined) listed.push({ key: Key, lastModified: (LastModified ?? new Date(0)).toISOString() });
        }
        token = page.NextContinuationToken;
      } while (token);
      return listed;
    },
    exists: s3ObjectExists(client),
    async presignedPost({ bucket, key, maxBytes, expiresInSeconds }) {
      // The key is fixed by the policy (`Key` adds the condition), so the form can write that one object only.
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Conditions: [['content-length-range', 1, maxBytes]],
        Expires: expiresInSeconds,
      });
      return { url, fields };
    },
    async downloadLink({ bucket, key, versionId }, fileName, expiresInSeconds) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ResponseContentDisposition: attachmentDisposition(fileName) });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },
  };
}
