import type { Period } from '../calendar.js';
import type { ObjectRef } from '../ports.js';

/** An upload the portal granted: who asked, for which file and month, and where the browser sends it. */
export interface PortalUpload {
  uploadId: string;
  department: string;
  fileName: string;
  /** Bytes the browser said it would send; the POST policy allowed no more. */
  size: number;
  /** The month the clerk said the upload is for, if the page knew; the workbook itself decides. */
  period: Period | null;
  /** The signed-in user, as the token names them. */
  user: string;
  email: string | null;
  /** When the POST policy was issued (ISO 8601); it is accepted until `expiresAt`. */
  requestedAt: string;
  expiresAt: string;
  /** `incoming/<department>/<uploadId>/<fileName>`. */
  key: string;
}

/** The uploads the portal granted, per department. */
export interface PortalUploads {
  /** Records a new upload; an id recorded before is refused (ids are never reused). */
  record(upload: PortalUpload): Promise<void>;
  /** The department's uploads, newest first, at most `limit`. */
  list(department: string, limit: number): Promise<PortalUpload[]>;
  get(department: string, uploadId: string): Promise<PortalUpload | undefined>;
}

/** An object as a listing names it. */
export interface ListedObject {
  key: string;
  lastModified: string;
}

/** What the portal asks of the buckets beyond reading objects: listings, and links the browser uses itself. */
export interface BucketDoor {
  /** Every object under the prefix, in key order. */
  list(bucket: string, prefix: `${string}/`): Promise<ListedObject[]>;
  exists(ref: ObjectRef): Promise<boolean>;
  /** An S3 presigned POST for exactly `key`, of 1 to `maxBytes` bytes, accepted until `expiresAt`. */
  presignedPost(request: { bucket: string; key: string; maxBytes: number; expiresInSeconds: number }): Promise<{ url: string; fields: Record<string, string> }>;
  /** A link that downloads the object under `fileName` until it expires. */
  downloadLink(ref: ObjectRef, fileName: string, expiresInSeconds: number): Promise<string>;
}
