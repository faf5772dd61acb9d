import ExcelJS from 'exceljs';
import { withoutTimestamps } from '../workbook/zip.js';
import { periodEnd } from '../calendar.js';
import type { ProgressStatus } from '../progress.js';
import { headline, STATUS_LABELS, targetText, type Report } from './report-model.js';

/** Excel wants ARGB without the hash. */
const argb = (colour: string) => `FF${colour.slice(1).toUpperCase()}`;

const STATUS_COLUMN = 'G';

/**
 * report.xlsx: the report as a workbook, summary sheet first, one sheet per department, status
 * cells coloured by conditional formatting so a filtered or edited sheet keeps its colours.
 * Its document dates are the month's end and its zip entries carry no time, so the same month gives the same bytes.
 */
export async function reportXlsx(report: Report): Promise<Uint8Array> {
  const { snapshot } = report;
  const workbook = new ExcelJS.Workbook();
  const monthEnd = new Date(`${periodEnd(snapshot.period)}T00:00:00Z`);
  workbook.created = monthEnd;
  workbook.modified = monthEnd;
  workbook.creator = 'department-metrics-pipeline';

  const summary = workbook.addWorksheet('汇总 Summary');
  const { good, targets, counts } = headline(snapshot);
  summary.addRow([`月度进展 Monthly progress ${snapshot.period}`]).font = { bold: true, size: 14 };
  summary.addRow([`${good} / ${targets} 项目标已完成或按计划推进 targets achieved or on track`]);
  summary.addRow([]);
  summary.addRow(['状态 Status', '数量 Count']).font = { bold: true };
  for (const [status, count] of counts) summary.addRow([`${STATUS_LABELS[status].zh} ${STATUS_LABELS[status].en}`, count]);
  summary.addRow([]);
  summary.addRow(['部门 Department', '本月已报送 Reported', '按时 On time', '已报送/应报送 Received/expected', '最近上传 Latest upload', '未填指标 Left empty']).font = { bold: true };
  for (const d of snapshot.departments) {
    summary.addRow([`${d.zh} ${d.en}`, d.reported, d.onTime, `${d.monthsReceived}/${d.monthsExpected}`, d.latestUploadAt, d.emptyIndicators.join(' ')]);
  }
  summary.columns.forEach((column) => (column.width = 28));

  for (const department of snapshot.departments) {
    const sheet = workbook.addWorksheet(department.zh);
    sheet.columns = [
      { header: '指标 Indicator', key: 'indicator', width: 34 },
      { header: '名称 Name', key: 'name', width: 40 },
      { header: '数值 Value', key: 'value', width: 14 },
      { header: '目标 Target', key: 'target', width: 30 },
      { header: '进度 Progress', key: 'progress', width: 14 },
      { header: '应达 Expected', key: 'expected', width: 14 },
      { header: '状态 Status', key: 'status', width: 14 },
      { header: '截至 As of', key: 'asOf', width: 12 },
    ];
    sheet.getRow(1).font = { bold: true };
    const rows = snapshot.indicators.filter((row) => row.department === department.department);
    for (const row of rows) {
      sheet.addRow({
        indicator: row.indicator,
        name: `${row.zh} ${row.en}`,
        value: row.value,
        target: targetText(row),
        progress: row.progress,
        expected: row.expected,
        status: row.status,
        asOf: row.asOf,
      });
    }
    for (const key of ['progress', 'expected']) sheet.getColumn(key).numFmt = '0%';
    const last = rows.length + 1;
    sheet.addConditionalFormatting({
      ref: `${STATUS_COLUMN}2:${STATUS_COLUMN}${last}`,
      rules: (Object.keys(STATUS_LABELS) as ProgressStatus[]).map((status, priority) => ({
        type: 'containsText',
        operator: 'containsText',
        text: status,
        priority: priority + 1,
        style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: argb(STATUS_LABELS[status].colour) } }, font: { color: { argb: 'FFFFFFFF' } } },
      })),
    });
  }
  // exceljs stamps each zip entry with the time of writing; cleared, the same month gives the same bytes.
  // (No data bars for the same reason: exceljs gives each one a random id.)
  return new Uint8Array(withoutTimestamps(Buffer.from(await workbook.xlsx.writeBuffer())));
}
