import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamo, dynamoClient, s3 } from '../../shared/aws/clients.js';
import { sqs, sqsNoticeQueue } from '../../shared/aws/notice-queue.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { dynamoPortalUploads } from '../../shared/aws/portal-uploads.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig, readLimits } from '../../shared/config.js';
import type { IngestedUpload } from '../../shared/ingest/delivery.js';
import { lazily } from '../../shared/lazily.js';
import { logger } from '../../shared/observability/logger.js';
import { metrics } from '../../shared/observability/metrics.js';
import type { Upload } from '../../shared/observation.js';
import { systemClock } from '../../shared/ports.js';

const config = readConfig(['observationsTable', 'idempotencyTable', 'noticeQueueUrl']);
const observations = dynamoObservationRepository(dynamo, config.observationsTable);
const ports = {
  catalog,
  objects: s3ObjectStore(s3),
  observations,
  portalUploads: dynamoPortalUploads(dynamo, config.observationsTable),
  clock: systemClock,
  options: { limits: readLimits() },
};

// The import and the workbook reader under it (exceljs and its zip libraries: half the bundle) are a chunk of
// their own, read at the first message rather than at every cold start (BUNDLING, bench/cold-start.ts).
const delivery = lazily(async () => {
  const { makeUploadImport, uploadsOfMessage } = await import('../../shared/ingest/delivery.js');
  return { importUpload: makeUploadImport({ ports, logger, metrics, notices: { queue: sqsNoticeQueue(sqs, config.noticeQueueUrl), months: observations } }), uploadsOfMessage };
});
const importUpload = async (upload: Upload) => (await delivery()).importUpload(upload);

/**
 * S3 delivers at least once: the same object version twice, even at the same time, is imported once.
 * The key is the object version itself; a concurrent duplicate fails as in progress and is redelivered,
 * by which time it finds the first one's result. A failed import leaves no record, so its retry runs.
 */
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[bucket, key, versionId, sequencer]',
  // S3 repeats an event within minutes; the repository itself refuses anything older as a duplicate.
  expiresAfterSeconds: 24 * 60 * 60,
});
const ingestOnce = makeIdempotent(importUpload, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.idempotencyTable, awsSdkV3Client: dynamoClient }),
  config: idempotency,
});

async function deliver(record: SQSRecord): Promise<IngestedUpload[]> {
  const { uploadsOfMessage } = await delivery();
  const ingested: IngestedUpload[] = [];
  for (const upload of uploadsOfMessage(record)) ingested.push(await ingestOnce(upload));
  return ingested;
}

const processor = new BatchProcessor(EventType.SQS);

/** S3 → SQS → here. A failed message alone is returned for redelivery; after DELIVERY.maxReceiveCount it is dead-lettered. */
export const handler = middy(async (event: SQSEvent, context: Context) => {
  idempotency.registerLambdaContext(context);
  // One workbook at a time: parsing is memory-bound and the function's memory is sized for one.
  return processPartialResponse(event, deliver, processor, { context, processInParallel: false });
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
