import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestCommand } from '../../cli/commands/ingest.js';
import { UsageError } from '../../cli/usage.js';

/** The CLI's dry run reads a workbook with the limits the ingest function reads from WORKBOOK_MAX_*. */

let directory: string;
let tall: string;
let small: string;

/** A sheet of the same figure on every row, down to `lastRow`: accepted, whatever its length, when the limits allow it. */
async function sameFigureDownTo(lastRow: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('报表');
  sheet.addRow(['填报月份', '2026-11']);
  sheet.addRow(['指标', '单位', '数值']);
  for (let row = 3; row <= lastRow; row += 1) sheet.addRow(['巴渝工匠', '人', 12]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'cli-limits-'));
  tall = join(directory, 'science-2026-11-tall.xlsx');
  small = join(directory, 'science-2026-11.xlsx');
  writeFileSync(tall, await sameFigureDownTo(10_005));
  writeFileSync(small, await sameFigureDownTo(5));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** What `ingest FILE --department science --dry-run --json` prints and its exit status. */
async function dryRun(file: string): Promise<{ status: number; result: { status: string; observations: unknown[]; errors: { code: string; message: string }[] } }> {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
  const status = await ingestCommand({
    positionals: ['ingest', file],
    values: { department: 'science', 'dry-run': true, json: true, data: join(directory, 'data'), help: false },
  });
  return { status, result: JSON.parse(printed.join('\n')) };
}

describe('ingest --dry-run and the WORKBOOK_MAX_* variables', () => {
  it('refuses a file past 10,000 rows by default', async () => {
    const { status, result } = await dryRun(tall);

    expect(status).toBe(2);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'file.too_large', message: expect.stringContaining('10000 行') })]);
  });

  it('lets it through when WORKBOOK_MAX_ROWS is raised', async () => {
    vi.stubEnv('WORKBOOK_MAX_ROWS', '20000');

    const { status, result } = await dryRun(tall);

    expect(status).toBe(0);
    expect(result.status).toBe('accepted');
    expect(result.observations).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, unit: 'persons' }]);
  });

  it('refuses a small file when WORKBOOK_MAX_ROWS is lowered below its rows', async () => {
    vi.stubEnv('WORKBOOK_MAX_ROWS', '4');

    const { status, result } = await dryRun(small);

    expect(status).toBe(2);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'file.too_large', message: expect.stringContaining('4 行') })]);
  });

  it('reads the other limits too: cells', async () => {
    vi.stubEnv('WORKBOOK_MAX_CELLS', '6');

    const { result } = await dryRun(small);

    expect(result.errors).toEqual([expect.objectContaining({ code: 'file.too_large', message: expect.stringContaining('6 个单元格') })]);
  });

  it('stops at a value that is not a limit, naming the variable, as the function does at cold start', async () => {
    vi.stubEnv('WORKBOOK_MAX_ROWS', 'lots');

    await expect(dryRun(small)).rejects.toThrow(new UsageError('Invalid configuration: WORKBOOK_MAX_ROWS must be a positive whole number, not "lots"'));
  });
});
