import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { makeIngest } from '../../shared/ingest/ingest.js';
import type { Observation, Slice, Submission } from '../../shared/observation.js';
import type { CommitResult } from '../../shared/ports.js';
import { decide, submittedReview, type MonthRecord } from '../../shared/review/review.js';
import { markReturnedCopy } from '../../shared/review/returned-copy.js';
import { principalOf } from '../../shared/roles.js';
import { SUMMARY_SHEET } from '../../shared/workbook/annotate.js';
import { MemoryObjects } from '../memory-objects.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const head = principalOf('head.science', null, ['head:science']);

/** The month as the real ingest leaves it: its upload, report and annotated copy in the store, its slice committed. */
async function ingested(key: string, body: Uint8Array): Promise<{ objects: MemoryObjects; record: MonthRecord }> {
  const objects = new MemoryObjects();
  const slices: Slice[] = [];
  const observations = {
    async commit(submission: Submission, figures: Observation[]): Promise<CommitResult> {
      slices.push({ submission, observations: figures });
      return { outcome: 'committed', replaced: null };
    },
    slicesIn: async () => [],
  };
  await objects.put({ bucket: 'uploads', key, body, contentType: 'application/octet-stream' });
  const ingest = makeIngest({ catalog, objects, observations, clock: { now: () => new Date('2026-12-02T09:00:00+08:00') }, logger: silent });
  await ingest({ bucket: 'uploads', key, versionId: 'v1', sequencer: '0A', uploadedAt: '2026-12-02T01:00:00.000Z', uploader: 'clerk.science' });
  const [slice] = slices;
  if (!slice) throw new Error('the upload committed no month');
  return { objects, record: { slice, revision: 1, review: submittedReview(undefined, slice, [], 1) } };
}

async function summaryRows(bytes: Uint8Array | string | undefined): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes as Uint8Array) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(SUMMARY_SHEET);
  const rows: string[][] = [];
  sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))));
  return rows;
}

/** A year-to-date sheet: a row per month, a column per indicator. */
async function scienceWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('年度进度');
  sheet.addRow(['大足区科技局2026年科技创新指标进度表']);
  sheet.addRow(['月份', '巴渝工匠(人)', '特派员(人)']);
  sheet.addRow(['2026-10', 12, 4]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("the annotated copy of a returned month", () => {
  it("shows the head's reason, who and when, above the problems on its summary sheet", async () => {
    const { objects, record } = await ingested('incoming/science/进度.xlsx', await scienceWorkbook());
    const annotatedKey = 'uploads/reports/science/进度.xlsx.v1.annotated.xlsx';
    const before = await summaryRows(objects.objects.get(annotatedKey)?.body);
    const returned = decide(record, 'return', '科技特派员人数与组织部名单不符，请核对', head, new Date('2026-12-03T01:51:00Z')).record;

    expect(await markReturnedCopy({ objects, logger: silent }, returned)).toBe('marked');

    const after = await summaryRows(objects.objects.get(annotatedKey)?.body);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]?.slice(1, 5)).toEqual(['退回 Returned', '', '', 'review.returned']);
    expect(after[1]?.[5]).toContain('负责人退回（head.science, 2026-12-03 09:51）：科技特派员人数与组织部名单不符，请核对');
    expect(after[1]?.[5]).toContain('Returned by the head (head.science, 2026-12-03 09:51)');
    expect(after.slice(2)).toEqual(before.slice(1));
  });

  it('leaves the copy alone for a month that is not returned, and says there is none for an upload without one', async () => {
    const { objects, record } = await ingested('incoming/science/进度.xlsx', await scienceWorkbook());
    const puts = objects.puts.length;
    expect(await markReturnedCopy({ objects, logger: silent }, record)).toBe('not_returned');

    const csv = await ingested('incoming/science/science-2026-11.csv', new TextEncoder().encode('指标,单位,数值\n巴渝工匠,人,30\n'));
    const returned = decide(csv.record, 'return', '请核对', head, new Date('2026-12-03T01:51:00Z')).record;
    expect(await markReturnedCopy({ objects: csv.objects, logger: silent }, returned)).toBe('no_copy');
    expect(objects.puts).toHaveLength(puts);
  });
});
