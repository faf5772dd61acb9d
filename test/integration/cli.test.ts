import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate, type FigureValue } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { TEMPLATE } from '../../shared/workbook/template.js';
import { EXPANDING_SHEETS, withSheetXml } from '../unit/sheet-xml.js';

/** The CLI contract, as outside tools call it: a separate process, its output and its exit status. */
const run = promisify(execFile);
let directory: string;

async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'cli/main.ts', ...args], { cwd: process.cwd() });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { status: code, stdout, stderr };
  }
}

const figures = new Map<string, number | boolean>([
  ['sci.rd_intensity', 2.52],
  ['sci.bayu_craftsmen', 30],
  ['sci.tech_contract_turnover', 1.3],
  ['sci.incentive_app_rollout', true],
]);

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'cli-'));
  const template = join(directory, 'science-2026-11.xlsx');
  // A data folder of its own: the template must not show figures some earlier local run left behind.
  expect((await cli('template', '--department', 'science', '--period', '2026-11', '--out', template, '--data', join(directory, 'data'))).status).toBe(0);
  const bytes = new Uint8Array(readFileSync(template));
  writeFileSync(join(directory, 'filled.xlsx'), await fillTemplate(bytes, figures));
  writeFileSync(join(directory, 'bad.xlsx'), await fillTemplate(bytes, new Map<string, FigureValue>([...figures, ['sci.bayu_craftsmen', 'thirty']])));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('npm run cli -- ingest --dry-run --json', () => {
  it('accepts a filled-in template with exactly the values typed, in canonical units, exit 0', async () => {
    const { status, stdout } = await cli('ingest', join(directory, 'filled.xlsx'), '--department', 'science', '--dry-run', '--json');
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 'accepted', department: 'science', period: '2026-11', errors: [] });
    expect(result.observations).toEqual(
      [...figures].map(([indicator, value]) => ({ indicator, period: '2026-11', value, unit: catalog.indicator(indicator)?.unit })),
    );
  });

  it('rejects the same workbook with one bad cell, exit 2, naming that sheet and cell', async () => {
    const { status, stdout } = await cli('ingest', join(directory, 'bad.xlsx'), '--department', 'science', '--dry-run', '--json');
    expect(status).toBe(2);
    const result = JSON.parse(stdout);
    const row = TEMPLATE.rows.firstIndicator + catalog.indicatorsOf('science').findIndex((i) => i.id === 'sci.bayu_craftsmen');
    expect(result.status).toBe('rejected');
    expect(result.observations).toEqual([]);
    expect(result.errors).toEqual([
      { sheet: TEMPLATE.dataSheet, cell: `E${row}`, code: 'value.not_a_number', message: expect.stringContaining('thirty') },
    ]);
  });

  it('writes --out only for a workbook the ingest function would annotate, saying why not otherwise', async () => {
    const merged = join(directory, 'merged.xlsx');
    writeFileSync(merged, withSheetXml(readFileSync(join(directory, 'bad.xlsx')), EXPANDING_SHEETS['a merge over the whole sheet']));
    const out = join(directory, 'merged.marked.xlsx');
    const { status, stdout, stderr } = await cli('ingest', merged, '--department', 'science', '--dry-run', '--json', '--out', out);
    expect(status).toBe(2);
    expect(JSON.parse(stdout).errors.map((e: { code: string }) => e.code)).toEqual(['value.not_a_number']);
    expect(stderr).toContain('The workbook is too large to annotate');
    expect(existsSync(out)).toBe(false);

    const marked = join(directory, 'bad.marked.xlsx');
    expect((await cli('ingest', join(directory, 'bad.xlsx'), '--department', 'science', '--dry-run', '--json', '--out', marked)).status).toBe(2);
    expect(readFileSync(marked).subarray(0, 2).toString()).toBe('PK');
  });

  it('exits 1, without a stack trace, for a file that does not exist', async () => {
    const { status, stderr } = await cli('ingest', join(directory, 'missing.xlsx'), '--department', 'science', '--dry-run', '--json');
    expect(status).toBe(1);
    expect(stderr).toContain('cannot read');
    expect(stderr).not.toContain('    at ');
  });
});
