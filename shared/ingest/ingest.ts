import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import type { Observation, Submission } from '../observation.js';
import { periodAt } from '../period.js';
import type { Clock, CommitOutcome, Logger, ObjectStore, ObservationRepository } from '../ports.js';
import { assessmentJson, assessWorkbook, type Assessment, type ImportSummary } from './assess.js';
import { departmentOfKey, fileNameOfKey, reportKeyOf, type Upload } from './upload.js';

/** The import summary written for every upload under `reports/<department>/`. */
export interface ImportReport extends ImportSummary {
  source: Upload;
  /** What the accepted upload did to the table; null when it was rejected. */
  outcome: CommitOutcome | null;
  counts: { observations: number; errors: number; warnings: number };
  reportKey: string;
}

function lineageOf(upload: Upload, figure: Assessment['figures'][number]): Observation['lineage'] {
  const { bucket, key, versionId, sequencer, uploadedAt, uploader } = upload;
  return { bucket, key, versionId, sequencer, uploadedAt, uploader, sheet: figure.sheet, cell: figure.cell };
}

/**
 * The ingest use case: read an upload, validate it against the catalog, make its figures the
 * department's current ones for the month (all or nothing), and write the import summary.
 */
export function makeIngest(ports: {
  catalog: Catalog;
  objects: ObjectStore;
  observations: ObservationRepository;
  clock: Clock;
  logger: Logger;
}) {
  const { catalog, objects, observations, clock, logger } = ports;

  async function commit(upload: Upload, assessment: Assessment, bytes: Uint8Array, reportKey: string) {
    const { department, period, figures } = assessment;
    if (assessment.status === 'rejected' || period === null) return null;
    const submission: Submission = {
      department,
      period,
      bucket: upload.bucket,
      key: upload.key,
      versionId: upload.versionId,
      sequencer: upload.sequencer,
      uploadedAt: upload.uploadedAt,
      uploader: upload.uploader,
      contentSha256: createHash('sha256').update(bytes).digest('hex'),
      indicators: figures.map((f) => f.indicator),
      reportKey,
    };
    return observations.commit(
      submission,
      figures.map((figure) => ({
        department,
        indicator: figure.indicator,
        period: figure.period,
        value: figure.value,
        unit: figure.unit,
        lineage: lineageOf(upload, figure),
      })),
    );
  }

  return async function ingest(upload: Upload): Promise<ImportReport> {
    const folder = departmentOfKey(upload.key) ?? 'unknown';
    const bytes = await objects.get(upload);
    const assessment = await assessWorkbook({
      catalog,
      bytes,
      fileName: fileNameOfKey(upload.key),
      department: folder,
      currentPeriod: periodAt(clock.now()),
    });
    const reportKey = reportKeyOf(upload, folder);
    const outcome = await commit(upload, assessment, bytes, reportKey);
    const summary = assessmentJson(assessment);
    const report: ImportReport = {
      ...summary,
      source: upload,
      outcome,
      counts: { observations: summary.observations.length, errors: summary.errors.length, warnings: summary.warnings.length },
      reportKey,
    };
    await objects.put({
      bucket: upload.bucket,
      key: reportKey,
      body: `${JSON.stringify(report, null, 2)}\n`,
      contentType: 'application/json',
    });
    logger.info('upload ingested', {
      key: upload.key,
      versionId: upload.versionId,
      department: folder,
      period: assessment.period,
      status: assessment.status,
      outcome,
      counts: report.counts,
    });
    return report;
  };
}
