import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { dynamo, s3 } from '../../shared/aws/clients.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { isPeriod, previousPeriod } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { lazily } from '../../shared/lazily.js';
import { logger } from '../../shared/observability/logger.js';
import { METRIC, metrics } from '../../shared/observability/metrics.js';
import { systemClock } from '../../shared/ports.js';

const config = readConfig(['observationsTable', 'snapshotBucket', 'dueDay']);
// The snapshot and its renderers (exceljs for report.xlsx, the Parquet writer: half the bundle) are a chunk of
// their own, read at the first run rather than at every cold start (BUNDLING, bench/cold-start.ts).
const snapshot = lazily(async () => {
  const { makeSnapshot } = await import('../../shared/snapshot/index.js');
  return makeSnapshot({
    catalog,
    observations: dynamoObservationRepository(dynamo, config.observationsTable),
    objects: s3ObjectStore(s3),
    bucket: config.snapshotBucket,
    dueDay: config.dueDay,
  });
});

/** The schedule sends `{}` (the month just ended); an operator may ask for `{"period":"2026-11"}`. */
const snapshotRequest = z.object({
  period: z.string().refine(isPeriod, 'period must be a month written YYYY-MM').optional(),
});

export const handler = middy(async (event: unknown) => {
  const request = snapshotRequest.parse(event ?? {});
  const period = request.period ?? previousPeriod(systemClock.now());
  logger.appendKeys({ period });
  const writeSnapshot = await snapshot();
  const started = performance.now();
  const { files } = await writeSnapshot(period);
  // The alarm on a missing snapshot watches the daily deadline check; these describe each run.
  metrics.addMetric(METRIC.snapshotDuration, MetricUnit.Milliseconds, performance.now() - started);
  metrics.addMetric(METRIC.snapshotsWritten, MetricUnit.Count, 1);
  logger.info('snapshot written', { files });
  return { period, bucket: config.snapshotBucket, files };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
