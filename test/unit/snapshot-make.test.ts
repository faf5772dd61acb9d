import { beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Observation, Submission } from '../../shared/observation.js';
import type { Period } from '../../shared/period.js';
import type { CommitOutcome, ObjectRef, ObjectStore, ObservationRepository } from '../../shared/ports.js';
import { makeSnapshot, previousPeriod, snapshotCsv, type Snapshot } from '../../shared/snapshot/index.js';
import { observation, submission } from '../fixtures.js';

/** Current slices keyed by department and month; every read is logged so the test can count them. */
class MemoryObservations implements ObservationRepository {
  readonly reads: string[] = [];
  private readonly slices = new Map<string, { submission: Submission; observations: Observation[] }>();

  async commit(current: Submission, observations: Observation[]): Promise<CommitOutcome> {
    const slice = `${current.department}#${current.period}`;
    const previous = this.slices.get(slice)?.submission;
    if (previous?.key === current.key && previous.sequencer === current.sequencer) return 'duplicate';
    this.slices.set(slice, { submission: current, observations });
    return 'committed';
  }

  async observationsUpTo(department: string, to: Period): Promise<Observation[]> {
    this.reads.push(`observationsUpTo ${department} ${to}`);
    return [...this.slices.values()]
      .filter(({ submission: s }) => s.department === department && s.period <= to)
      .sort((a, b) => a.submission.period.localeCompare(b.submission.period))
      .flatMap((slice) => slice.observations);
  }

  async submission(department: string, period: Period): Promise<Submission | undefined> {
    this.reads.push(`submission ${department} ${period}`);
    return this.slices.get(`${department}#${period}`)?.submission;
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
const JSON_KEY = 'snapshots/period=2026-11/progress.json';
const CSV_KEY = 'snapshots/period=2026-11/progress.csv';

describe('makeSnapshot', () => {
  let observations: MemoryObservations;
  let objects: MemoryObjects;
  let snapshotOf: ReturnType<typeof makeSnapshot>;

  beforeEach(async () => {
    observations = new MemoryObservations();
    objects = new MemoryObjects();
    snapshotOf = makeSnapshot({ catalog, observations, objects, bucket: BUCKET });
    await observations.commit(submission('science', '2026-10'), [observation('sci.new_innovation_platforms', '2026-10', 3)]);
    await observations.commit(submission('science', '2026-11'), [
      observation('sci.new_innovation_platforms', '2026-11', 4),
      observation('sci.rd_intensity', '2026-11', 2.5),
      observation('sci.rd_intensity_city_avg', '2026-11', 2.4),
    ]);
    await observations.commit(submission('vocational', '2026-10'), [observation('voc.haitang_enrolment', '2026-10', 4100, 'vocational')]);
  });

  it('writes progress.json and progress.csv under the month partition and reports their sizes', async () => {
    const { files } = await snapshotOf('2026-11');
    expect(files).toEqual([
      { key: JSON_KEY, contentType: 'application/json', bytes: objects.objects.get(`${BUCKET}/${JSON_KEY}`)?.body.byteLength },
      { key: CSV_KEY, contentType: 'text/csv; charset=utf-8', bytes: objects.objects.get(`${BUCKET}/${CSV_KEY}`)?.body.byteLength },
    ]);
    expect([...objects.objects.keys()].sort()).toEqual([`${BUCKET}/${CSV_KEY}`, `${BUCKET}/${JSON_KEY}`]);
  });

  it('writes the figures of every department up to the month as JSON', async () => {
    const { snapshot } = await snapshotOf('2026-11');
    const written = JSON.parse(await objects.text(JSON_KEY)) as Snapshot;
    expect(written).toEqual(snapshot);
    expect(written).toMatchObject({ schemaVersion: 1, period: '2026-11', catalogVersion: catalog.version });
    const rows = new Map(written.indicators.map((row) => [row.indicator, row]));
    expect(rows.get('sci.new_innovation_platforms')).toMatchObject({ value: 7, asOf: '2026-11', status: 'behind' });
    expect(rows.get('sci.rd_intensity')).toMatchObject({ value: 2.5, referenceValue: 2.4, status: 'achieved' });
    expect(rows.get('voc.haitang_enrolment')).toMatchObject({ value: 4100, asOf: '2026-10', status: 'achieved' });
    expect(rows.get('edu.group_schooling_coverage')).toMatchObject({ value: null, status: 'no_data' });
    expect(written.departments.map((d) => [d.department, d.reported, d.sourceKey])).toEqual([
      ['science', true, 'science/2026-11.xlsx'],
      ['education', false, null],
      ['vocational', false, null],
    ]);
  });

  it('writes the same snapshot as CSV, byte order mark first', async () => {
    const { snapshot } = await snapshotOf('2026-11');
    const bytes = await objects.get({ bucket: BUCKET, key: CSV_KEY });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await objects.text(CSV_KEY)).toBe(snapshotCsv(snapshot));
  });

  it('reads each department once for its observations and once for its submission of the month', async () => {
    await snapshotOf('2026-11');
    expect([...observations.reads].sort()).toEqual(
      catalog.departments.flatMap((d) => [`observationsUpTo ${d.id} 2026-11`, `submission ${d.id} 2026-11`]).sort(),
    );
  });

  it('writes the same bytes when a month is run again', async () => {
    await snapshotOf('2026-11');
    const first = new Map(objects.objects);
    await snapshotOf('2026-11');
    expect(objects.objects).toEqual(first);
  });

  it.each(['2026-13', '2026-1', '2026-11/../x'])('refuses %j as a period and writes nothing', async (period) => {
    await expect(snapshotOf(period)).rejects.toThrow(RangeError);
    expect(objects.objects.size).toBe(0);
  });
});

describe('previousPeriod', () => {
  it.each([
    { now: '2026-12-01T02:00:00+08:00', period: '2026-11' },
    { now: '2026-11-30T16:00:00Z', period: '2026-11' },
    { now: '2026-11-30T15:59:59Z', period: '2026-10' },
    { now: '2027-01-01T00:30:00+08:00', period: '2026-12' },
    { now: '2026-03-15T12:00:00+08:00', period: '2026-02' },
  ])('is $period at $now', ({ now, period }) => {
    expect(previousPeriod(new Date(now))).toBe(period);
  });
});
