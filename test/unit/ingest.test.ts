import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { makeIngest, type IngestOptions } from '../../shared/ingest/ingest.js';
import type { Upload } from '../../shared/observation.js';
import type { Observation, Slice, Submission } from '../../shared/observation.js';
import type { CommitResult, ObjectRef, ObjectStore, ObservationRepository, PeriodRange } from '../../shared/ports.js';

/** Objects in memory, with what each put was given. */
class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, { body: string | Uint8Array; contentType: string }>();

  async get({ bucket, key }: ObjectRef): Promise<Uint8Array> {
    const stored = this.objects.get(`${bucket}/${key}`)?.body;
    if (stored === undefined) throw new Error(`no object ${key}`);
    return typeof stored === 'string' ? new TextEncoder().encode(stored) : stored;
  }

  async put({ bucket, key, body, contentType }: { bucket: string; key: string; body: string | Uint8Array; contentType: string }) {
    this.objects.set(`${bucket}/${key}`, { body, contentType });
  }
}

/** Takes every commit; the table's own rules run against dynalite in test/integration. */
class RecordingObservations implements ObservationRepository {
  readonly commits: Slice[] = [];
  readonly reads: PeriodRange[] = [];

  async commit(submission: Submission, observations: Observation[]): Promise<CommitResult> {
    this.commits.push({ submission, observations });
    return { outcome: 'committed', replaced: null };
  }

  async slicesIn(_department: string, months: PeriodRange): Promise<Slice[]> {
    this.reads.push(months);
    return [];
  }

  submission = async () => undefined;
}

const upload = (key: string): Upload => ({ bucket: 'uploads', key, versionId: 'v1', sequencer: '0A', uploadedAt: '2026-12-02T01:00:00.000Z' });

/** A year-to-date sheet: a row per month, a column per indicator. */
async function progressSheet(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('年度进度');
  sheet.addRow(['大足区科技局2026年科技创新指标进度表']);
  sheet.addRow(['月份', '巴渝工匠(人)', '特派员(人)']);
  sheet.addRow(['2026-09', 10, 3]);
  sheet.addRow(['2026-10', 12, 4]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function setUp(options?: Partial<IngestOptions>) {
  const objects = new MemoryObjects();
  const observations = new RecordingObservations();
  const logged: string[] = [];
  const logger = { info: (message: string) => logged.push(message), warn: (message: string) => logged.push(message) };
  const ingest = makeIngest({ catalog, objects, observations, clock: { now: () => new Date('2026-12-02T09:00:00+08:00') }, logger, options });
  return { objects, observations, logged, ingest };
}

describe('the ingest use case', () => {
  it('commits each month of a year-to-date sheet as a slice of its own and reports each', async () => {
    const { objects, observations, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key: 'incoming/science/进度.xlsx', body: await progressSheet(), contentType: 'application/octet-stream' });

    const report = await ingest(upload('incoming/science/进度.xlsx'));

    expect(observations.commits.map(({ submission, observations: month }) => ({
      period: submission.period,
      indicators: submission.indicators,
      periods: [...new Set(month.map((o) => o.period))],
    }))).toEqual([
      { period: '2026-09', indicators: ['sci.bayu_craftsmen', 'sci.st_commissioners'], periods: ['2026-09'] },
      { period: '2026-10', indicators: ['sci.bayu_craftsmen', 'sci.st_commissioners'], periods: ['2026-10'] },
    ]);
    expect(report.outcome).toBe('committed');
    expect(report.slices.map(({ period, outcome, replaced, changes }) => ({ period, outcome, replaced, changes: changes.length }))).toEqual([
      { period: '2026-09', outcome: 'committed', replaced: null, changes: 2 },
      { period: '2026-10', outcome: 'committed', replaced: null, changes: 2 },
    ]);
  });

  it('writes the summary and the annotated workbook under reports/<department>/, naming both in the summary', async () => {
    const { objects, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key: 'incoming/science/进度.xlsx', body: await progressSheet(), contentType: 'application/octet-stream' });

    const report = await ingest(upload('incoming/science/进度.xlsx'));

    expect([...objects.objects].filter(([key]) => key.startsWith('uploads/reports/')).map(([key, { contentType }]) => [key, contentType])).toEqual([
      ['uploads/reports/science/进度.xlsx.v1.annotated.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['uploads/reports/science/进度.xlsx.v1.json', 'application/json'],
    ]);
    expect(report).toMatchObject({ reportKey: 'reports/science/进度.xlsx.v1.json', annotatedKey: 'reports/science/进度.xlsx.v1.annotated.xlsx' });
    const written = JSON.parse(String(objects.objects.get('uploads/reports/science/进度.xlsx.v1.json')?.body)) as typeof report;
    expect(written).toEqual(report);
  });

  it('gives a workbook above the annotation limit the summary alone, and says so in the log', async () => {
    const { objects, logged, ingest } = setUp({ maxAnnotatedBytes: 1024 });
    await objects.put({ bucket: 'uploads', key: 'incoming/science/进度.xlsx', body: await progressSheet(), contentType: 'application/octet-stream' });

    const report = await ingest(upload('incoming/science/进度.xlsx'));

    expect(report.annotatedKey).toBeNull();
    expect([...objects.objects.keys()].filter((key) => key.includes('annotated'))).toEqual([]);
    expect(logged).toContain('workbook too large to annotate');
  });

  it('reads a CSV upload and, having no workbook to mark, writes the summary alone', async () => {
    const { objects, ingest } = setUp();
    const csv = new TextEncoder().encode('指标,单位,数值\n巴渝工匠,人,30\n');
    await objects.put({ bucket: 'uploads', key: 'incoming/science/science-2026-11.csv', body: csv, contentType: 'text/csv' });

    const report = await ingest(upload('incoming/science/science-2026-11.csv'));

    expect(report).toMatchObject({ status: 'accepted', period: '2026-11', outcome: 'committed', annotatedKey: null });
    expect(report.observations).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 30, unit: 'persons' }]);
  });

  it('never opens a refused file again to annotate it, and commits nothing', async () => {
    const { objects, observations, ingest } = setUp();
    const pdf = new TextEncoder().encode('%PDF-1.7 not a workbook');
    await objects.put({ bucket: 'uploads', key: 'incoming/science/report.xlsx', body: pdf, contentType: 'application/pdf' });

    const report = await ingest(upload('incoming/science/report.xlsx'));

    expect(report).toMatchObject({ status: 'rejected', outcome: null, slices: [], annotatedKey: null });
    expect(report.errors.map((e) => e.code)).toEqual(['file.not_a_workbook']);
    expect(observations.commits).toEqual([]);
  });

  it('reads the stored figures the rules compare with once, only the months progress can use', async () => {
    const { objects, observations, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key: 'incoming/science/进度.xlsx', body: await progressSheet(), contentType: 'application/octet-stream' });

    await ingest(upload('incoming/science/进度.xlsx'));

    // The catalog's earliest baseline is 2025-12-31 and the clock says December 2026.
    expect(observations.reads).toEqual([{ from: '2025-12', to: '2026-12' }]);
  });
});
