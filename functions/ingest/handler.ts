import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { dynamo, s3 } from '../../shared/aws/clients.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { makeIngest } from '../../shared/ingest/ingest.js';
import { uploadsOf } from '../../shared/ingest/s3-event.js';
import { logger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports.js';

const config = readConfig(['observationsTable']);
const ingest = makeIngest({
  catalog,
  objects: s3ObjectStore(s3),
  observations: dynamoObservationRepository(dynamo, config.observationsTable),
  clock: systemClock,
  logger,
});

/** S3 ObjectCreated under incoming/<department>/ → one import per object, in event order. */
export const handler = middy(async (event: S3Event) => {
  const reports = [];
  for (const upload of uploadsOf(event)) reports.push(await ingest(upload));
  return { reports: reports.map(({ reportKey, status, outcome }) => ({ reportKey, status, outcome })) };
}).use(injectLambdaContext(logger));
