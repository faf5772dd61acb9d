import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { makeIngest, type ImportReport, type IngestOptions } from '../../shared/ingest/ingest.js';
import type { Upload } from '../../shared/observation.js';
import { DEFAULT_READ_LIMITS } from '../../shared/workbook/limits.js';
import type { Observation, Slice, Submission } from '../../shared/observation.js';
import type { Catalog } from '../../shared/catalog/catalog.js';
import type { CommitResult, ObservationRepository, PeriodRange } from '../../shared/ports.js';
import { EXPANDING_SHEETS, withSheetXml } from './sheet-xml.js';
import { MemoryObjects } from '../memory-objects.js';
import type { PortalUpload } from '../../shared/portal/ports.js';

/** Takes every commit; the table's own rules run against dynalite in test/integration. */
class RecordingObservations implements Pick<ObservationRepository, 'commit' | 'slicesIn'> {
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

/** The portal's record of one upload it granted, to science's clerk. */
const PORTAL_UPLOAD_ID = '0192f5a8-1c3e-7a4b-8c2d-3e4f5a6b7c8d';
const portalUploads = {
  get: async (department: string, uploadId: string): Promise<PortalUpload | undefined> =>
    department === 'science' && uploadId === PORTAL_UPLOAD_ID
      ? { uploadId, department, fileName: '进度.xlsx', size: 1, period: null, user: 'science-clerk', email: null, requestedAt: '', expiresAt: '', key: '' }
      : undefined,
};

function setUp(options?: Partial<IngestOptions>, checking: Catalog = catalog) {
  const objects = new MemoryObjects();
  const observations = new RecordingObservations();
  const logged: string[] = [];
  const errors: Record<string, unknown>[] = [];
  const logger = {
    info: (message: string) => logged.push(message),
    warn: (message: string) => logged.push(message),
    error: (message: string, ...extra: Record<string, unknown>[]) => errors.push({ message, ...Object.assign({}, ...extra) }),
  };
  const ingest = makeIngest({ catalog: checking, objects, observations, portalUploads, clock: { now: () => new Date('2026-12-02T09:00:00+08:00') }, logger, options });
  return { objects, observations, logged, errors, ingest };
}

const PROGRESS_KEY = 'incoming/science/进度.xlsx';
const PROGRESS_REPORT = 'reports/science/进度.xlsx.v1.json';

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

  it.each([
    ['a portal upload is submitted by the signed-in user the portal granted it to', `incoming/science/${PORTAL_UPLOAD_ID}/进度.xlsx`, 'science-clerk'],
    ['a direct drop names no portal user', 'incoming/science/进度.xlsx', undefined],
    ['an upload the portal has no record of names no portal user', 'incoming/science/0192f5a8-1c3e-7a4b-8c2d-000000000000/进度.xlsx', undefined],
  ])('%s, in the month it commits and the report', async (_case, key, submitter) => {
    const { objects, observations, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key, body: await progressSheet(), contentType: 'application/octet-stream' });

    const report = await ingest(upload(key));

    expect(observations.commits.map(({ submission }) => submission.submitter)).toEqual([submitter, submitter]);
    expect(report.source.submitter).toBe(submitter);
  });

  it('writes the summary and the annotated workbook under reports/<department>/, naming both in the summary', async () => {
    const { objects, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key: 'incoming/science/进度.xlsx', body: await progressSheet(), contentType: 'application/octet-stream' });

    const report = await ingest(upload('incoming/science/进度.xlsx'));

    expect([...objects.objects].filter(([key]) => key.startsWith('uploads/reports/')).map(([key, { contentType }]) => [key, contentType]).sort()).toEqual([
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

  it("commits each figure with the clerk's note and lists the note with its observation in the report", async () => {
    const { objects, observations, ingest } = setUp();
    const csv = new TextEncoder().encode('指标,单位,数值,备注\n巴渝工匠,人,30,培训班推迟\n科技特派员,人,4\n');
    await objects.put({ bucket: 'uploads', key: 'incoming/science/science-2026-11.csv', body: csv, contentType: 'text/csv' });

    const report = await ingest(upload('incoming/science/science-2026-11.csv'));

    expect(report.observations).toEqual([
      { indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 30, unit: 'persons', note: '培训班推迟' },
      { indicator: 'sci.st_commissioners', period: '2026-11', value: 4, unit: 'persons' },
    ]);
    expect(observations.commits.flatMap((commit) => commit.observations.map(({ indicator, note }) => ({ indicator, note })))).toEqual([
      { indicator: 'sci.bayu_craftsmen', note: '培训班推迟' },
      { indicator: 'sci.st_commissioners', note: undefined },
    ]);
    expect(objects.report(report.reportKey).observations[0]).toMatchObject({ note: '培训班推迟' });
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

  it('refuses an object larger than a workbook may unpack to without reading it, and commits nothing', async () => {
    const { objects, observations, ingest } = setUp({ limits: { ...DEFAULT_READ_LIMITS, maxUncompressedBytes: 2 ** 20 } });
    await objects.put({ bucket: 'uploads', key: PROGRESS_KEY, body: new Uint8Array(2 ** 20 + 1), contentType: 'application/octet-stream' });

    const report = await ingest(upload(PROGRESS_KEY));

    expect(report).toMatchObject({ status: 'rejected', outcome: null, slices: [], annotatedKey: null, annotation: { status: 'not_read' } });
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([['file.too_large', expect.stringContaining('1 MB') as unknown]]);
    expect(observations.commits).toEqual([]);
    expect(objects.report(PROGRESS_REPORT)).toEqual(report);
  });

  it('names the unknown folder rather than the size of an object too large and in no department', async () => {
    const { objects, ingest } = setUp({ limits: { ...DEFAULT_READ_LIMITS, maxUncompressedBytes: 1024 } });
    await objects.put({ bucket: 'uploads', key: 'incoming/police/进度.xlsx', body: await progressSheet(), contentType: 'application/octet-stream' });

    expect((await ingest(upload('incoming/police/进度.xlsx'))).errors.map((e) => e.code)).toEqual(['upload.unknown_department']);
  });

  it('reports a fault while checking the file as file.check_failed, commits nothing and logs it at error level with the key', async () => {
    const fault = new TypeError("Cannot read properties of undefined (reading 'value')");
    // Reading each figure asks the catalog for its unit: a fault there is one inside the check, which would recur on every delivery.
    const faulty = Object.create(catalog, { unit: { value: () => { throw fault; } } }) as Catalog;
    const { objects, observations, errors, ingest } = setUp({}, faulty);
    await objects.put({ bucket: 'uploads', key: PROGRESS_KEY, body: await progressSheet(), contentType: 'application/octet-stream' });

    const report = await ingest(upload(PROGRESS_KEY));

    expect(report).toMatchObject({ status: 'rejected', outcome: null, slices: [], annotatedKey: null, annotation: { status: 'not_read' } });
    expect(report.errors.map((e) => [e.code, e.sheet, e.cell])).toEqual([['file.check_failed', null, null]]);
    expect(report.errors[0]?.message).toMatch(/^系统在检查此文件时出错.* \/ The pipeline failed while checking this file/);
    expect(observations.commits).toEqual([]);
    expect(objects.report(PROGRESS_REPORT)).toEqual(report);
    expect(errors).toEqual([expect.objectContaining({ key: PROGRESS_KEY, versionId: 'v1', error: fault })]);
  });

  it('writes the report before opening the workbook whole, and rewrites it naming the annotated copy', async () => {
    const { objects, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key: PROGRESS_KEY, body: await progressSheet(), contentType: 'application/octet-stream' });
    objects.puts.splice(0);

    const report = await ingest(upload(PROGRESS_KEY));

    const written = objects.puts.map(({ key, body }) => [key, key.endsWith('.json') ? (JSON.parse(String(body)) as ImportReport).annotation.status : 'xlsx']);
    expect(written).toEqual([
      [PROGRESS_REPORT, 'pending'],
      ['reports/science/进度.xlsx.v1.annotated.xlsx', 'xlsx'],
      [PROGRESS_REPORT, 'written'],
    ]);
    expect(report.annotation).toEqual({ status: 'written', message: '批注副本中已标出每个问题所在的单元格 / The annotated copy marks the cell of every problem' });
    const first = JSON.parse(String(objects.puts[0]?.body)) as ImportReport;
    expect({ ...first, annotatedKey: report.annotatedKey, annotation: report.annotation }).toEqual(report);
  });

  it('leaves a report saying what was committed when the process dies while annotating', async () => {
    const { objects, observations, ingest } = setUp();
    await objects.put({ bucket: 'uploads', key: PROGRESS_KEY, body: await progressSheet(), contentType: 'application/octet-stream' });
    const put = objects.put.bind(objects);
    objects.put = async (object) => {
      if (object.key.endsWith('.annotated.xlsx')) throw new Error('Runtime exited with error: signal: killed');
      return put(object);
    };

    await expect(ingest(upload(PROGRESS_KEY))).rejects.toThrow('killed');

    expect(observations.commits).toHaveLength(2);
    expect(objects.report(PROGRESS_REPORT)).toMatchObject({ status: 'accepted', outcome: 'committed', annotatedKey: null, annotation: { status: 'pending' } });
    expect(objects.report(PROGRESS_REPORT).slices.map((slice) => slice.outcome)).toEqual(['committed', 'committed']);
  });

  it.each(Object.keys(EXPANDING_SHEETS) as (keyof typeof EXPANDING_SHEETS)[])(
    'commits a workbook with %s and reports it too large to annotate, without opening it whole',
    async (attack) => {
      const { objects, observations, ingest } = setUp();
      const body = withSheetXml(await progressSheet(), EXPANDING_SHEETS[attack]);
      await objects.put({ bucket: 'uploads', key: PROGRESS_KEY, body, contentType: 'application/octet-stream' });

      const report = await ingest(upload(PROGRESS_KEY));

      expect(report).toMatchObject({ status: 'accepted', outcome: 'committed', annotatedKey: null, annotation: { status: 'too_large' } });
      expect(report.annotation.message).toMatch(/超过 200000 个.*more than 200000/);
      expect(observations.commits).toHaveLength(2);
      expect(objects.report(PROGRESS_REPORT)).toEqual(report);
      expect([...objects.objects.keys()].filter((key) => key.includes('annotated'))).toEqual([]);
    },
    // Opened whole, the smallest of these took 32 s and 2.5 GB.
    10_000,
  );

  it('annotates a workbook whose merges and validations stay within the bound', async () => {
    const { objects, ingest } = setUp();
    const body = withSheetXml(await progressSheet(), (xml) =>
      EXPANDING_SHEETS['a merge over one full column'](xml).replace('E1:E1048576', 'E1:E1000'),
    );
    await objects.put({ bucket: 'uploads', key: PROGRESS_KEY, body, contentType: 'application/octet-stream' });

    expect((await ingest(upload(PROGRESS_KEY))).annotation.status).toBe('written');
  });
});
