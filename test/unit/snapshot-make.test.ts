import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Observation, Slice, Submission } from '../../shared/observation.js';
import type { Clock, ObjectRef, ObjectStore, ObservationRepository, PeriodRange } from '../../shared/ports.js';
import { makeSnapshot, SCHEMA_VERSION, snapshotCsv, type Manifest, type Snapshot } from '../../shared/snapshot/index.js';
import { observation, submission } from '../fixtures.js';

/** Current slices keyed by department and month; every read is logged so the test can count them. */
class MemoryObservations implements Pick<ObservationRepository, 'slicesIn'> {
  readonly reads: string[] = [];
  private readonly slices = new Map<string, { submission: Submission; observations: Observation[] }>();

  current(submission: Submission, observations: Observation[]): void {
    this.slices.set(`${submission.department}#${submission.period}`, { submission, observations });
  }

  async slicesIn(department: string, { from, to }: PeriodRange): Promise<Slice[]> {
    this.reads.push(`${department} ${from}..${to}`);
    return [...this.slices.values()]
      .filter(({ submission: s }) => s.department === department && s.period >= from && s.period <= to)
      .sort((a, b) => a.submission.period.localeCompare(b.submission.period));
  }
}

class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();

  async get({ bucket, key }: ObjectRef): Promise<Uint8Array> {
    const stored = this.objects.get(`${bucket}/${key}`);
    if (!stored) throw new Error(`no object ${bucket}/${key}`);
    return stored.body;
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

  const snapshotAt = (iso: string) => makeSnapshot({ catalog, observations, objects, bucket: BUCKET, clock: clockAt(iso) });

  beforeEach(async () => {
    observations = new MemoryObservations();
    objects = new MemoryObjects();
    snapshotOf = snapshotAt('2026-12-01T02:00:00+08:00');
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
    const { snapshot } = await snapshotOf('2026-11');
    const written = JSON.parse(await objects.text(JSON_KEY)) as Snapshot;
    expect(written).toEqual(snapshot);
    expect(written).toMatchObject({ schemaVersion: SCHEMA_VERSION, period: '2026-11', catalogVersion: catalog.version });
    const rows = new Map(written.indicators.map((row) => [row.indicator, row]));
    expect(rows.get('sci.new_innovation_platforms')).toMatchObject({ value: 7, asOf: '2026-11', status: 'on_track' });
    expect(rows.get('sci.rd_intensity')).toMatchObject({ value: 2.5, referenceValue: 2.4, status: 'achieved' });
    expect(rows.get('voc.haitang_enrolment')).toMatchObject({ value: 4100, asOf: '2026-10', status: 'achieved' });
    expect(rows.get('edu.group_schooling_coverage')).toMatchObject({ value: null, status: 'no_data' });
    expect(written.departments.map((d) => [d.department, d.reported, d.sourceKey, d.monthsReceived, d.monthsExpected])).toEqual([
      ['science', true, 'science/2026-11.xlsx', 2, 11],
      ['education', false, null, 0, 11],
      ['vocational', false, null, 1, 11],
    ]);
  });

  it('writes the same snapshot as CSV, byte order mark first', async () => {
    const { snapshot } = await snapshotOf('2026-11');
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
      generatedAt: '2026-11-30T18:00:00.000Z',
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
    await snapshotOf('2028-01');
    expect(observations.reads).toEqual([
      ...catalog.departments.map((d) => `${d.id} 2025-03..2026-03`),
      ...catalog.departments.map((d) => `${d.id} 2025-12..2028-01`),
    ]);
  });

  it('writes identical data files when a month is run again later, only the manifest differs', async () => {
    await snapshotOf('2026-11');
    const first = new Map(objects.objects);
    await snapshotAt('2027-03-05T10:00:00Z')('2026-11');
    for (const file of DATA_FILES) {
      expect(objects.objects.get(`${BUCKET}/${PARTITION}${file}`), file).toEqual(first.get(`${BUCKET}/${PARTITION}${file}`));
    }
    expect(await objects.text(`${PARTITION}manifest.json`)).toContain('"generatedAt": "2027-03-05T10:00:00.000Z"');
  });

  it.each([
    { case: 'the month just ended', period: '2026-11', latest: true },
    { case: 'a month ahead of the schedule', period: '2026-12', latest: true },
    { case: 'an older month (a backfill)', period: '2026-10', latest: false },
  ])('points latest/ at $case: $latest', async ({ period, latest }) => {
    const result = await snapshotOf(period);
    expect(result.latest).toBe(latest);
    const copied = objects.objects.get(`${BUCKET}/latest/progress.json`);
    if (latest) {
      expect(copied).toEqual(objects.objects.get(`${BUCKET}/snapshots/period=${period}/progress.json`));
      expect([...objects.objects.keys()].filter((k) => k.startsWith(`${BUCKET}/latest/`))).toHaveLength(MONTH_FILES.length);
    } else {
      expect(copied).toBeUndefined();
    }
  });

  it.each(['2026-13', '2026-1', '2026-11/../x'])('refuses %j as a period and writes nothing', async (period) => {
    await expect(snapshotOf(period)).rejects.toThrow(RangeError);
    expect(objects.objects.size).toBe(0);
  });

  it.each([0, 29, 1.5])('refuses %j as a due day', (dueDay) => {
    expect(() => makeSnapshot({ catalog, observations, objects, bucket: BUCKET, dueDay })).toThrow(RangeError);
  });
});
