import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import type { Period } from '../../shared/calendar.js';
import type { IngestedUpload } from '../../shared/ingest/delivery.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { uploadsOf } from '../../shared/ingest/s3-event.js';
import { annotatedKeyOf, reportFolderOf, reportKeyOf } from '../../shared/s3-keys.js';
import { localQueue, type LocalQueue } from './queue.js';
import { assertStorableLocally, localContext, LOCAL_RESOURCES, startLocalStores, unstorableReason, UnstorableKeyError, type LocalStores } from './stores.js';

export type { IngestedUpload };

/** A message that failed every receive: the local counterpart of one landing in the dead-letter queue. */
class DeadLetteredError extends Error {
  constructor(readonly event: S3Event, cause: unknown) {
    super(`the ingest function failed ${event.Records.map((r) => r.s3.object.key).join(', ')} on every delivery`, { cause });
    this.name = 'DeadLetteredError';
  }
}

/** The sequencer s3rver gives an event, the time in hex (lib/models/event.js); local report keys carry it where S3 has a version id. */
const localSequencer = () => Date.now().toString(16).toUpperCase();

/**
 * Throws UnstorableKeyError, before anything is written, for an upload the local stand-in cannot
 * store, or whose import report or annotated copy it could not: their names add
 * `.<sequencer>.annotated.xlsx` to the file's name.
 */
export function assertUploadStorableLocally(key: string): void {
  assertStorableLocally(key);
  const upload = { key, sequencer: localSequencer() };
  const folder = reportFolderOf(key);
  for (const written of [reportKeyOf(upload, folder), annotatedKeyOf(upload, folder)]) {
    const reason = unstorableReason(written);
    if (reason) {
      throw new UnstorableKeyError(key, { zh: `它的导入报告要写到 "${written}"，${reason.zh}`, en: `its import report would go to "${written}", where ${reason.en}` });
    }
  }
}

/** A draft, or a rebuild with its reason and who asks; a publication when none. */
export type LocalSnapshotRun = 'draft' | { reason: string; requestedBy: string };

export interface LocalPipeline {
  stores: LocalStores;
  /** The ingest queue: S3 notifications go through it, and a test may send its own. */
  queue: LocalQueue;
  /**
   * Puts a file into the upload bucket and waits for the ingest function, which runs on the
   * event s3rver emits, delivered as an SQS message; returns what it reported for that file.
   * A key the local disk cannot hold is refused first (UnstorableKeyError).
   */
  upload(key: string, body: Uint8Array): Promise<IngestedUpload[]>;
  /** What the ingest function reported for each upload an S3 notification announced, read from its import reports. */
  reportsOf(event: S3Event): Promise<IngestedUpload[]>;
  /** Publishes the month once; a draft locks nothing; a rebuild, with its reason and who asks, rewrites a published month. */
  snapshot(period: Period, run?: LocalSnapshotRun): Promise<{ period: Period; bucket: string; outcome: 'written' | 'already_published'; files: { key: string }[] }>;
  read(bucket: string, key: string): Promise<Uint8Array>;
}

/**
 * Runs the real Lambda handlers in this process against the local stores: the stores first,
 * then the handler modules, whose AWS clients and configuration are read at import the way
 * a cold start reads them. S3 → SQS → ingest is kept: every notification s3rver emits becomes
 * an SQS message, received again while the handler reports it failed, then dead-lettered.
 */
export async function startLocalPipeline(directory: string): Promise<LocalPipeline & { close(): Promise<void> }> {
  const stores = await startLocalStores(directory);
  Object.assign(process.env, stores.env);
  const ingest = await import('../../functions/ingest/handler.js');
  const snapshot = await import('../../functions/snapshot/handler.js');
  const queue = localQueue((event) => ingest.handler(event, localContext('ingest')));
  // Kept only for the keys an `upload` call waits on: the portal's uploads, which nobody here waits on, are not.
  const awaited = new Set<string>();
  let delivered: S3Event[] = [];
  stores.onS3Event(async (event) => {
    if (!(await queue.send(JSON.stringify(event)))) throw new DeadLetteredError(event, queue.deadLetters.at(-1)?.error);
    if (uploadsOf(event).some((upload) => awaited.has(upload.key))) delivered.push(event);
  });

  async function read(bucket: string, key: string): Promise<Uint8Array> {
    const { Body } = await stores.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return Body.transformToByteArray();
  }

  async function reportsOf(event: S3Event): Promise<IngestedUpload[]> {
    return Promise.all(
      uploadsOf(event).map(async (upload) => {
        const reportKey = reportKeyOf(upload, reportFolderOf(upload.key));
        const report = JSON.parse(new TextDecoder().decode(await read(upload.bucket, reportKey))) as ImportReport;
        return { reportKey, status: report.status, outcome: report.outcome };
      }),
    );
  }

  return {
    stores,
    queue,
    async upload(key, body) {
      assertUploadStorableLocally(key);
      awaited.add(key);
      try {
        await stores.s3.send(new PutObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key, Body: body }));
        await stores.settled();
      } finally {
        awaited.delete(key);
      }
      const events = delivered;
      delivered = [];
      return (await Promise.all(events.map(reportsOf))).flat();
    },
    reportsOf,
    snapshot: (period, run) =>
      snapshot.handler(run === 'draft' ? { period, draft: true } : run ? { period, rebuild: true, ...run } : { period }, localContext('snapshot')),
    read,
    close: () => stores.close(),
  };
}
