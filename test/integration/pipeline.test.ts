import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { fillTemplate, sampleWorkbooks, type SampleWorkbook } from '../../cli/samples.js';
import figures from '../../samples/figures.json' with { type: 'json' };
import { catalog } from '../../shared/catalog/catalog.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { uploadKey } from '../../shared/s3-keys.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { buildTemplate, TEMPLATE } from '../../shared/workbook/template.js';

/**
 * The whole flow on the embedded stores: workbooks put into s3rver, the S3 events it emits
 * handled by the real ingest function, observations in dynalite, the snapshot function's files.
 */
let directory: string;
let pipeline: LocalPipeline & { close(): Promise<void> };
let samples: SampleWorkbook[];

const decoder = new TextDecoder();
const readJson = async <T>(bucket: string, key: string) => JSON.parse(decoder.decode(await pipeline.read(bucket, key))) as T;
const readReport = (key: string) => readJson<ImportReport>(LOCAL_RESOURCES.uploadBucket, key);

async function tableItems() {
  const { Items = [] } = await pipeline.stores.dynamo.send(new ScanCommand({ TableName: LOCAL_RESOURCES.observationsTable }));
  return Items.map((item) => JSON.stringify(item)).sort();
}

async function upload(key: string, bytes: Uint8Array) {
  const [ingested] = await pipeline.upload(key, bytes);
  if (!ingested) throw new Error(`no report for ${key}`);
  return readReport(ingested.reportKey);
}

function sample(department: string, period: string): SampleWorkbook {
  const found = samples.find((s) => s.department === department && s.period === period);
  if (!found) throw new Error(`no sample for ${department} ${period}`);
  return found;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'pipeline-'));
  pipeline = await startLocalPipeline(directory);
  samples = await sampleWorkbooks(catalog);
  for (const s of samples) await pipeline.upload(uploadKey(s.department, s.fileName), s.bytes);
});

afterAll(async () => {
  await pipeline.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('ingesting uploads through S3 events', () => {
  it('accepts a filled-in template and reports every figure in canonical units', async () => {
    const report = await upload('incoming/education/education-2026-11.xlsx', sample('education', '2026-11').bytes);
    expect(report).toMatchObject({ status: 'accepted', department: 'education', period: '2026-11', errors: [] });
    // Uploaded once already by the set-up: the same bytes again change nothing.
    expect(report.outcome).toBe('duplicate');
    expect(report.observations).toEqual([
      { indicator: 'edu.group_schooling_coverage', period: '2026-11', value: 82, unit: 'percent' },
      { indicator: 'edu.quality_community_share', period: '2026-11', value: 71, unit: 'percent' },
      { indicator: 'edu.traditional_feature_schools', period: '2026-11', value: 52, unit: 'count' },
      { indicator: 'edu.national_designations', period: '2026-11', value: false, unit: 'done' },
    ]);
  });

  it('leaves the table exactly as it was when the same file is ingested again', async () => {
    const before = await tableItems();
    const report = await upload('incoming/science/science-2026-10.xlsx', sample('science', '2026-10').bytes);
    expect(report.outcome).toBe('duplicate');
    expect(await tableItems()).toEqual(before);
  });

  it('rejects a workbook with one bad cell whole, naming the sheet and cell, and writes nothing', async () => {
    const before = await tableItems();
    const template = await buildTemplate(catalog, 'vocational', '2026-11');
    const bad = await fillTemplate(template, new Map<string, number>([['voc.majors', 22.5], ['voc.industry_colleges', 5]]));
    const report = await upload('incoming/vocational/vocational-2026-11.xlsx', bad);
    expect(report.status).toBe('rejected');
    expect(report.outcome).toBeNull();
    expect(report.observations).toEqual([]);
    const majorsRow = TEMPLATE.rows.firstIndicator + catalog.indicatorsOf('vocational').findIndex((i) => i.id === 'voc.majors');
    expect(report.errors).toEqual([
      expect.objectContaining({ sheet: TEMPLATE.dataSheet, cell: `E${majorsRow}`, code: 'value.not_whole' }),
    ]);
    expect(await tableItems()).toEqual(before);
  });

  it('decodes keys with spaces and Chinese file names before reading the object', async () => {
    const report = await upload('incoming/science/科技局 十一月 (v2).xlsx', sample('science', '2026-11').bytes);
    expect(report.source.key).toBe('incoming/science/科技局 十一月 (v2).xlsx');
    expect(report.status).toBe('accepted');
  });

  it('answers a file that is not a workbook with a report, not a crash', async () => {
    const report = await upload('incoming/science/notes.xlsx', new TextEncoder().encode('not a spreadsheet'));
    expect(report).toMatchObject({ status: 'rejected', errors: [expect.objectContaining({ code: 'file.not_a_workbook' })] });
  });

  it('rejects a file dropped into a folder that is no department', async () => {
    const report = await upload('incoming/police/science-2026-11.xlsx', sample('science', '2026-11').bytes);
    expect(report).toMatchObject({ status: 'rejected', reportKey: expect.stringMatching(/^reports\/police\//) });
    expect(report.errors.map((e) => e.code)).toEqual(['upload.unknown_department']);
  });

  it('replaces a month with a corrected upload: figures left out are no longer current', async () => {
    const corrected = await fillTemplate(
      await buildTemplate(catalog, 'education', '2026-09'),
      new Map<string, number | boolean>([['edu.group_schooling_coverage', 80.5]]),
    );
    const report = await upload('incoming/education/education-2026-09-corrected.xlsx', corrected);
    expect(report.outcome).toBe('committed');
    const { snapshot } = await snapshotOf('2026-09');
    const rows = Object.fromEntries(snapshot.indicators.map((r) => [r.indicator, r]));
    expect(rows['edu.group_schooling_coverage']).toMatchObject({ value: 80.5, asOf: '2026-09' });
    // Not in the corrected file: the latest figure now is August's.
    expect(rows['edu.traditional_feature_schools']).toMatchObject({ asOf: '2026-08' });
  });
});

async function snapshotOf(period: string) {
  const result = await pipeline.snapshot(period);
  const files = await Promise.all(result.files.map(async (f) => [f.key, await pipeline.read(result.bucket, f.key)] as const));
  const json = files.find(([key]) => key.endsWith('progress.json'));
  if (!json) throw new Error('no progress.json');
  return { files, snapshot: JSON.parse(decoder.decode(json[1])) as Snapshot };
}

describe('the monthly snapshot', () => {
  it('writes the month files, with one row for every catalog indicator', async () => {
    const { files, snapshot } = await snapshotOf('2026-11');
    // The full list of a month's files is the snapshot use case's own test; here, the ones people open.
    expect(files.map(([key]) => key)).toEqual(
      expect.arrayContaining(['progress.json', 'progress.csv', 'report.html'].map((file) => `snapshots/period=2026-11/${file}`)),
    );
    expect(snapshot.indicators.map((r) => r.indicator)).toEqual(catalog.indicators.map((i) => i.id));
    const csv = files.find(([key]) => key.endsWith('.csv'))?.[1] ?? new Uint8Array();
    const lines = decoder.decode(csv).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + catalog.indicators.length);
  });

  it('sums flows since the baseline and says which department has not reported', async () => {
    const { snapshot } = await snapshotOf('2026-11');
    const craftsmen = figures.departments.science['sci.bayu_craftsmen'].reduce((a, b) => a + b, 0);
    expect(snapshot.indicators.find((r) => r.indicator === 'sci.bayu_craftsmen')).toMatchObject({ value: craftsmen, asOf: '2026-11' });
    expect(snapshot.departments.map((d) => [d.department, d.reported])).toEqual([
      ['science', true],
      ['education', true],
      ['vocational', false],
    ]);
  });

  it('gives the same bytes when the same month is run twice', async () => {
    // The manifest carries the time of the run.
    const dataFiles = ({ files }: Awaited<ReturnType<typeof snapshotOf>>) => files.filter(([key]) => !key.endsWith('manifest.json'));
    const first = await snapshotOf('2026-10');
    const second = await snapshotOf('2026-10');
    expect(dataFiles(second)).toEqual(dataFiles(first));
    expect(dataFiles(first)).toHaveLength(11);
  });
});

