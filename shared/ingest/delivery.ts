import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Event, SQSRecord } from 'aws-lambda';
import type { Upload } from '../observation.js';
import type { NoticeQueue } from '../notify/ports.js';
import { importRequests } from '../notify/requests.js';
import { METRIC } from '../observability/metrics.js';
import type { MonthReviews } from '../ports.js';
import { departmentOfKey } from '../s3-keys.js';
import type { ProblemCode } from '../workbook/problems.js';
import { makeIngest, type ImportReport } from './ingest.js';
import { uploadsOf } from './s3-event.js';

/** What is kept of an import, per upload, in the idempotency record: small, the report itself is in S3. */
export type IngestedUpload = Pick<ImportReport, 'reportKey' | 'status' | 'outcome'>;

/** One SQS message carries one S3 notification; `s3:TestEvent` carries no records. */
export function uploadsOfMessage(record: SQSRecord): Upload[] {
  return uploadsOf(JSON.parse(record.body) as Partial<S3Event>);
}

/** The problem of an upload the ingest could not check for a fault of its own. */
const CHECK_FAILED: ProblemCode = 'file.check_failed';

function recordImport(metrics: Metrics, { status, outcome, counts, errors }: ImportReport): void {
  metrics.addMetric(status === 'accepted' ? METRIC.filesAccepted : METRIC.filesRejected, MetricUnit.Count, 1);
  metrics.addMetric(METRIC.rowsRead, MetricUnit.Count, counts.rows);
  metrics.addMetric(METRIC.observationsWritten, MetricUnit.Count, outcome === 'committed' ? counts.observations : 0);
  metrics.addMetric(METRIC.checksFailed, MetricUnit.Count, errors.some((problem) => problem.code === CHECK_FAILED) ? 1 : 0);
}

/**
 * Imports one upload with every log line naming it (the period joins once the workbook has said
 * which month it is) and its metrics recorded; a failure is logged and rethrown for redelivery.
 */
export function makeUploadImport(deps: {
  ports: Omit<Parameters<typeof makeIngest>[0], 'logger'>;
  logger: Logger;
  metrics: Metrics;
  /** The notifier's queue and the months it reads the submission step from; none where nobody is told (tests, the CLI's dry run). */
  notices?: { queue: NoticeQueue; months: Pick<MonthReviews, 'month'> };
}) {
  return async (upload: Upload): Promise<IngestedUpload> => {
    const log = deps.logger.createChild();
    log.appendKeys({ uploadKey: upload.key, versionId: upload.versionId, department: departmentOfKey(upload.key) });
    try {
      const report = await makeIngest({ ...deps.ports, logger: log })(upload);
      log.appendKeys({ period: report.period });
      recordImport(deps.metrics, report);
      // After the final report, which the receipt is built from; a failed request redelivers the import, whose writes repeat safely.
      if (deps.notices) for (const request of await importRequests(report, deps.notices.months)) await deps.notices.queue.request(request);
      return { reportKey: report.reportKey, status: report.status, outcome: report.outcome };
    } catch (error) {
      log.error('upload not ingested; its message will be delivered again', error as Error);
      throw error;
    }
  };
}
