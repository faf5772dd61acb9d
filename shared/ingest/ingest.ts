import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import type { Observation, Submission, Upload, UploadRef } from '../observation.js';
import { periodAt, type Period } from '../calendar.js';
import type { Clock, CommitOutcome, Logger, ObjectStore, ObservationRepository } from '../ports.js';
import { firstMonthNeeded } from '../progress.js';
import { annotatedKeyOf, fileNameOfKey, reportFolderOf, reportKeyOf } from '../s3-keys.js';
import { annotateWorkbook, findingsOf, isXlsxContainer } from '../workbook/annotate.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../workbook/limits.js';
import { assessmentJson, assessWorkbook, type Assessment, type ImportSummary } from './assess.js';
import { changesBetween, type Change } from './changes.js';

/** What an accepted upload did to one department-month. */
export interface SliceReport {
  period: Period;
  outcome: CommitOutcome;
  /** The upload whose figures this one replaced, now history; null when the month had none or nothing was committed. */
  replaced: UploadRef | null;
  /** Figure by figure, what the month's current values were before and are now; empty unless committed. */
  changes: Change[];
}

/** The import summary written for every upload under `reports/<department>/`. */
export interface ImportReport extends ImportSummary {
  source: Upload;
  /** What the accepted upload did to the table: committed if any month became current; null when it was rejected. */
  outcome: CommitOutcome | null;
  /** One entry per month the upload reported, oldest first; empty when it was rejected. */
  slices: SliceReport[];
  /** Rows holding a value that were read, and what came of them. */
  counts: { rows: number; observations: number; errors: number; warnings: number };
  reportKey: string;
  /** The clerk's workbook with every problem marked; null when the file was refused before it could be read, was not an .xlsx, or was too large to open whole. */
  annotatedKey: string | null;
}

export interface IngestOptions {
  /** Annotating opens the whole workbook in memory, so files above this size get the JSON summary alone. */
  maxAnnotatedBytes: number;
  /** How much of an upload is read before it is refused as too large. */
  limits: ReadLimits;
}

/** A monthly workbook is tens of kilobytes; an .xlsx of this size already takes hundreds of megabytes opened whole. */
const DEFAULT_INGEST_OPTIONS: IngestOptions = { maxAnnotatedBytes: 2 * 2 ** 20, limits: DEFAULT_READ_LIMITS };

const MEDIA_TYPES = {
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function lineageOf(upload: Upload, figure: Assessment['figures'][number]): Observation['lineage'] {
  const { bucket, key, versionId, sequencer, uploadedAt, uploader } = upload;
  return { bucket, key, versionId, sequencer, uploadedAt, uploader, sheet: figure.sheet, cell: figure.cell };
}

/** The figures of an upload month by month: a wide sheet can hold several months, and each month is its own slice. */
function byPeriod(observations: Observation[]): Map<Period, Observation[]> {
  const months = new Map<Period, Observation[]>();
  for (const observation of [...observations].sort((a, b) => a.period.localeCompare(b.period))) {
    months.set(observation.period, [...(months.get(observation.period) ?? []), observation]);
  }
  return months;
}

/** One outcome for the whole upload: committed if any month became current, else what happened to its first month. */
function overallOutcome(slices: SliceReport[]): CommitOutcome | null {
  if (slices.some((slice) => slice.outcome === 'committed')) return 'committed';
  return slices[0]?.outcome ?? null;
}

/**
 * The ingest use case: read an upload, validate it against the catalog, make its figures the
 * department's current ones for each month it reports (each month all or nothing), and write
 * the import summary with the clerk's workbook annotated beside it.
 */
export function makeIngest(ports: {
  catalog: Catalog;
  objects: ObjectStore;
  observations: ObservationRepository;
  clock: Clock;
  logger: Logger;
  /** Each option not given takes its default. */
  options?: Partial<IngestOptions>;
}) {
  const { catalog, objects, observations, clock, logger } = ports;
  const options: IngestOptions = { ...DEFAULT_INGEST_OPTIONS, ...ports.options };

  /** What committing one month did, figure by figure against the slice it replaced. */
  async function commitMonth(submission: Submission, month: Observation[]): Promise<SliceReport> {
    const { outcome, replaced } = await observations.commit(submission, month);
    if (outcome !== 'committed') return { period: submission.period, outcome, replaced: null, changes: [] };
    if (!replaced) return { period: submission.period, outcome, replaced: null, changes: changesBetween([], month) };
    const { key, versionId, sequencer, uploadedAt, reportKey } = replaced.submission;
    return {
      period: submission.period,
      outcome,
      replaced: { key, versionId, sequencer, uploadedAt, reportKey },
      changes: changesBetween(replaced.observations, month),
    };
  }

  async function commit(upload: Upload, assessment: Assessment, bytes: Uint8Array, reportKey: string): Promise<SliceReport[]> {
    if (assessment.status === 'rejected') return [];
    const { department } = assessment;
    const contentSha256 = createHash('sha256').update(bytes).digest('hex');
    const accepted = assessment.figures.map(
      (figure): Observation => ({
        department,
        indicator: figure.indicator,
        period: figure.period,
        value: figure.value,
        unit: figure.unit,
        lineage: lineageOf(upload, figure),
      }),
    );
    const slices: SliceReport[] = [];
    for (const [period, month] of byPeriod(accepted)) {
      const submission: Submission = {
        department,
        period,
        bucket: upload.bucket,
        key: upload.key,
        versionId: upload.versionId,
        sequencer: upload.sequencer,
        uploadedAt: upload.uploadedAt,
        uploader: upload.uploader,
        contentSha256,
        indicators: month.map((o) => o.indicator),
        reportKey,
      };
      slices.push(await commitMonth(submission, month));
    }
    return slices;
  }

  /** Writes the annotated copy when the file may be opened whole; returns its key, or null. */
  async function annotate(upload: Upload, assessment: Assessment, bytes: Uint8Array, folder: string): Promise<string | null> {
    if (!assessment.workbookRead || !isXlsxContainer(bytes)) return null;
    if (bytes.byteLength > options.maxAnnotatedBytes) {
      logger.info('workbook too large to annotate', { key: upload.key, bytes: bytes.byteLength, limit: options.maxAnnotatedBytes });
      return null;
    }
    let body: Uint8Array;
    try {
      body = await annotateWorkbook(bytes, findingsOf(assessment));
    } catch (error) {
      // The streaming reader took the file, so the figures stand; the clerk still gets the JSON summary.
      logger.warn('workbook could not be annotated', { key: upload.key, error: String(error) });
      return null;
    }
    const key = annotatedKeyOf(upload, folder);
    await objects.put({ bucket: upload.bucket, key, body, contentType: MEDIA_TYPES.xlsx });
    return key;
  }

  /** The department's current figures the rules compare with: the months the maths can use, nothing corrected away. */
  async function previousFigures(department: string, currentPeriod: Period): Promise<Observation[]> {
    const slices = await observations.slicesIn(department, { from: firstMonthNeeded(catalog.indicators, currentPeriod), to: currentPeriod });
    return slices.flatMap((slice) => slice.observations);
  }

  return async function ingest(upload: Upload): Promise<ImportReport> {
    const folder = reportFolderOf(upload.key);
    const bytes = await objects.get(upload);
    const currentPeriod = periodAt(clock.now());
    const assessment = await assessWorkbook({
      catalog,
      bytes,
      fileName: fileNameOfKey(upload.key),
      department: folder,
      currentPeriod,
      limits: options.limits,
      // A cumulative figure may not fall below what the department reported before.
      previous: catalog.department(folder) ? await previousFigures(folder, currentPeriod) : [],
    });
    const reportKey = reportKeyOf(upload, folder);
    const slices = await commit(upload, assessment, bytes, reportKey);
    const annotatedKey = await annotate(upload, assessment, bytes, folder);
    const summary = assessmentJson(assessment);
    const report: ImportReport = {
      ...summary,
      source: upload,
      outcome: overallOutcome(slices),
      slices,
      counts: { rows: assessment.rowsRead, observations: summary.observations.length, errors: summary.errors.length, warnings: summary.warnings.length },
      reportKey,
      annotatedKey,
    };
    await objects.put({ bucket: upload.bucket, key: reportKey, body: `${JSON.stringify(report, null, 2)}\n`, contentType: MEDIA_TYPES.json });
    logger.info('upload ingested', {
      key: upload.key,
      versionId: upload.versionId,
      department: folder,
      period: assessment.period,
      status: assessment.status,
      outcome: report.outcome,
      changes: slices.reduce((sum, slice) => sum + slice.changes.length, 0),
      counts: report.counts,
    });
    return report;
  };
}
