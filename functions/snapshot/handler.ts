import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { dynamo, s3 } from '../../shared/aws/clients.js';
import { sqs, sqsNoticeQueue } from '../../shared/aws/notice-queue.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectListed, s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { isPeriod, previousPeriod } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { lazily } from '../../shared/lazily.js';
import { logger } from '../../shared/observability/logger.js';
import { METRIC, metrics } from '../../shared/observability/metrics.js';
import { systemClock } from '../../shared/ports.js';

const config = readConfig(['observationsTable', 'snapshotBucket', 'dueDay', 'noticeQueueUrl']);
const notices = sqsNoticeQueue(sqs, config.noticeQueueUrl);

// The snapshot and its renderers (exceljs for report.xlsx, the Parquet writer: half the bundle) are a chunk of
// their own, read at the first run rather than at every cold start (BUNDLING, bench/cold-start.ts).
const snapshot = lazily(async () => {
  const { makeSnapshot } = await import('../../shared/snapshot/index.js');
  return makeSnapshot({
    catalog,
    observations: dynamoObservationRepository(dynamo, config.observationsTable),
    objects: s3ObjectStore(s3),
    // The function may list snapshots/ only, so a missing manifest must be asked by listing (s3ObjectListed).
    exists: s3ObjectListed(s3),
    bucket: config.snapshotBucket,
    dueDay: config.dueDay,
  });
});

/**
 * The schedule sends `{}` (the month just ended); an operator may ask for `{"period":"2026-11"}`. Either publishes
 * the month once. A draft of a month not yet published is `{"period":…,"draft":true}`; rewriting a published month
 * is asked for by name: `{"period":…,"rebuild":true,"reason":…}`.
 */
const snapshotRequest = z
  .object({
    period: z.string().refine(isPeriod, 'period must be a month written YYYY-MM').optional(),
    draft: z.boolean().default(false),
    rebuild: z.boolean().default(false),
    reason: z.string().trim().min(1, 'reason must not be empty').optional(),
    /** Who asks for the rebuild (the CLI sends its user); logged with the reason. */
    requestedBy: z.string().trim().min(1).optional(),
  })
  .refine((r) => !r.rebuild || (r.period !== undefined && r.reason !== undefined), 'a rebuild names its period and gives a reason')
  .refine((r) => !(r.draft && r.rebuild), 'a draft rewrites nothing published: ask for a draft or a rebuild, not both');

export const handler = middy(async (event: unknown) => {
  const request = snapshotRequest.parse(event ?? {});
  const period = request.period ?? previousPeriod(systemClock.now());
  logger.appendKeys({ period });
  const rebuild = request.rebuild && request.reason !== undefined ? { reason: request.reason } : undefined;
  // Rewriting what leaders were shown is the exception: logged at warn level, with why and who asked.
  if (rebuild) logger.warn('rebuilding a published snapshot', { reason: rebuild.reason, requestedBy: request.requestedBy ?? 'a direct invocation' });
  const writeSnapshot = await snapshot();
  const started = performance.now();
  const { outcome, files } = await writeSnapshot(period, rebuild ?? (request.draft ? 'draft' : 'publish'));
  if (outcome === 'already_published') {
    logger.info('already published', { files: files.map((f) => f.key) });
  } else {
    // The alarm on a missing snapshot watches the daily deadline check; these describe each run.
    metrics.addMetric(METRIC.snapshotDuration, MetricUnit.Milliseconds, performance.now() - started);
    metrics.addMetric(METRIC.snapshotsWritten, MetricUnit.Count, 1);
    logger.info(request.draft ? 'draft written' : 'snapshot written', { files });
  }
  // Asked at every run of a published month, so that a run that failed after publishing asks again: it is told once.
  if (!request.draft) await notices.request({ kind: 'monthly_report', period });
  return { period, bucket: config.snapshotBucket, outcome, files };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
