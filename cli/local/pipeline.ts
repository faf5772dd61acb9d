import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import type { Period } from '../../shared/period.js';
import { localContext, LOCAL_RESOURCES, startLocalStores, type LocalStores } from './stores.js';

type IngestResult = Awaited<ReturnType<typeof import('../../functions/ingest/handler.js').handler>>;
export type IngestedUpload = IngestResult['reports'][number];

export interface LocalPipeline {
  stores: LocalStores;
  /**
   * Puts a file into the upload bucket and waits for the ingest function, which runs on the
   * event s3rver emits; returns what it reported for that file.
   */
  upload(key: string, body: Uint8Array): Promise<IngestedUpload[]>;
  snapshot(period: Period): Promise<{ period: Period; bucket: string; files: { key: string }[] }>;
  read(bucket: string, key: string): Promise<Uint8Array>;
}

/**
 * Runs the real Lambda handlers in this process against the local stores: the stores first,
 * then the handler modules, whose AWS clients and configuration are read at import the way
 * a cold start reads them.
 */
export async function startLocalPipeline(directory: string): Promise<LocalPipeline & { close(): Promise<void> }> {
  const stores = await startLocalStores(directory);
  Object.assign(process.env, stores.env);
  const ingest = await import('../../functions/ingest/handler.js');
  const snapshot = await import('../../functions/snapshot/handler.js');
  let ingested: IngestedUpload[] = [];
  stores.onS3Event(async (event: S3Event) => {
    const { reports } = await ingest.handler(event, localContext('ingest'));
    ingested.push(...reports);
  });

  return {
    stores,
    async upload(key, body) {
      await stores.s3.send(new PutObjectCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, Key: key, Body: body }));
      await stores.settled();
      const reports = ingested;
      ingested = [];
      return reports;
    },
    snapshot: (period) => snapshot.handler({ period }, localContext('snapshot')),
    async read(bucket, key) {
      const { Body } = await stores.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return Body.transformToByteArray();
    },
    close: () => stores.close(),
  };
}
