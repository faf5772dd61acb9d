import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import type { ProgressStatus } from '../../shared/progress.js';
import { STATUS_LABELS } from '../../shared/snapshot/report-model.js';
import { buildReport, reportXlsx } from '../../shared/snapshot/index.js';
import { REVISED_PLATFORMS_TARGET, revisedTestInput } from '../fixtures.js';
import { REPORTING_DEPARTMENT, reportMonth } from '../report-month.js';

interface ReadRule {
  type: string;
  operator?: string;
  formulae?: string[];
  style?: { fill?: { bgColor?: { argb?: string } } };
}

const report = reportMonth();
const bytes = await reportXlsx(report);
const workbook = new ExcelJS.Workbook();
await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);

const sheetOf = (name: string) => {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet "${name}"`);
  return sheet;
};
const words = (status: ProgressStatus) => `${STATUS_LABELS[status].zh} ${STATUS_LABELS[status].en}`;
const column = (sheet: ExcelJS.Worksheet, header: string) => {
  const index = (sheet.getRow(1).values as unknown[]).indexOf(header);
  if (index < 1) throw new Error(`no column "${header}" on "${sheet.name}"`);
  return sheet.getColumn(index).values.slice(2);
};
const rowsOf = (department: string) => report.snapshot.indicators.filter((row) => row.department === department);

describe('reportXlsx', () => {
  it('has the summary sheet first, then one sheet per department with its indicators, dated the month end', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总 Summary', ...catalog.departments.map((d) => d.zh)]);
    expect(workbook.created.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    for (const department of catalog.departments) {
      expect(sheetOf(department.zh).getColumn(1).values.slice(2)).toEqual(catalog.indicatorsOf(department.id).map((i) => i.id));
    }
  });

  it('prints every sheet on A4 landscape, scaled to one page wide with the fit-to-page flag on', () => {
    for (const sheet of workbook.worksheets) {
      expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    }
  });

  it('writes each status as its bilingual words, coloured by an "equal to" rule per status', () => {
    for (const department of catalog.departments) {
      const sheet = sheetOf(department.zh);
      const rows = rowsOf(department.id);
      expect(column(sheet, '状态 Status')).toEqual(rows.map((row) => words(row.status)));
      const formattings = (sheet as unknown as { conditionalFormattings: { ref: string; rules: ReadRule[] }[] }).conditionalFormattings;
      expect(formattings.map((f) => f.ref)).toEqual([`H2:H${rows.length + 1}`]);
      expect(formattings[0]?.rules.map((rule) => [rule.type, rule.operator, rule.formulae, rule.style?.fill?.bgColor?.argb])).toEqual(
        Object.entries(STATUS_LABELS).map(([status, label]) => ['cellIs', 'equal', [`"${words(status as ProgressStatus)}"`], `FF${label.colour.slice(1).toUpperCase()}`]),
      );
    }
  });

  it('names each indicator\'s unit in words from the catalog', () => {
    for (const department of catalog.departments) {
      const units = rowsOf(department.id).map((row) => catalog.unit(row.unit));
      expect(column(sheetOf(department.zh), '单位 Unit')).toEqual(units.map((unit) => `${unit.zh} ${unit.en}`));
    }
  });

  it("carries the clerk's note of each figure as 进展说明", async () => {
    const month = reportMonth();
    const [first] = month.snapshot.indicators;
    if (!first) throw new Error('no indicator');
    const noted = { ...month, snapshot: { ...month.snapshot, indicators: [{ ...first, note: '新增两家，另一家待认定' }, ...month.snapshot.indicators.slice(1)] } };
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(Buffer.from(await reportXlsx(noted)) as unknown as ExcelJS.Buffer);
    const sheet = read.getWorksheet(catalog.department(first.department)?.zh ?? '');
    if (!sheet) throw new Error('no department sheet');
    expect(column(sheet, '进展说明 Progress note')[0]).toBe('新增两家，另一家待认定');
  });

  it('states a revised target with its revision, then the original and the status against it', async () => {
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(Buffer.from(await reportXlsx(buildReport(revisedTestInput))) as unknown as ExcelJS.Buffer);
    const sheet = read.getWorksheet('区科技局');
    if (!sheet) throw new Error('no department sheet');
    expect(column(sheet, '目标 Target')[0]).toBe(REVISED_PLATFORMS_TARGET);
  });

  it('holds no status code, boolean or true/false text in any cell', () => {
    const codes = new Set<unknown>([...Object.keys(STATUS_LABELS), 'true', 'false', 'TRUE', 'FALSE']);
    const found: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => row.eachCell((cell) => {
        if (typeof cell.value === 'boolean' || codes.has(cell.value)) found.push(`${sheet.name}!${cell.address}: ${String(cell.value)}`);
      }));
    }
    expect(found).toEqual([]);
    expect(column(sheetOf(catalog.departments.find((d) => d.id === 'education')?.zh ?? ''), '数值 Value')).toContain('是 done');
  });

  it('says on the summary who reported (是/否 yes/no) and when, as a date-time in the district\'s time', () => {
    const summary = sheetOf('汇总 Summary');
    const headerRow = (summary.getColumn(1).values as unknown[]).indexOf('部门 Department');
    const header = summary.getRow(headerRow).values as unknown[];
    const reported = header.indexOf('本月已报送 Reported');
    const latest = header.indexOf('最近上传（北京时间）Latest upload (China time)');
    const departments = catalog.departments.map((_, i) => summary.getRow(headerRow + 1 + i));
    expect(departments.map((row) => row.getCell(reported).value)).toEqual(catalog.departments.map((d) => (d.id === REPORTING_DEPARTMENT ? '是 yes' : '否 no')));
    const uploaded = departments[0]?.getCell(latest);
    // Uploaded at 17:51 UTC on 30 November: 01:51 on 1 December in the district.
    expect(uploaded?.value).toEqual(new Date('2026-12-01T01:51:00.000Z'));
    expect(uploaded?.numFmt).toBe('yyyy-mm-dd hh:mm');
  });

  it('is the same bytes whenever it is written from the same month', async () => {
    expect(await reportXlsx(reportMonth())).toEqual(bytes);
  });
});
