import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { noteField, type Observation, type Submission, type Upload, type UploadRef } from '../observation.js';
import { periodAt, type Period } from '../calendar.js';
import type { Clock, CommitOutcome, Logger, ObjectStore, ObservationRepository } from '../ports.js';
import { firstMonthNeeded } from '../progress.js';
import { annotatedKeyOf, departmentOfKey, fileNameOfKey, reportFolderOf, reportKeyOf, uploadIdOfKey } from '../s3-keys.js';
import { beyondLimit, DEFAULT_READ_LIMITS, type ReadLimits } from '../workbook/limits.js';
import { problemAt } from '../workbook/problems.js';
import { assessmentJson, assessWorkbook, problemOf, refusedUpload, type Assessment, type ImportSummary } from './assess.js';
import { annotation, DEFAULT_MAX_ANNOTATED_BYTES, markedWorkbook, whyNotAnnotated, type Annotation } from './annotation.js';
import { changesBetween, type Change } from './changes.js';
import { figureWarnings, type FigureWarning } from '../review/review.js';
import type { PortalUploads } from '../portal/ports.js';

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
  /** The clerk's workbook with every problem marked; null unless annotation.status is written. */
  annotatedKey: string | null;
  annotation: Annotation;
}

export interface IngestOptions {
  /** Annotating opens the whole workbook in memory, so files above this size get the JSON summary alone. */
  maxAnnotatedBytes: number;
  /**
   * How much of an upload is read before it is refused as too large: the object itself is read only up to
   * maxUncompressedBytes, and a workbook is annotated only if opening it whole makes at most maxCells objects.
   */
  limits: ReadLimits;
}

/** A monthly workbook is tens of kilobytes; an .xlsx of this size already takes hundreds of megabytes opened whole. */
const DEFAULT_INGEST_OPTIONS: IngestOptions = { maxAnnotatedBytes: DEFAULT_MAX_ANNOTATED_BYTES, limits: DEFAULT_READ_LIMITS };

export const MEDIA_TYPES = {
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
 *
 * Whatever the file, the import ends in a report: a file too large is refused unread, a fault while
 * checking it is reported as such (file.check_failed) and logged, and the annotated copy, the one step
 * that opens a workbook whole, comes after a report that already says what the import did. Faults of
 * the stores are thrown, so that the message is delivered again; every write is safe to repeat.
 */
export function makeIngest(ports: {
  catalog: Catalog;
  objects: ObjectStore;
  observations: Pick<ObservationRepository, 'commit' | 'slicesIn'>;
  clock: Clock;
  logger: Logger;
  /** The portal's record of each upload it granted, which names the signed-in user; none where there is no portal. */
  portalUploads?: Pick<PortalUploads, 'get'>;
  /** Each option not given takes its default. */
  options?: Partial<IngestOptions>;
}) {
  const { catalog, objects, observations, clock, logger } = ports;
  const options: IngestOptions = { ...DEFAULT_INGEST_OPTIONS, ...ports.options };
  const { limits } = options;

  /** What committing one month did, figure by figure against the slice it replaced (or, held, would replace once approved). */
  async function commitMonth(submission: Submission, month: Observation[], warnings: FigureWarning[]): Promise<SliceReport> {
    const { outcome, replaced } = await observations.commit(submission, month, warnings);
    if (outcome !== 'committed' && outcome !== 'held') return { period: submission.period, outcome, replaced: null, changes: [] };
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
        ...noteField(figure.note),
        lineage: lineageOf(upload, figure),
      }),
    );
    // The figures' warnings travel with each month, which cannot be approved until they are explained.
    const warned = figureWarnings(catalog, assessment.figures, assessment.warnings);
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
        submitter: upload.submitter,
        contentSha256,
        indicators: month.map((o) => o.indicator),
        reportKey,
      };
      const warnings = warned.filter((w) => w.period === period).map(({ period: _period, ...warning }) => warning);
      slices.push(await commitMonth(submission, month, warnings));
    }
    return slices;
  }

  /** The department's current figures the rules compare with: the months the maths can use, nothing corrected away. */
  async function previousFigures(department: string, currentPeriod: Period): Promise<Observation[]> {
    const slices = await observations.slicesIn(department, { from: firstMonthNeeded(catalog.indicators, currentPeriod), to: currentPeriod });
    return slices.flatMap((slice) => slice.observations);
  }

  /**
   * The verdict on the bytes. Reading and validating touch no store, so anything they throw besides a refusal
   * of the file would happen again on every delivery: the clerk is told the check failed on our side, nothing
   * is committed, and the fault is logged for the operators rather than redelivered.
   */
  async function assess(upload: Upload, bytes: Uint8Array, folder: string): Promise<Assessment> {
    const currentPeriod = periodAt(clock.now());
    // A cumulative figure may not fall below what the department reported before.
    const previous = catalog.department(folder) ? await previousFigures(folder, currentPeriod) : [];
    try {
      return await assessWorkbook({ catalog, bytes, fileName: fileNameOfKey(upload.key), department: folder, currentPeriod, limits, previous });
    } catch (error) {
      logger.error('workbook check failed; the upload is rejected as file.check_failed', { key: upload.key, versionId: upload.versionId, error });
      return refusedUpload(catalog, folder, problemAt('file.check_failed', null, null));
    }
  }

  /** The object's bytes and the verdict on them; no bytes when the object is too large to be read at all. */
  async function read(upload: Upload, folder: string): Promise<{ bytes: Uint8Array | null; assessment: Assessment }> {
    // Never more of the object than a workbook may unpack to: a larger file cannot be within the limits.
    const object = await objects.get(upload, { maxBytes: limits.maxUncompressedBytes });
    if (object instanceof Uint8Array) return { bytes: object, assessment: await assess(upload, object, folder) };
    logger.info('object too large to read', { key: upload.key, size: object.size, limit: limits.maxUncompressedBytes });
    return { bytes: null, assessment: refusedUpload(catalog, folder, problemOf(beyondLimit('bytes', limits.maxUncompressedBytes))) };
  }

  /** The annotated copy, written; or what became of it. A fault of the store is thrown: the message is delivered again. */
  async function annotate(upload: Upload, assessment: Assessment, bytes: Uint8Array, key: string): Promise<Annotation> {
    const marked = await markedWorkbook(assessment, bytes, { logger, key: upload.key });
    if (!(marked instanceof Uint8Array)) return marked;
    await objects.put({ bucket: upload.bucket, key, body: marked, contentType: MEDIA_TYPES.xlsx });
    return annotation('written');
  }

  async function writeReport(report: ImportReport): Promise<void> {
    await objects.put({ bucket: report.source.bucket, key: report.reportKey, body: `${JSON.stringify(report, null, 2)}\n`, contentType: MEDIA_TYPES.json });
  }

  /** The upload with the portal user who sent it, when the portal granted it and the event does not say so already. */
  async function withSubmitter(upload: Upload): Promise<Upload> {
    const uploadId = uploadIdOfKey(upload.key);
    const department = departmentOfKey(upload.key);
    if (upload.submitter !== undefined || !ports.portalUploads || uploadId === null || department === null) return upload;
    const granted = await ports.portalUploads.get(department, uploadId);
    return granted ? { ...upload, submitter: granted.user } : upload;
  }

  return async function ingest(received: Upload): Promise<ImportReport> {
    const upload = await withSubmitter(received);
    const folder = reportFolderOf(upload.key);
    const reportKey = reportKeyOf(upload, folder);
    const { bytes, assessment } = await read(upload, folder);
    const slices = bytes ? await commit(upload, assessment, bytes, reportKey) : [];
    const summary = assessmentJson(assessment);
    const reportWith = (annotatedKey: string | null, state: Annotation): ImportReport => ({
      ...summary,
      source: upload,
      outcome: overallOutcome(slices),
      slices,
      counts: { rows: assessment.rowsRead, observations: summary.observations.length, errors: summary.errors.length, warnings: summary.warnings.length },
      reportKey,
      annotatedKey,
      annotation: state,
    });

    const unannotated = bytes ? await whyNotAnnotated(assessment, bytes, { ...options, maxCells: limits.maxCells }, { logger, key: upload.key }) : annotation('not_read');
    let report = reportWith(null, unannotated ?? annotation('pending'));
    // Written before the workbook is opened whole: whatever becomes of that, the clerk has a report.
    await writeReport(report);
    if (bytes && !unannotated) {
      const annotatedKey = annotatedKeyOf(upload, folder);
      const state = await annotate(upload, assessment, bytes, annotatedKey);
      report = reportWith(state.status === 'written' ? annotatedKey : null, state);
      await writeReport(report);
    }
    logger.info('upload ingested', {
      key: upload.key,
      versionId: upload.versionId,
      department: folder,
      period: assessment.period,
      status: assessment.status,
      outcome: report.outcome,
      annotation: report.annotation.status,
      changes: slices.reduce((sum, slice) => sum + slice.changes.length, 0),
      counts: report.counts,
    });
    return report;
  };
}
