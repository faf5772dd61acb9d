import { ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fillTemplate } from '../../cli/samples.js';
import { s3UploadArchive } from '../../shared/aws/upload-archive.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { makeIngest } from '../../shared/ingest/ingest.js';
import {
  makeRebuild,
  planReplay,
  RebuildFault,
  replayOrder,
  sequencerAfter,
  TableNotEmptyError,
  type Replay,
  type StoredReport,
  type StoredVersion,
  type UploadArchive,
} from '../../shared/ingest/rebuild.js';
import { compareSequencers, type Observation, type Submission, type Upload } from '../../shared/observation.js';
import type { CommitResult, ObjectStore, ObservationRepository } from '../../shared/ports.js';
import { buildTemplate } from '../../shared/workbook/template.js';

const BUCKET = 'uploads';
const KEY = 'incoming/science/science-2026-11.xlsx';
const OTHER = 'incoming/education/education-2026-11.xlsx';

const version = (key: string, versionId: string | undefined, lastModified: string): StoredVersion => ({
  key,
  ...(versionId ? { versionId } : {}),
  lastModified: new Date(lastModified),
});

const source = (key: string, versionId: string | undefined, sequencer: string, uploadedAt: string): Upload => ({
  bucket: BUCKET,
  key,
  ...(versionId ? { versionId } : {}),
  sequencer,
  uploadedAt,
  uploader: 'AWS:AROAEXAMPLE:clerk',
});

const report = (upload: Upload): StoredReport => ({ reportKey: `reports/${upload.key}.${upload.versionId ?? upload.sequencer}.json`, source: upload, report: { source: upload } });

/** Each replay as "key version-or-sequencer time reported?". */
const described = (replays: Replay[]) =>
  replays.map(({ upload, report: r }) => `${upload.key} ${upload.versionId ?? upload.sequencer} ${upload.uploadedAt}${r ? '' : ' (no report)'}`);

describe('matching object versions to their import reports', () => {
  const v1 = source(KEY, 'v1', '0055AED6DCD90281E5', '2026-11-20T01:02:03.456Z');
  const v2 = source(KEY, 'v2', '0055AED6DCD90281F6', '2026-11-21T01:02:03.789Z');

  it.each<{ name: string; versions: StoredVersion[]; reports: StoredReport[]; replays: string[]; orphans: string[] }>([
    {
      name: 'a version with its report is replayed as the report says: uploader and the time to the millisecond',
      versions: [version(KEY, 'v1', '2026-11-20T01:02:03Z')],
      reports: [report(v1)],
      replays: [`${KEY} v1 2026-11-20T01:02:03.456Z`],
      orphans: [],
    },
    {
      name: 'a version with no report is replayed at its LastModified, and says so',
      versions: [version(KEY, 'v1', '2026-11-20T01:02:03Z')],
      reports: [],
      replays: [`${KEY} v1 2026-11-20T01:02:03.000Z (no report)`],
      orphans: [],
    },
    {
      name: 'a report of another version of the key does not match',
      versions: [version(KEY, 'v1', '2026-11-20T01:02:03Z'), version(KEY, 'v2', '2026-11-21T01:02:03Z')],
      reports: [report(v2)],
      replays: [`${KEY} v1 2026-11-20T01:02:03.000Z (no report)`, `${KEY} v2 2026-11-21T01:02:03.789Z`],
      orphans: [],
    },
    {
      name: 'an unversioned key uploaded twice has one object and two reports: both uploads, by sequencer',
      versions: [version(KEY, undefined, '2026-11-21T01:02:03Z')],
      reports: [report(source(KEY, undefined, '19AB2', '2026-11-21T01:02:03.100Z')), report(source(KEY, undefined, '19AB1', '2026-11-20T01:02:03.100Z'))],
      replays: [`${KEY} 19AB1 2026-11-20T01:02:03.100Z`, `${KEY} 19AB2 2026-11-21T01:02:03.100Z`],
      orphans: [],
    },
    {
      name: 'a report whose version is gone, or of another bucket, is left out and listed',
      versions: [version(KEY, 'v2', '2026-11-21T01:02:03Z')],
      reports: [report(v1), report(v2), report({ ...v2, bucket: 'elsewhere' })],
      replays: [`${KEY} v2 2026-11-21T01:02:03.789Z`],
      orphans: [`${KEY} v1`, `${KEY} v2 elsewhere`],
    },
  ])('$name', ({ versions, reports, replays, orphans }) => {
    const plan = planReplay(BUCKET, versions, reports);
    expect(described(plan.replays)).toEqual(replays);
    expect(plan.orphanReports.map(({ source: s }) => `${s.key} ${s.versionId ?? s.sequencer}${s.bucket === BUCKET ? '' : ` ${s.bucket}`}`)).toEqual(orphans);
  });

  it('keeps the uploader of a reported upload and has none for an unreported one', () => {
    const { replays } = planReplay(BUCKET, [version(KEY, 'v1', '2026-11-20T01:02:03Z'), version(OTHER, 'v9', '2026-11-22T00:00:00Z')], [report(v1)]);
    expect(replays.map((r) => r.upload.uploader)).toEqual(['AWS:AROAEXAMPLE:clerk', undefined]);
  });
});

describe('the order uploads are replayed in', () => {
  const replay = (key: string, sequencer: string, uploadedAt: string): Replay => ({ upload: source(key, undefined, sequencer, uploadedAt), report: null });

  it.each<{ name: string; keys: Replay[][]; order: string[] }>([
    {
      name: 'keys interleaved by upload time, to the millisecond',
      keys: [
        [replay(KEY, 'A1', '2026-11-20T01:00:00.300Z'), replay(KEY, 'A2', '2026-11-20T01:00:00.900Z')],
        [replay(OTHER, 'B1', '2026-11-20T01:00:00.500Z')],
      ],
      order: ['A1', 'B1', 'A2'],
    },
    {
      name: "one key's uploads in their own order even where the time (a LastModified cut to the second) says otherwise",
      keys: [[replay(KEY, 'A1', '2026-11-20T01:00:00.700Z'), replay(KEY, 'A11', '2026-11-20T01:00:00.000Z')], [replay(OTHER, 'B1', '2026-11-20T01:00:00.500Z')]],
      order: ['B1', 'A1', 'A11'],
    },
    {
      name: 'two keys at the same instant by key',
      keys: [[replay(KEY, 'A1', '2026-11-20T01:00:00.000Z')], [replay(OTHER, 'B1', '2026-11-20T01:00:00.000Z')]],
      order: ['B1', 'A1'],
    },
    {
      name: 'times written with an offset compared as instants',
      keys: [[replay(KEY, 'A1', '2026-11-20T09:00:00.000+08:00')], [replay(OTHER, 'B1', '2026-11-20T00:30:00.000Z')]],
      order: ['B1', 'A1'],
    },
    { name: 'nothing to replay', keys: [[], []], order: [] },
  ])('$name', ({ keys, order }) => {
    expect(replayOrder(keys).map((r) => r.upload.sequencer)).toEqual(order);
  });

  it.each([
    { previous: undefined, next: '0055AED6DCD90281E5' },
    { previous: '0055AED6DCD90281E5', next: '0055AED6DCD90281E6' },
    { previous: '19AB1', next: '19AB2' },
  ])('gives a version without its sequencer one after $previous and before $next', ({ previous, next }) => {
    const made = sequencerAfter(previous);
    if (previous !== undefined) expect(compareSequencers(made, previous)).toBe(1);
    expect(compareSequencers(made, next)).toBe(-1);
  });
});

describe('the upload archive on S3', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  it('lists every version page by page, each key oldest first, without delete markers, "null" as no version', async () => {
    s3.on(ListObjectVersionsCommand, { KeyMarker: undefined })
      .resolves({
        IsTruncated: true,
        NextKeyMarker: KEY,
        NextVersionIdMarker: 'v2',
        Versions: [
          { Key: OTHER, VersionId: 'null', LastModified: new Date('2026-11-01T00:00:00Z') },
          { Key: KEY, VersionId: 'v3', LastModified: new Date('2026-11-03T00:00:00Z') },
          { Key: KEY, VersionId: 'v2', LastModified: new Date('2026-11-02T00:00:00Z') },
        ],
        DeleteMarkers: [{ Key: KEY, VersionId: 'd1', LastModified: new Date('2026-11-04T00:00:00Z') }],
      })
      .on(ListObjectVersionsCommand, { KeyMarker: KEY, VersionIdMarker: 'v2' })
      .resolves({ IsTruncated: false, Versions: [{ Key: KEY, VersionId: 'v1', LastModified: new Date('2026-11-01T00:00:00Z') }] });

    const versions = await s3UploadArchive(new S3Client({ region: 'ap-east-1' }), { keepsVersions: true }).versions(BUCKET, 'incoming/');

    expect(versions.map((v) => `${v.key} ${v.versionId ?? '-'} ${v.lastModified.toISOString()}`)).toEqual([
      `${OTHER} - 2026-11-01T00:00:00.000Z`,
      `${KEY} v1 2026-11-01T00:00:00.000Z`,
      `${KEY} v2 2026-11-02T00:00:00.000Z`,
      `${KEY} v3 2026-11-03T00:00:00.000Z`,
    ]);
  });

  it('lists the objects of a bucket without versions, and report keys, page by page', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ IsTruncated: true, NextContinuationToken: 'page-2', Contents: [{ Key: 'reports/science/a.json', LastModified: new Date('2026-11-01T00:00:00Z') }] })
      .on(ListObjectsV2Command, { ContinuationToken: 'page-2' })
      .resolves({ IsTruncated: false, Contents: [{ Key: 'reports/science/b.json', LastModified: new Date('2026-11-02T00:00:00Z') }] });
    const archive = s3UploadArchive(new S3Client({ region: 'ap-east-1' }), { keepsVersions: false });

    expect(await archive.keys(BUCKET, 'reports/')).toEqual(['reports/science/a.json', 'reports/science/b.json']);
    expect((await archive.versions(BUCKET, 'reports/')).map((v) => [v.key, v.versionId])).toEqual([
      ['reports/science/a.json', undefined],
      ['reports/science/b.json', undefined],
    ]);
  });
});

/** Objects by key (one version each); versioned refs are read as their key. */
function memoryObjects(entries: [string, Uint8Array | string][]): ObjectStore & { keys(): string[] } {
  const stored = new Map(entries.map(([key, body]) => [key, typeof body === 'string' ? new TextEncoder().encode(body) : body]));
  return {
    keys: () => [...stored.keys()].sort(),
    async get({ key }) {
      const body = stored.get(key);
      if (!body) throw new Error(`no object ${key}`);
      return body;
    },
    async put({ key, body }) {
      stored.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
    },
  };
}

/** Takes every commit and holds it: the table's own rules run against dynalite in test/integration. */
function memoryTable(initialItems = 0) {
  const commits: Submission[] = [];
  const repository: Pick<ObservationRepository, 'commit' | 'slicesIn'> = {
    async commit(submission: Submission, _observations: Observation[]): Promise<CommitResult> {
      commits.push(submission);
      return { outcome: 'committed', replaced: null };
    },
    slicesIn: async () => [],
  };
  const contents = { isEmpty: async () => initialItems + commits.length === 0, itemCount: async () => initialItems + commits.length };
  return { commits, repository, contents };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function archiveOf(versions: StoredVersion[], objects: ReturnType<typeof memoryObjects>): UploadArchive {
  return { versions: async () => versions, keys: async (_bucket, prefix) => objects.keys().filter((key) => key.startsWith(prefix)) };
}

describe('the rebuild use case', () => {
  const workbook = async () => fillTemplate(await buildTemplate(catalog, 'science', '2026-11'), new Map([['sci.bayu_craftsmen', 30]]));

  it.each([
    { uploadedAt: '2026-11-20T02:00:00.000Z', outcome: 'committed' },
    // The same workbook uploaded in October named a month still to come (period.future), and was refused then.
    { uploadedAt: '2026-10-20T02:00:00.000Z', outcome: 'rejected' },
  ])('judges the current month by the upload time $uploadedAt: $outcome', async ({ uploadedAt, outcome }) => {
    const committed = outcome === 'committed';
    const upload = source(KEY, 'v1', '0055AED6DCD90281E5', uploadedAt);
    const objects = memoryObjects([[KEY, await workbook()], [report(upload).reportKey, JSON.stringify({ source: upload })]]);
    const table = memoryTable();
    const rebuild = makeRebuild({ catalog, archive: archiveOf([version(KEY, 'v1', uploadedAt)], objects), objects, observations: table.repository, table: table.contents, logger: silent });
    const seen: string[] = [];

    const summary = await rebuild(BUCKET, (p) => seen.push(`${p.index}/${p.total} ${p.outcome} ${p.upload.uploader} same as report: ${p.sameAsReport}`));

    expect(seen).toEqual([`1/1 ${outcome} AWS:AROAEXAMPLE:clerk same as report: false`]);
    expect(table.commits.map((s) => [s.uploadedAt, s.uploader])).toEqual(committed ? [[uploadedAt, 'AWS:AROAEXAMPLE:clerk']] : []);
    expect(summary).toMatchObject({ uploads: 1, replayed: 1, itemsWritten: committed ? 1 : 0, withoutReport: [], differing: [upload] });
    // The reports stay as the clerks received them: nothing is written to the bucket.
    expect(objects.keys()).toEqual([KEY, report(upload).reportKey].sort());
  });

  it('counts a replay that gives the very report first written as the same', async () => {
    const uploadedAt = '2026-11-20T02:00:00.000Z';
    const upload = source(KEY, 'v1', '0055AED6DCD90281E5', uploadedAt);
    const bytes = await workbook();
    const first = await makeIngest({ catalog, objects: memoryObjects([[KEY, bytes]]), observations: memoryTable().repository, clock: { now: () => new Date(uploadedAt) }, logger: silent })(upload);
    const objects = memoryObjects([[KEY, bytes], [first.reportKey, JSON.stringify(first)]]);
    const table = memoryTable();
    const rebuild = makeRebuild({ catalog, archive: archiveOf([version(KEY, 'v1', uploadedAt)], objects), objects, observations: table.repository, table: table.contents, logger: silent });

    expect(await rebuild(BUCKET)).toMatchObject({ replayed: 1, outcomes: { committed: 1 }, differing: [] });
  });

  it('refuses a table that already holds items, replaying nothing', async () => {
    const objects = memoryObjects([[KEY, await workbook()]]);
    const table = memoryTable(1);
    const rebuild = makeRebuild({ catalog, archive: archiveOf([version(KEY, 'v1', '2026-11-20T02:00:00Z')], objects), objects, observations: table.repository, table: table.contents, logger: silent });

    await expect(rebuild(BUCKET)).rejects.toBeInstanceOf(TableNotEmptyError);
    expect(table.commits).toEqual([]);
  });

  it('stops at a fault with what was done until then and the upload that failed', async () => {
    const objects = memoryObjects([[OTHER, 'not a workbook']]);
    const table = memoryTable();
    const versions = [version(OTHER, 'v1', '2026-11-20T02:00:00Z'), version(KEY, 'v1', '2026-11-21T02:00:00Z')];
    const rebuild = makeRebuild({ catalog, archive: archiveOf(versions, objects), objects, observations: table.repository, table: table.contents, logger: silent });

    const fault = await rebuild(BUCKET).then(
      () => null,
      (error: unknown) => error,
    );

    expect(fault).toBeInstanceOf(RebuildFault);
    const { summary, failed, message } = fault as RebuildFault;
    expect(failed.key).toBe(KEY);
    expect(message).toContain(`no object ${KEY}`);
    expect(summary).toMatchObject({ uploads: 2, replayed: 1, outcomes: { committed: 0, duplicate: 0, superseded: 0, rejected: 1 }, itemsWritten: 0 });
    expect(summary.withoutReport.map((u) => u.key)).toEqual([OTHER]);
  });
});
