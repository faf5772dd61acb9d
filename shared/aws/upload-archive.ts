import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StoredVersion, UploadArchive } from '../ingest/rebuild.js';

/** S3 names the one version of an object written while the bucket kept no versions "null"; its events carry none. */
const UNVERSIONED = 'null';

/** Every object under the prefix, page by page: the one version each key has where the bucket keeps no versions. */
async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<StoredVersion[]> {
  const objects: StoredVersion[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const { Key, LastModified } of page.Contents ?? []) {
      if (Key && LastModified) objects.push({ key: Key, lastModified: LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/**
 * Every version of every object under the prefix, page by page. S3 lists keys in order and each
 * key's versions newest first, a key's versions possibly across pages; they are returned oldest
 * first. Delete markers are not uploads; the versions beneath them are, and are listed.
 */
async function listVersions(client: S3Client, bucket: string, prefix: string): Promise<StoredVersion[]> {
  const byKey = new Map<string, StoredVersion[]>();
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
    );
    for (const { Key, VersionId, LastModified } of page.Versions ?? []) {
      if (!Key || !LastModified) continue;
      const version: StoredVersion = { key: Key, lastModified: LastModified, ...(VersionId && VersionId !== UNVERSIONED ? { versionId: VersionId } : {}) };
      byKey.set(Key, [...(byKey.get(Key) ?? []), version]);
    }
    [keyMarker, versionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [undefined, undefined];
  } while (keyMarker);
  return [...byKey.values()].flatMap((versions) => versions.reverse());
}

/**
 * The upload bucket as the rebuild reads it. `keepsVersions`: the stack's bucket is versioned and
 * every version is listed; the local stand-in keeps one object per key and lists no versions.
 */
export function s3UploadArchive(client: S3Client, { keepsVersions }: { keepsVersions: boolean }): UploadArchive {
  return {
    versions: (bucket, prefix) => (keepsVersions ? listVersions(client, bucket, prefix) : listObjects(client, bucket, prefix)),
    keys: async (bucket, prefix) => (await listObjects(client, bucket, prefix)).map((object) => object.key),
  };
}
