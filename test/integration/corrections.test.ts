import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { fillTemplate, type FigureValue } from '../../cli/samples.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { makeIngest, type ImportReport } from '../../shared/ingest/ingest.js';
import { uploadsOf } from '../../shared/ingest/s3-event.js';
import type { Period } from '../../shared/calendar.js';
import type { ObjectStore } from '../../shared/ports.js';
import { SUMMARY_SHEET } from '../../shared/workbook/annotate.js';
import { buildTemplate, TEMPLATE } from '../../shared/workbook/template.js';

/**
 * Corrections end to end on s3rver and dynalite: the ingest use case with the real S3 and DynamoDB
 * adapters, fed S3 events as S3 sends them (URL-encoded keys, versions, sequencers, out of order).
 */
let directory: string;
let stores: LocalStores;
let ingest: ReturnType<typeof makeIngest>;
const repository = () => dynamoObservationRepository(documents, LOCAL_RESOURCES.observationsTable);
let documents: DynamoDBDocumentClient;

const BUCKET = LOCAL_RESOURCES.uploadBucket;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** s3rver keeps no object versions, so each version is stored under a key of its own and read from there. */
const versionKey = (key: string, versionId: string) => `versions/${versionId}/${key}`;
function versioned(store: ObjectStore): ObjectStore {
  return {
    get: (ref, limit) => store.get(ref.versionId ? { bucket: ref.bucket, key: versionKey(ref.key, ref.versionId) } : ref, limit),
    put: (object) => store.put(object),
  };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'corrections-'));
  stores = await startLocalStores(directory);
  documents = DynamoDBDocumentClient.from(stores.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  ingest = makeIngest({
    catalog,
    objects: versioned(s3ObjectStore(stores.s3)),
    observations: repository(),
    clock: { now: () => new Date('2026-12-05T00:00:00+08:00') },
    logger: silent,
  });
});

afterAll(async () => {
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

interface Version {
  key: string;
  versionId: string;
  sequencer: string;
  uploadedAt: string;
}

/** Stores a version of an object and returns the notification S3 sends for it, key URL-encoded. */
async function putVersion(version: Version, bytes: Uint8Array): Promise<S3Event> {
  const objects = s3ObjectStore(stores.s3);
  await objects.put({ bucket: BUCKET, key: versionKey(version.key, version.versionId), body: bytes, contentType: 'application/octet-stream' });
  const encoded = encodeURIComponent(version.key).replace(/%2F/g, '/').replace(/%20/g, '+');
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime: version.uploadedAt,
        userIdentity: { principalId: 'AWS:CLERK' },
        s3: { bucket: { name: BUCKET }, object: { key: encoded, versionId: version.versionId, sequencer: version.sequencer } },
      },
    ],
  } as unknown as S3Event;
}

async function deliver(event: S3Event): Promise<ImportReport> {
  const [upload] = uploadsOf(event);
  if (!upload) throw new Error('the event announces no upload');
  return ingest(upload);
}

async function workbook(department: string, period: Period, figures: Record<string, FigureValue>): Promise<Uint8Array> {
  return fillTemplate(await buildTemplate(catalog, department, period), new Map(Object.entries(figures)));
}

async function tableItems(): Promise<string[]> {
  const { Items = [] } = await stores.dynamo.send(new ScanCommand({ TableName: LOCAL_RESOURCES.observationsTable }));
  return Items.map((item) => JSON.stringify(item)).sort();
}

const currentFigures = async (department: string, period: Period) =>
  Object.fromEntries(
    (await repository().slicesIn(department, { from: period, to: period })).flatMap((slice) => slice.observations).map((o) => [o.indicator, o.value]),
  );

async function readObject(key: string): Promise<Uint8Array> {
  const object = await s3ObjectStore(stores.s3).get({ bucket: BUCKET, key }, { maxBytes: 2 ** 30 });
  if (!(object instanceof Uint8Array)) throw new Error(`${key} is ${object.size} bytes`);
  return object;
}

const version = (key: string, n: number): Version => ({
  key,
  versionId: `v${n}`,
  sequencer: `0055AED6DCD9028${n}00`,
  uploadedAt: `2026-12-0${n}T02:00:00.000Z`,
});

describe('a corrected upload', () => {
  it('replaces the month whole, keeps the replaced figures as history and lists what changed', async () => {
    const key = 'incoming/science/science-2026-10.xlsx';
    const first = await putVersion(version(key, 1), await workbook('science', '2026-10', { 'sci.bayu_craftsmen': 30, 'sci.st_commissioners': 12, 'sci.tech_contract_turnover': 1.3 }));
    const corrected = await putVersion(version(key, 2), await workbook('science', '2026-10', { 'sci.bayu_craftsmen': 35, 'sci.tech_managers': 2, 'sci.tech_contract_turnover': 1.3 }));

    const before = await deliver(first);
    const report = await deliver(corrected);

    expect(before.slices).toEqual([
      {
        period: '2026-10',
        outcome: 'committed',
        replaced: null,
        changes: [
          { indicator: 'sci.bayu_craftsmen', period: '2026-10', change: 'added', to: 30 },
          { indicator: 'sci.st_commissioners', period: '2026-10', change: 'added', to: 12 },
          { indicator: 'sci.tech_contract_turnover', period: '2026-10', change: 'added', to: 1.3 },
        ],
      },
    ]);
    expect(report.outcome).toBe('committed');
    expect(report.slices).toEqual([
      {
        period: '2026-10',
        outcome: 'committed',
        replaced: { key, versionId: 'v1', sequencer: version(key, 1).sequencer, uploadedAt: version(key, 1).uploadedAt, reportKey: before.reportKey },
        changes: [
          { indicator: 'sci.bayu_craftsmen', period: '2026-10', change: 'changed', from: 30, to: 35 },
          { indicator: 'sci.tech_managers', period: '2026-10', change: 'added', to: 2 },
          { indicator: 'sci.st_commissioners', period: '2026-10', change: 'removed', from: 12 },
        ],
      },
    ]);
    // Left out of the correction: no longer current.
    expect(await currentFigures('science', '2026-10')).toEqual({ 'sci.bayu_craftsmen': 35, 'sci.tech_managers': 2, 'sci.tech_contract_turnover': 1.3 });
    const [history] = await repository().history('science', '2026-10');
    expect(history?.submission).toMatchObject({ key, versionId: 'v1', reportKey: before.reportKey, supersededBy: { key, versionId: 'v2', reportKey: report.reportKey } });
    expect(Object.fromEntries(history?.observations.map((o) => [o.indicator, o.value]) ?? [])).toEqual({
      'sci.bayu_craftsmen': 30,
      'sci.st_commissioners': 12,
      'sci.tech_contract_turnover': 1.3,
    });
    const written = JSON.parse(new TextDecoder().decode(await readObject(report.reportKey))) as ImportReport;
    expect(written.slices).toEqual(report.slices);
  });

  it('changes nothing when an older version arrives after a newer one', async () => {
    const key = 'incoming/education/education-2026-09.xlsx';
    const older = await putVersion(version(key, 1), await workbook('education', '2026-09', { 'edu.group_schooling_coverage': 70 }));
    const newer = await putVersion(version(key, 2), await workbook('education', '2026-09', { 'edu.group_schooling_coverage': 72 }));

    await deliver(newer);
    const items = await tableItems();
    const late = await deliver(older);

    expect(late).toMatchObject({ status: 'accepted', outcome: 'superseded' });
    expect(late.slices).toEqual([{ period: '2026-09', outcome: 'superseded', replaced: null, changes: [] }]);
    expect(await tableItems()).toEqual(items);
    expect(await currentFigures('education', '2026-09')).toEqual({ 'edu.group_schooling_coverage': 72 });
    expect(await repository().history('education', '2026-09')).toEqual([]);
  });

  it('commits the same version delivered twice once, and reports what it did both times', async () => {
    const key = 'incoming/vocational/vocational-2026-08.xlsx';
    const event = await putVersion(version(key, 1), await workbook('vocational', '2026-08', { 'voc.majors': 22 }));

    const first = await deliver(event);
    const items = await tableItems();
    const again = await deliver(event);

    expect(first.outcome).toBe('committed');
    expect(first.slices).toEqual([{ period: '2026-08', outcome: 'committed', replaced: null, changes: [{ indicator: 'voc.majors', period: '2026-08', change: 'added', to: 22 }] }]);
    expect(again).toEqual(first);
    expect(await tableItems()).toEqual(items);
    expect(await repository().history('vocational', '2026-08')).toEqual([]);
  });
});

describe('what an upload leaves under reports/<department>/', () => {
  it('decodes the key (+, %28, Chinese) and writes the summary and the annotated workbook beside it', async () => {
    const key = 'incoming/science/科技局 十一月 (v2)+终稿.xlsx';
    const event = await putVersion(version(key, 3), await workbook('science', '2026-11', { 'sci.bayu_craftsmen': 12.5, 'sci.tech_managers': 3 }));
    expect(event.Records[0]?.s3.object.key).toBe('incoming/science/%E7%A7%91%E6%8A%80%E5%B1%80+%E5%8D%81%E4%B8%80%E6%9C%88+(v2)%2B%E7%BB%88%E7%A8%BF.xlsx');

    const report = await deliver(event);

    expect(report.source.key).toBe(key);
    expect(report.status).toBe('rejected');
    expect(report.reportKey).toBe('reports/science/科技局 十一月 (v2)+终稿.xlsx.v3.json');
    expect(report.annotatedKey).toBe('reports/science/科技局 十一月 (v2)+终稿.xlsx.v3.annotated.xlsx');
    const annotated = new ExcelJS.Workbook();
    await annotated.xlsx.load(Buffer.from(await readObject(report.annotatedKey ?? '')) as unknown as ExcelJS.Buffer);
    const bad = report.errors.find((e) => e.code === 'value.not_whole');
    expect(bad).toMatchObject({ sheet: TEMPLATE.dataSheet });
    const cell = annotated.getWorksheet(TEMPLATE.dataSheet)?.getCell(bad?.cell ?? '');
    expect(cell?.value).toBe(12.5);
    expect(cell?.fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FFFFC7CE' } });
    expect(JSON.stringify(cell?.note)).toContain('value.not_whole');
    expect(annotated.worksheets[0]?.name).toBe(SUMMARY_SHEET);
  });

  it('writes the summary alone for a file that is not a workbook', async () => {
    const event = await putVersion(version('incoming/science/notes.xlsx', 4), new TextEncoder().encode('not a spreadsheet'));
    const report = await deliver(event);
    expect(report).toMatchObject({ status: 'rejected', annotatedKey: null, outcome: null, slices: [] });
    expect(report.errors.map((e) => e.code)).toEqual(['file.not_a_workbook']);
  });
});
