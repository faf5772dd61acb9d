import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import { compareSequencers, type Upload } from '../observation.js';
import type { CommitOutcome, Logger, ObjectStore, ObservationRepository } from '../ports.js';
import { INCOMING_PREFIX, isReportKey, REPORTS_PREFIX } from '../s3-keys.js';
import { makeIngest, type ImportReport, type IngestOptions } from './ingest.js';

/**
 * Rebuilding the observations table from the upload bucket: every object version under
 * `incoming/` is replayed, oldest first, through the ingest use case into an empty table. The
 * upload's uploader and exact time are not in S3's listing; its import report recorded them, so
 * each version is matched to the reports written for it.
 */

/** One object version as the bucket lists it. */
export interface StoredVersion {
  key: string;
  /** Absent where the bucket keeps no versions (the local stores). */
  versionId?: string;
  /** S3's LastModified: whole seconds. */
  lastModified: Date;
}

/** What the rebuild reads of the upload bucket. */
export interface UploadArchive {
  /** Every object version under the prefix, each key's versions oldest first, in S3's own order of them (not by LastModified, which has second precision). */
  versions(bucket: string, prefix: string): Promise<StoredVersion[]>;
  /** Every object key under the prefix. */
  keys(bucket: string, prefix: string): Promise<string[]>;
}

/** What the rebuild asks of the observations table beyond the repository. */
export interface TableContents {
  /** Whether the table holds no item at all. */
  isEmpty(): Promise<boolean>;
  /** How many items the table holds. */
  itemCount(): Promise<number>;
}

/** The part of an import report the rebuild relies on: the upload it reports, as its S3 event described it. */
const reportedSourceSchema = z.object({
  source: z.object({
    bucket: z.string(),
    key: z.string(),
    versionId: z.string().optional(),
    sequencer: z.string(),
    uploadedAt: z.iso.datetime({ offset: true }),
    uploader: z.string().optional(),
    submitter: z.string().optional(),
  }),
});

/** An import report read back: the upload it names, and the whole report to compare the replay with. */
export interface StoredReport {
  reportKey: string;
  source: Upload;
  report: unknown;
}

/** One upload to replay, with the report written when it was first imported (none when that import crashed). */
export interface Replay {
  upload: Upload;
  report: StoredReport | null;
}

export interface ReplayPlan {
  replays: Replay[];
  /** Reports whose upload is no longer in the bucket (an unversioned key overwritten or deleted): nothing to replay. */
  orphanReports: StoredReport[];
}

const sameVersion = (source: Upload, bucket: string, version: StoredVersion) =>
  source.bucket === bucket && source.key === version.key && source.versionId === version.versionId;

/**
 * A version with no report lost its event's sequencer; it is given one that sorts right after the
 * version before it of the same key, or first when there is none (`compareSequencers` pads the
 * shorter with zeros), so that the commit, which orders one key's uploads by sequencer, takes it
 * for the newer or older one it is.
 */
export function sequencerAfter(previous: string | undefined): string {
  return previous === undefined ? '0' : `${previous}1`;
}

/**
 * The uploads of each object version: one per report written for it, oldest first by sequencer (a
 * key of an unversioned bucket uploaded several times has one object and several reports), or the
 * version itself, timed by its LastModified, when no report was written.
 */
export function uploadsOfKey(bucket: string, versions: StoredVersion[], reports: StoredReport[]): Replay[] {
  const replays: Replay[] = [];
  for (const version of versions) {
    const own = reports.filter((r) => sameVersion(r.source, bucket, version)).sort((a, b) => compareSequencers(a.source.sequencer, b.source.sequencer));
    if (own.length > 0) {
      replays.push(...own.map((report) => ({ upload: report.source, report })));
      continue;
    }
    const { key, versionId } = version;
    replays.push({
      upload: {
        bucket,
        key,
        ...(versionId === undefined ? {} : { versionId }),
        sequencer: sequencerAfter(replays.at(-1)?.upload.sequencer),
        uploadedAt: version.lastModified.toISOString(),
      },
      report: null,
    });
  }
  return replays;
}

/**
 * Every upload in the order it was made: each key's uploads in their own order (S3's order of its
 * versions, then sequencers), the keys interleaved by upload time, earliest first; uploads of two
 * keys at the same instant by key, so that a rebuild always replays alike.
 */
export function replayOrder(keys: Replay[][]): Replay[] {
  const queues = keys.map((replays) => [...replays]);
  const time = (replay: Replay) => Date.parse(replay.upload.uploadedAt);
  const earlier = (a: Replay, b: Replay) => time(a) < time(b) || (time(a) === time(b) && a.upload.key < b.upload.key);
  const ordered: Replay[] = [];
  for (;;) {
    const next = queues.reduce<Replay[] | undefined>((best, queue) => {
      const [head] = queue;
      const bestHead = best?.[0];
      return head && (!bestHead || earlier(head, bestHead)) ? queue : best;
    }, undefined);
    const replay = next?.shift();
    if (!replay) return ordered;
    ordered.push(replay);
  }
}

/** Matches the reports to the object versions and orders every upload to replay. */
export function planReplay(bucket: string, versions: StoredVersion[], reports: StoredReport[]): ReplayPlan {
  const byKey = new Map<string, StoredVersion[]>();
  for (const version of versions) byKey.set(version.key, [...(byKey.get(version.key) ?? []), version]);
  const keys = [...byKey.values()].map((own) => uploadsOfKey(bucket, own, reports));
  const orphanReports = reports.filter((r) => !versions.some((version) => sameVersion(r.source, bucket, version)));
  return { replays: replayOrder(keys), orphanReports };
}

/** What a replay did: the commit's outcome, or rejected. */
export type ReplayOutcome = CommitOutcome | 'rejected';

export interface ReplayProgress {
  /** 1 for the first upload replayed. */
  index: number;
  total: number;
  upload: Upload;
  outcome: ReplayOutcome;
  /** Whether the upload had an import report (with no report, its time is S3's LastModified and its uploader unknown). */
  reported: boolean;
  /** Whether the replay gave the very report first written; null when there was none. */
  sameAsReport: boolean | null;
}

export interface RebuildSummary {
  /** Uploads found in the bucket, and how many of them were replayed. */
  uploads: number;
  replayed: number;
  outcomes: Record<ReplayOutcome, number>;
  /** Items in the table once the rebuild stopped; null when the table could not be counted. */
  itemsWritten: number | null;
  /** Replayed uploads that had no import report. */
  withoutReport: Upload[];
  /** Replayed uploads whose replay differs from their import report (another catalog, or an unversioned key since overwritten). */
  differing: Upload[];
  /** Reports of uploads the bucket no longer holds. */
  orphanReports: string[];
}

/** The table already holds items: a rebuild only fills an empty one. */
export class TableNotEmptyError extends Error {
  override readonly name = 'TableNotEmptyError';
}

/** A replay failed part way: what was done until then, and the upload that failed. */
export class RebuildFault extends Error {
  override readonly name = 'RebuildFault';
  constructor(
    readonly summary: RebuildSummary,
    readonly failed: Upload,
    cause: unknown,
  ) {
    super(`replaying ${failed.key}${failed.versionId ? ` (version ${failed.versionId})` : ''} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Reading several reports at once; each is a GetObject of a few kilobytes. */
const REPORT_READS_AT_ONCE = 8;
/** An import report holds at most 100 problems a code, each quoting a short excerpt: anything this large is no report. */
const REPORT_MAX_BYTES = 16 * 2 ** 20;

/**
 * The rebuild use case. The ingest runs directly, not through the function's handler, so the
 * idempotency records of the first imports do not turn the replay into nothing; its clock is the
 * upload's own time, so that the rules of "the current month" judge each upload as they did then.
 * It writes nothing to the bucket: the import reports stay as the clerks received them (and stay
 * the same input should the rebuild be run again); each replay is compared with its report instead.
 */
export function makeRebuild(ports: {
  catalog: Catalog;
  archive: UploadArchive;
  objects: ObjectStore;
  observations: Pick<ObservationRepository, 'commit' | 'slicesIn'>;
  table: TableContents;
  logger: Logger;
  options?: Partial<IngestOptions>;
}) {
  const { catalog, archive, objects, observations, table, logger, options } = ports;
  // The reports and annotated copies the ingest writes are dropped: see above.
  const readOnly: ObjectStore = { ...objects, put: async () => undefined };

  async function readReports(bucket: string): Promise<StoredReport[]> {
    const keys = (await archive.keys(bucket, REPORTS_PREFIX)).filter(isReportKey);
    const reports: StoredReport[] = [];
    for (let start = 0; start < keys.length; start += REPORT_READS_AT_ONCE) {
      const batch = keys.slice(start, start + REPORT_READS_AT_ONCE);
      const read = await Promise.all(
        batch.map(async (reportKey) => {
          const body = await objects.get({ bucket, key: reportKey }, { maxBytes: REPORT_MAX_BYTES });
          return { reportKey, text: body instanceof Uint8Array ? new TextDecoder().decode(body) : '' };
        }),
      );
      for (const { reportKey, text } of read) {
        const report = parsedReport(reportKey, text);
        if (report) reports.push(report);
      }
    }
    return reports;
  }

  function parsedReport(reportKey: string, text: string): StoredReport | null {
    let report: unknown;
    try {
      report = JSON.parse(text);
    } catch {
      report = undefined;
    }
    const parsed = reportedSourceSchema.safeParse(report);
    if (!parsed.success) {
      logger.warn('not an import report: its upload is replayed as one without a report', { reportKey });
      return null;
    }
    return { reportKey, source: parsed.data.source, report };
  }

  async function replay({ upload, report }: Replay): Promise<Pick<ReplayProgress, 'outcome' | 'sameAsReport'>> {
    const ingest = makeIngest({ catalog, objects: readOnly, observations, logger, options, clock: { now: () => new Date(upload.uploadedAt) } });
    const replayed: ImportReport = await ingest(upload);
    // Compared as JSON holds them: fields left undefined (no uploader, no version) are absent from the stored report.
    const sameAsReport = report ? isDeepStrictEqual(JSON.parse(JSON.stringify(replayed)), report.report) : null;
    return { outcome: replayed.outcome ?? 'rejected', sameAsReport };
  }

  return async function rebuild(bucket: string, onProgress: (progress: ReplayProgress) => void = () => undefined): Promise<RebuildSummary> {
    if (!(await table.isEmpty())) throw new TableNotEmptyError('the observations table already holds items: a rebuild replays every upload into an empty table only');
    const [versions, reports] = await Promise.all([archive.versions(bucket, INCOMING_PREFIX), readReports(bucket)]);
    const { replays, orphanReports } = planReplay(bucket, versions, reports);
    const summary: RebuildSummary = {
      uploads: replays.length,
      replayed: 0,
      outcomes: { committed: 0, duplicate: 0, superseded: 0, held: 0, rejected: 0 },
      itemsWritten: null,
      withoutReport: [],
      differing: [],
      orphanReports: orphanReports.map((r) => r.reportKey),
    };
    const counted = async () => ({ ...summary, itemsWritten: await table.itemCount().catch(() => null) });
    for (const [index, next] of replays.entries()) {
      let result: Pick<ReplayProgress, 'outcome' | 'sameAsReport'>;
      try {
        result = await replay(next);
      } catch (error) {
        throw new RebuildFault(await counted(), next.upload, error);
      }
      summary.replayed++;
      summary.outcomes[result.outcome]++;
      if (!next.report) summary.withoutReport.push(next.upload);
      if (result.sameAsReport === false) summary.differing.push(next.upload);
      onProgress({ index: index + 1, total: replays.length, upload: next.upload, reported: next.report !== null, ...result });
    }
    return counted();
  };
}
