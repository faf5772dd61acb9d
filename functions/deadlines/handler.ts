import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { dynamo, s3 } from '../../shared/aws/clients.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectListed } from '../../shared/aws/s3-object-store.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { makeDeadlineCheck } from '../../shared/observability/deadlines.js';
import { logger } from '../../shared/observability/logger.js';
import { METRIC, metrics } from '../../shared/observability/metrics.js';
import type { Period } from '../../shared/calendar.js';
import { systemClock } from '../../shared/ports.js';
import { MANIFEST_FILE, snapshotKey } from '../../shared/s3-keys.js';

const config = readConfig(['observationsTable', 'snapshotBucket', 'dueDay']);

// Listed, not HEADed: the role may list snapshots/ only, and a HEAD of a missing manifest would be refused (403).
const objectExists = s3ObjectListed(s3);

const check = makeDeadlineCheck({
  departments: catalog.departments,
  observations: dynamoObservationRepository(dynamo, config.observationsTable),
  snapshotExists: (period: Period) => objectExists({ bucket: config.snapshotBucket, key: snapshotKey(period, MANIFEST_FILE) }),
  dueDay: config.dueDay,
});

/**
 * Runs daily and emits both metrics every time (zero until a deadline has passed), so the alarms can
 * treat a day without them as a fault of the check itself.
 */
export const handler = middy(async () => {
  const result = await check(systemClock.now());
  logger.appendKeys({ period: result.period });
  metrics.addMetric(METRIC.snapshotMissing, MetricUnit.Count, result.snapshotMissing ? 1 : 0);
  metrics.addMetric(METRIC.lateDepartments, MetricUnit.Count, result.lateDepartments.length);
  for (const department of result.lateDepartments) logger.warn('department has not reported by the due day', { department });
  logger.info('deadlines checked', { ...result });
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
