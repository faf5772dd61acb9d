import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { catalog, loadCatalog } from '../../shared/catalog/catalog.js';
import type { Observation, Submission } from '../../shared/observation.js';
import type { Clock, MonthReviews, ObjectRef, ObjectStore, ObservationRepository, PeriodRange } from '../../shared/ports.js';
import type { MonthRecord, ReviewState } from '../../shared/review/review.js';
import { makeSnapshot, SCHEMA_VERSION, snapshotCsv, type Manifest, type Snapshot, type SnapshotResult } from '../../shared/snapshot/index.js';
import { UncoveredYearError } from '../../shared/working-days.js';
import { observation, submission } from '../fixtures.js';
import { monthReview } from './review-fixtures.js';

/** Current months keyed by department and month; every read and every lock is logged so the test can follow them. */
class MemoryObservations implements Pick<ObservationRepository, 'monthsIn'>, Pick<MonthReviews, 'update'> {
  readonly log: string[] = [];
  readonly records = new Map<string, MonthRecord>();

  current(submission: Submission, observations: Observation[], state: ReviewState = 'submitted'): void {
    const { review } = monthReview(submission.department, submission.period, state);
    this.records.set(`${submission.department}#${submission.period}`, { slice: { submission, observations }, revision: 1, review });
  }

  async monthsIn(department: string, { from, to }: PeriodRange): Promise<MonthRecord[]> {
    this.log.push(`read ${department} ${from}..${to}`);
    return [...this.records.values()]
      .filter(({ slice: { submission: s } }) => s.department === department && s.period >= from && s.period <= to)
      .sort((a, b) => a.slice.submission.period.localeCompare(b.slice.submission.period));
  }

  async update(department: string, period: string, step: (record: MonthRecord) => MonthRecord | null): Promise<MonthRecord | undefined> {
    const record = this.records.get(`${department}#${period}`);
    if (!record) return undefined;
    const next = step(record);
    if (next === null) return record;
    this.log.push(`lock ${department} ${period}`);
    this.records.set(`${department}#${period}`, next);
    return next;
  }

  get reads(): string[] {
    return this.log.filter((entry) => entry.startsWith('read ')).map((entry) => entry.slice('read '.length));
  }
}

class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();

  async get({ bucket, key }: ObjectRef): Promise<Uint8Array> {
    const stored = this.objects.get(`${bucket}/${key}`);
    if (!stored) throw new Error(`no object ${bucket}/${key}`);
    return stored.body;
  }

  async exists({ bucket, key }: ObjectRef): Promise<boolean> {
    return this.objects.has(`${bucket}/${key}`);
  }

  async put({ bucket, key, body, contentType }: { bucket: string; key: string; body: string | Uint8Array; contentType: string }): Promise<void> {
    this.objects.set(`${bucket}/${key}`, { body: typeof body === 'string' ? new TextEncoder().encode(body) : body, contentType });
  }

  async text(key: string): Promise<string> {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await this.get({ bucket: BUCKET, key }));
  }
}

const BUCKET = 'snapshots-bucket';
const PARTITION = 'snapshots/period=2026-11/';
const JSON_KEY = `${PARTITION}progress.json`;
const CSV_KEY = `${PARTITION}progress.csv`;
const MONTH_FILES = [
  'progress.json',
  'progress.csv',
  'progress/progress.parquet',
  'completeness.json',
  'completeness.csv',
  'completeness/completeness.parquet',
  'restatements.json',
  'restatements.csv',
  'restatements/restatements.parquet',
  'report.html',
  'report.xlsx',
  'manifest.json',
];
/** Files whose bytes depend on the data alone; the manifest holds the run time. */
const DATA_FILES = MONTH_FILES.filter((file) => file !== 'manifest.json');

const clockAt = (iso: string): Clock => ({ now: () => new Date(iso) });

describe('makeSnapshot', () => {
  let observations: MemoryObservations;
  let objects: MemoryObjects;
  let snapshotOf: ReturnType<typeof makeSnapshot>;

  const snapshotAt = (iso: string) => makeSnapshot({ catalog, observations, objects, exists: (ref) => objects.exists(ref), bucket: BUCKET, clock: clockAt(iso) });
  /** The snapshot a run wrote; a run that wrote none fails the test. */
  const written = async (run: Promise<SnapshotResult>) => {
    const result = await run;
    if (result.outcome !== 'written') throw new Error(`expected a written snapshot, got ${result.outcome}`);
    return result;
  };

  beforeEach(async () => {
    observations = new MemoryObservations();
    objects = new MemoryObjects();
    snapshotOf = snapshotAt('2026-12-15T02:00:00+08:00');
    observations.current(submission('science', '2026-10'), [observation('sci.new_innovation_platforms', '2026-10', 3)]);
    observations.current(submission('science', '2026-11', ['sci.new_innovation_platforms', 'sci.rd_intensity', 'sci.rd_intensity_city_avg']), [
      observation('sci.new_innovation_platforms', '2026-11', 4),
      observation('sci.rd_intensity', '2026-11', 2.5),
      observation('sci.rd_intensity_city_avg', '2026-11', 2.4),
    ]);
    observations.current(submission('vocational', '2026-10'), [observation('voc.haitang_enrolment', '2026-10', 4100, 'vocational')]);
  });

  it('writes every file of the month under its partition, manifest last, with sizes and checksums', async () => {
    const { files } = await snapshotOf('2026-11');
    expect(files.map((f) => f.key)).toEqual(MONTH_FILES.map((file) => `${PARTITION}${file}`));
    for (const file of files) {
      const stored = objects.objects.get(`${BUCKET}/${file.key}`);
      expect(file).toEqual({
        key: file.key,
        contentType: stored?.contentType,
        bytes: stored?.body.byteLength,
        sha256: createHash('sha256').update(stored?.body ?? new Uint8Array()).digest('hex'),
      });
    }
  });

  it('writes the figures of every department up to the month as JSON', async () => {
    const { snapshot } = await written(snapshotOf('2026-11'));
    const json = JSON.parse(await objects.text(JSON_KEY)) as Snapshot;
    expect(json).toEqual(snapshot);
    expect(json).toMatchObject({ schemaVersion: SCHEMA_VERSION, period: '2026-11', catalogVersion: catalog.version });
    const rows = new Map(json.indicators.map((row) => [row.indicator, row]));
    expect(rows.get('sci.new_innovation_platforms')).toMatchObject({ value: 7, asOf: '2026-11', status: 'on_track' });
    expect(rows.get('sci.rd_intensity')).toMatchObject({ value: 2.5, referenceValue: 2.4, status: 'achieved' });
    expect(rows.get('voc.haitang_enrolment')).toMatchObject({ value: 4100, asOf: '2026-10', status: 'achieved' });
    expect(rows.get('edu.group_schooling_coverage')).toMatchObject({ value: null, status: 'no_data' });
    expect(json.departments.map((d) => [d.department, d.reported, d.sourceKey, d.monthsReceived, d.monthsExpected])).toEqual([
      ['science', true, 'science/2026-11.xlsx', 2, 11],
      ['education', false, null, 0, 11],
      ['vocational', false, null, 1, 11],
    ]);
  });

  it('writes the same snapshot as CSV, byte order mark first', async () => {
    const { snapshot } = await written(snapshotOf('2026-11'));
    const bytes = await objects.get({ bucket: BUCKET, key: CSV_KEY });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await objects.text(CSV_KEY)).toBe(snapshotCsv(snapshot));
  });

  it('lists in the manifest the uploads it read, the catalog, the schema, the due day, the run time and the files', async () => {
    const { files } = await snapshotOf('2026-11');
    const manifest = JSON.parse(await objects.text(`${PARTITION}manifest.json`)) as Manifest;
    expect(manifest).toEqual({
      schemaVersion: SCHEMA_VERSION,
      period: '2026-11',
      catalogVersion: catalog.version,
      dueDay: 10,
      publication: 'published',
      generatedAt: '2026-12-14T18:00:00.000Z',
      inputs: [
        { bucket: 'uploads', key: 'science/2026-10.xlsx', versionId: null },
        { bucket: 'uploads', key: 'science/2026-11.xlsx', versionId: null },
        { bucket: 'uploads', key: 'vocational/2026-10.xlsx', versionId: null },
      ],
      files: files.slice(0, -1),
    });
  });

  it('reads each department once, from the earliest baseline or a year back, whichever is earlier', async () => {
    await snapshotOf('2026-03');
    await snapshotOf('2025-06');
    expect(observations.reads).toEqual([
      ...catalog.departments.map((d) => `${d.id} 2025-03..2026-03`),
      ...catalog.departments.map((d) => `${d.id} 2024-06..2025-06`),
    ]);
  });

  it('locks every month of the period that has figures before it reads them, and no other month', async () => {
    await snapshotOf('2026-11');
    expect(observations.log.slice(0, 2)).toEqual(['lock science 2026-11', `read ${catalog.departments[0]?.id} 2025-11..2026-11`]);
    expect(observations.log.filter((entry) => entry.startsWith('lock '))).toEqual(['lock science 2026-11']);
    expect(observations.records.get('science#2026-11')?.review.lockedAt).toBe('2026-12-14T18:00:00.000Z');
    expect(observations.records.get('science#2026-10')?.review.lockedAt).toBeNull();
  });

  it('leaves a published month as it is: nothing locked, read or written, the files listed as the manifest has them', async () => {
    const { files } = await snapshotOf('2026-11');
    const first = new Map(objects.objects);
    const logged = observations.log.length;
    const again = await snapshotAt('2027-03-05T10:00:00Z')('2026-11');
    expect(again).toEqual({ outcome: 'already_published', files });
    expect(objects.objects).toEqual(first);
    expect(observations.log).toHaveLength(logged);
  });

  it('rewrites a published month on a rebuild: identical data files, a manifest of the rebuild', async () => {
    await snapshotOf('2026-11');
    const first = new Map(objects.objects);
    await written(snapshotAt('2027-03-05T10:00:00Z')('2026-11', { reason: 'the report template changed' }));
    for (const file of DATA_FILES) {
      expect(objects.objects.get(`${BUCKET}/${PARTITION}${file}`), file).toEqual(first.get(`${BUCKET}/${PARTITION}${file}`));
    }
    expect(await objects.text(`${PARTITION}manifest.json`)).toContain('"generatedAt": "2027-03-05T10:00:00.000Z"');
  });

  it('writes a draft without locking anything or touching latest/, and writes it again until the month is published', async () => {
    await written(snapshotOf('2026-11', 'draft'));
    expect(observations.log.filter((entry) => entry.startsWith('lock '))).toEqual([]);
    expect(JSON.parse(await objects.text(JSON_KEY))).toMatchObject({ publication: 'draft' });
    expect(JSON.parse(await objects.text(`${PARTITION}manifest.json`))).toMatchObject({ publication: 'draft' });
    expect(await objects.text(`${PARTITION}report.html`)).toContain('data-draft');
    expect([...objects.objects.keys()].filter((key) => key.startsWith(`${BUCKET}/latest/`))).toEqual([]);

    observations.current(submission('vocational', '2026-11'), [observation('voc.haitang_enrolment', '2026-11', 4200, 'vocational')]);
    const again = await written(snapshotOf('2026-11', 'draft'));
    expect(again.snapshot.departments.find((d) => d.department === 'vocational')?.reported).toBe(true);
    const published = await written(snapshotOf('2026-11'));
    expect(published.snapshot.publication).toBe('published');
    expect(await objects.text(`${PARTITION}report.html`)).not.toContain('data-draft');
    expect(await snapshotOf('2026-11', 'draft')).toMatchObject({ outcome: 'already_published' });
  });

  it("records in the trail of each month it locks the department's targets revised in the month", async () => {
    const [platforms] = catalog.indicators.filter((i) => i.id === 'sci.new_innovation_platforms');
    if (platforms?.target?.type !== 'reach') throw new Error('the platforms target is not a reach target');
    const revision = { effective: '2026-11-05', reason: '市级任务调整', decidedBy: '区政府常务会议纪要', target: { ...platforms.target, value: 15 } };
    const revised = loadCatalog({ ...catalogData, indicators: catalogData.indicators.map((i) => (i.id === platforms.id ? { ...i, targetRevisions: [revision] } : i)) });
    await makeSnapshot({ catalog: revised, observations, objects, exists: (ref) => objects.exists(ref), bucket: BUCKET, clock: clockAt('2026-12-15T02:00:00+08:00') })('2026-11');

    const trailOf = (department: string) => observations.records.get(`${department}#2026-11`)?.review.audit.map(({ action, by, reason, indicator }) => ({ action, by, reason, indicator }));
    expect(trailOf('science')).toEqual([
      { action: 'target_revised', by: '区政府常务会议纪要', reason: '市级任务调整', indicator: platforms.id },
      { action: 'locked', by: 'snapshot', reason: null, indicator: null },
    ]);
    expect(observations.records.get('science#2026-11')?.review.audit[0]?.at).toBe('2026-11-04T16:00:00.000Z');
  });

  it('refuses a rebuild without a reason and writes nothing', async () => {
    await expect(snapshotOf('2026-11', { reason: '  ' })).rejects.toThrow(RangeError);
    expect(objects.objects.size).toBe(0);
  });

  it.each([
    { case: 'the month just ended', period: '2026-11', latest: true },
    { case: 'an older month (a backfill)', period: '2026-10', latest: false },
  ])('points latest/ at $case: $latest', async ({ period, latest }) => {
    const result = await written(snapshotOf(period));
    expect(result.latest).toBe(latest);
    const copied = objects.objects.get(`${BUCKET}/latest/progress.json`);
    if (latest) {
      expect(copied).toEqual(objects.objects.get(`${BUCKET}/snapshots/period=${period}/progress.json`));
      expect([...objects.objects.keys()].filter((k) => k.startsWith(`${BUCKET}/latest/`))).toHaveLength(MONTH_FILES.length);
    } else {
      expect(copied).toBeUndefined();
    }
  });

  it('refuses a month due in a year the holiday table does not hold, naming the year, and locks and writes nothing', async () => {
    observations.current(submission('science', '2026-12'), [observation('sci.new_innovation_platforms', '2026-12', 5)]);
    await expect(snapshotOf('2026-12')).rejects.toThrow(UncoveredYearError);
    await expect(snapshotOf('2026-12')).rejects.toThrow('no holidays or make-up working days for 2027');
    expect(objects.objects.size).toBe(0);
    expect(observations.log.filter((entry) => entry.startsWith('lock '))).toEqual([]);
  });

  it.each(['2026-13', '2026-1', '2026-11/../x'])('refuses %j as a period and writes nothing', async (period) => {
    await expect(snapshotOf(period)).rejects.toThrow(RangeError);
    expect(objects.objects.size).toBe(0);
  });

  it.each([0, 29, 1.5])('refuses %j as a due day', (dueDay) => {
    expect(() => makeSnapshot({ catalog, observations, objects, exists: async () => false, bucket: BUCKET, dueDay })).toThrow(RangeError);
  });
});
