import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, S3Event, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamo, dynamoClient, s3 } from '../../shared/aws/clients.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { makeIngest, type ImportReport } from '../../shared/ingest/ingest.js';
import { uploadsOf } from '../../shared/ingest/s3-event.js';
import { departmentOfKey } from '../../shared/ingest/upload.js';
import type { Upload } from '../../shared/observation.js';
import { logger } from '../../shared/observability/logger.js';
import { readLimitsFrom } from '../../shared/workbook/limits.js';
import { METRIC, metrics } from '../../shared/observability/metrics.js';
import { systemClock } from '../../shared/ports.js';

const config = readConfig(['observationsTable', 'idempotencyTable']);
const ports = {
  catalog,
  objects: s3ObjectStore(s3),
  observations: dynamoObservationRepository(dynamo, config.observationsTable),
  clock: systemClock,
  options: { limits: readLimitsFrom(process.env) },
};

/** What is kept of an import, per upload, in the idempotency record: small, the report itself is in S3. */
export type IngestedUpload = Pick<ImportReport, 'reportKey' | 'status' | 'outcome'>;

function recordMetrics({ status, outcome, counts }: ImportReport): void {
  metrics.addMetric(status === 'accepted' ? METRIC.filesAccepted : METRIC.filesRejected, MetricUnit.Count, 1);
  metrics.addMetric(METRIC.rowsRead, MetricUnit.Count, counts.observations);
  metrics.addMetric(METRIC.observationsWritten, MetricUnit.Count, outcome === 'committed' ? counts.observations : 0);
}

/** One upload, with every log line naming it; the period joins once the workbook has said which month it is. */
async function ingestUpload(upload: Upload): Promise<IngestedUpload> {
  const log = logger.createChild();
  log.appendKeys({ uploadKey: upload.key, versionId: upload.versionId, department: departmentOfKey(upload.key) });
  try {
    const report = await makeIngest({ ...ports, logger: log })(upload);
    log.appendKeys({ period: report.period });
    recordMetrics(report);
    return { reportKey: report.reportKey, status: report.status, outcome: report.outcome };
  } catch (error) {
    log.error('upload not ingested; its message will be delivered again', error as Error);
    throw error;
  }
}

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
const ingestOnce = makeIdempotent(ingestUpload, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.idempotencyTable, awsSdkV3Client: dynamoClient }),
  config: idempotency,
});

/** One SQS message carries one S3 notification; `s3:TestEvent` carries no records and is done at once. */
async function deliver(record: SQSRecord): Promise<IngestedUpload[]> {
  const ingested: IngestedUpload[] = [];
  for (const upload of uploadsOf(JSON.parse(record.body) as Partial<S3Event>)) ingested.push(await ingestOnce(upload));
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
