import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { sampleWorkbooks } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { REPORT_FILE, snapshotKey, uploadKey } from '../../shared/s3-keys.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { TEMPLATE } from '../../shared/workbook/template.js';

/** A clerk's note, typed in the template's 备注 Note column, through the ingest function and the snapshot to the report. */
const PERIOD = '2026-11';
const INDICATOR = 'sci.st_commissioners';
const NOTE = '两名特派员下月到岗 <已报组织部> & 待公示';

let directory: string;
let pipeline: LocalPipeline & { close(): Promise<void> };

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'notes-'));
  pipeline = await startLocalPipeline(directory);
}, 60_000);

afterAll(async () => {
  await pipeline.close();
  rmSync(directory, { recursive: true, force: true });
});

async function withNote(bytes: Uint8Array, indicator: string, note: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  for (let row = TEMPLATE.rows.firstIndicator; sheet && row <= sheet.rowCount; row++) {
    if (sheet.getCell(row, TEMPLATE.columns.id).value === indicator) sheet.getCell(row, TEMPLATE.columns.note).value = note;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("a clerk's note", () => {
  it('reaches the snapshot and the report as 进展说明', async () => {
    const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === PERIOD);
    if (!sample) throw new Error(`no science sample for ${PERIOD}`);
    const [ingested] = await pipeline.upload(uploadKey('science', sample.fileName), await withNote(sample.bytes, INDICATOR, NOTE));
    expect(ingested?.status).toBe('accepted');
    await pipeline.snapshot(PERIOD);
    const read = async (file: string) => new TextDecoder().decode(await pipeline.read(LOCAL_RESOURCES.snapshotBucket, snapshotKey(PERIOD, file)));
    const progress = JSON.parse(await read('progress.json')) as Snapshot;
    expect(progress.indicators.find((row) => row.indicator === INDICATOR)?.note).toBe(NOTE);
    expect(progress.indicators.filter((row) => row.note !== null).map((row) => row.indicator)).toEqual([INDICATOR]);
    expect(await read(REPORT_FILE)).toContain('进展说明 <span class="en">Progress note</span>：两名特派员下月到岗 &lt;已报组织部&gt; &amp; 待公示');
  });
});
