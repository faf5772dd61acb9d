import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import type { Period } from '../../shared/calendar.js';
import type { IngestedUpload } from '../../shared/ingest/delivery.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { uploadsOf } from '../../shared/ingest/s3-event.js';
import { annotatedKeyOf, reportFolderOf, reportKeyOf } from '../../shared/s3-keys.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { dynamoPortalUploads } from '../../shared/aws/portal-uploads.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { dynamoSentNotices } from '../../shared/aws/sent-notices.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { DEFAULT_DUE_DAY } from '../../shared/calendar.js';
import { makeDelivery, type RetryPolicy } from '../../shared/notify/deliver.js';
import { noticeBatchHandler } from '../../shared/notify/notice-batch.js';
import { makeNotifier } from '../../shared/notify/notify.js';
import { systemClock } from '../../shared/ports.js';
import { localContacts } from './contacts.js';
import { startLocalNoticeQueue } from './notice-queue.js';
import { outboxChannels, outboxFolder } from './outbox.js';
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
  /** The notice queue, whose requests the notifier writes to `outbox` as files (and sends to robots not `*.local`). */
  notices: LocalQueue;
  outbox: string;
  /** Resolves when every notice requested so far has been handled or dead-lettered. */
  noticesSettled(): Promise<void>;
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
  /** Runs the reminder and escalation function as of a district date, and waits for its notices. */
  remind(on: string): Promise<{ on: string; requested: number }>;
}

/**
 * Runs the real Lambda handlers in this process against the local stores: the stores first,
 * then the handler modules, whose AWS clients and configuration are read at import the way
 * a cold start reads them. S3 → SQS → ingest is kept: every notification s3rver emits becomes
 * an SQS message, received again while the handler reports it failed, then dead-lettered.
 */
/** Where the links of the local run's notices point: the local portal (`npm start`). */
const LOCAL_PORTAL_URL = 'http://127.0.0.1:8080/';

/**
 * The notifier of a local run: the real use case and batch handling, on the local stores, with the contacts of
 * `<data>/contacts.json` and the outbox for channels. A test may make the retries quicker.
 */
async function localNotifier(directory: string, stores: LocalStores, retry?: RetryPolicy) {
  // Read once the stores' settings are in the environment, as a handler's would be: its level among them.
  const { logger } = await import('../../shared/observability/logger.js');
  const documents = DynamoDBDocumentClient.from(stores.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const observations = dynamoObservationRepository(documents, LOCAL_RESOURCES.observationsTable);
  const notify = makeNotifier({
    catalog,
    objects: s3ObjectStore(stores.s3),
    reviews: observations,
    portalUploads: dynamoPortalUploads(documents, LOCAL_RESOURCES.observationsTable),
    contacts: await localContacts(directory, catalog.departments.map((d) => d.id)),
    deliver: makeDelivery({
      channels: outboxChannels(directory, systemClock, { from: 'notices@portal.local' }),
      sentNotices: dynamoSentNotices(documents, LOCAL_RESOURCES.sentNoticesTable),
      clock: systemClock,
      logger,
      ...(retry ? { retry } : {}),
    }),
    portalUrl: LOCAL_PORTAL_URL,
    snapshotBucket: LOCAL_RESOURCES.snapshotBucket,
    dueDay: DEFAULT_DUE_DAY,
    logger,
  });
  const handle = noticeBatchHandler(async () => notify, logger);
  return (event: Parameters<typeof handle>[0]) => handle(event, localContext('notify'));
}

export async function startLocalPipeline(directory: string, options: { noticeRetry?: RetryPolicy } = {}): Promise<LocalPipeline & { close(): Promise<void> }> {
  const stores = await startLocalStores(directory);
  Object.assign(process.env, stores.env);
  const notices = await startLocalNoticeQueue(await localNotifier(directory, stores, options.noticeRetry));
  Object.assign(process.env, notices.env);
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
        await notices.settled();
      } finally {
        awaited.delete(key);
      }
      const events = delivered;
      delivered = [];
      return (await Promise.all(events.map(reportsOf))).flat();
    },
    notices: notices.queue,
    outbox: outboxFolder(directory),
    noticesSettled: () => notices.settled(),
    reportsOf,
    async snapshot(period, run) {
      const result = await snapshot.handler(run === 'draft' ? { period, draft: true } : run ? { period, rebuild: true, ...run } : { period }, localContext('snapshot'));
      await notices.settled();
      return result;
    },
    read,
    async remind(on) {
      const remind = await import('../../functions/remind/handler.js');
      const result = await remind.handler({ on }, localContext('remind'));
      await notices.settled();
      return result;
    },
    async close() {
      await notices.settled();
      await notices.close();
      await stores.close();
    },
  };
}
