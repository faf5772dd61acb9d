import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { Upload } from '../observation.js';

/** S3 sends keys URL-encoded with spaces as "+"; GetObject needs the plain key. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function uploadOf(record: S3EventRecord): Upload {
  return {
    bucket: record.s3.bucket.name,
    key: decodeS3Key(record.s3.object.key),
    versionId: record.s3.object.versionId || undefined,
    sequencer: record.s3.object.sequencer,
    uploadedAt: record.eventTime,
    uploader: record.userIdentity?.principalId,
  };
}

/**
 * The uploads an S3 notification announces. The test event S3 sends when a notification
 * is configured has no Records, and only object creations are uploads.
 */
export function uploadsOf(event: Partial<S3Event>): Upload[] {
  return (event.Records ?? []).filter((r) => r.eventName.startsWith('ObjectCreated:')).map(uploadOf);
}
