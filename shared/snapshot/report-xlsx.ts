import ExcelJS from 'exceljs';
import { withoutTimestamps } from '../workbook/zip.js';
import { districtDateTimeAt, periodEnd } from '../calendar.js';
import type { ProgressStatus } from '../progress.js';
import { headline, restatedText, REVIEW_STATE_LABELS, SIGN_OFF_LABELS, STATUS_LABELS, targetText, valueText, type CatalogWords, type Report } from './report-model.js';
import type { SnapshotIndicator } from './snapshot.js';

/** Excel wants ARGB without the hash. */
const argb = (colour: string) => `FF${colour.slice(1).toUpperCase()}`;

const STATUSES = Object.keys(STATUS_LABELS) as ProgressStatus[];
const statusText = (status: ProgressStatus) => `${STATUS_LABELS[status].zh} ${STATUS_LABELS[status].en}`;
const yesNoText = (yes: boolean | null) => (yes === null ? '–' : yes ? '是 yes' : '否 no');
const labelText = (label: { zh: string; en: string } | undefined) => (label ? `${label.zh} ${label.en}` : '–');

/** Paper size 9 is A4 in SpreadsheetML; LibreOffice and Excel otherwise fall back to US Letter. */
const A4 = 9;
/**
 * Landscape, as wide as one page and as many pages tall as the rows need: exceljs writes the
 * fitToPage flag (sheetPr/pageSetUpPr) that makes both suites scale instead of printing at 100 %.
 */
const PRINT_ONE_PAGE_WIDE: Partial<ExcelJS.PageSetup> = { paperSize: A4, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };

/** Excel's date-time cells carry no zone: they hold the district's wall-clock time, which their header names. */
const districtDateTimeCell = (instant: string | null) =>
  instant === null ? '–' : new Date(`${districtDateTimeAt(new Date(instant)).replace(' ', 'T')}:00Z`);

/** A milestone's done/not done in words; a number stays a number, its unit in a column of its own. */
const valueCell = (row: SnapshotIndicator, words: CatalogWords) => (typeof row.value === 'number' ? row.value : valueText(row, words));

/** A sheet of one table: its columns, the header row in bold, printed one page wide. */
function tableSheet(workbook: ExcelJS.Workbook, name: string, columns: Partial<ExcelJS.Column>[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { pageSetup: PRINT_ONE_PAGE_WIDE });
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  return sheet;
}

/**
 * report.xlsx: the report as a workbook, summary sheet first, one sheet per department, status
 * cells coloured by conditional formatting so a filtered or edited sheet keeps its colours.
 * Its document dates are the month's end and its zip entries carry no time, so the same month gives the same bytes.
 * Units and indicators are named by the report's catalog words, as the snapshot rows carry only their ids.
 */
export async function reportXlsx(report: Report): Promise<Uint8Array> {
  const { snapshot, words } = report;
  const workbook = new ExcelJS.Workbook();
  const monthEnd = new Date(`${periodEnd(snapshot.period)}T00:00:00Z`);
  workbook.created = monthEnd;
  workbook.modified = monthEnd;
  workbook.creator = 'department-metrics-pipeline';

  const summary = workbook.addWorksheet('汇总 Summary', { pageSetup: PRINT_ONE_PAGE_WIDE });
  const { good, targets, counts, provisional } = headline(snapshot);
  summary.addRow([`月度进展 Monthly progress ${snapshot.period}`]).font = { bold: true, size: 14 };
  if (snapshot.publication === 'draft') summary.addRow([`草稿：${snapshot.period} 尚未发布，数据仍可能变化 Draft: not yet published; its figures may still change`]);
  summary.addRow([`${good} / ${targets} 项目标已完成或按计划推进 targets achieved or on track`]);
  if (provisional > 0) summary.addRow([`另有 ${provisional} 项目标为暂定数据（尚未审核），未计入 ${provisional} more targets are provisional (not yet approved) and left out`]);
  summary.addRow([]);
  summary.addRow(['状态 Status', '数量 Count']).font = { bold: true };
  for (const [status, count] of counts) summary.addRow([statusText(status), count]);
  summary.addRow([]);
  summary
    .addRow(['部门 Department', '本月已报送 Reported', '审核 Sign-off', '按时 On time', '已报送/应报送 Received/expected', '最近上传（北京时间）Latest upload (China time)', '未填指标 Left empty'])
    .font = { bold: true };
  for (const d of snapshot.departments) {
    summary.addRow([
      `${d.zh} ${d.en}`,
      yesNoText(d.reported),
      d.reviewState && d.signOff ? `${labelText(REVIEW_STATE_LABELS[d.reviewState])} · ${labelText(SIGN_OFF_LABELS[d.signOff])}` : '–',
      yesNoText(d.onTime),
      `${d.monthsReceived}/${d.monthsExpected}`,
      districtDateTimeCell(d.latestUploadAt),
      d.emptyIndicators.map((id) => words.indicator(id).zh).join('、'),
    ]);
  }
  summary.columns.forEach((column) => (column.width = 28));
  summary.getColumn(6).numFmt = 'yyyy-mm-dd hh:mm';

  for (const department of snapshot.departments) {
    const sheet = tableSheet(workbook, department.zh, [
      { header: '指标 Indicator', key: 'indicator', width: 34 },
      { header: '名称 Name', key: 'name', width: 40 },
      { header: '数值 Value', key: 'value', width: 14 },
      { header: '单位 Unit', key: 'unit', width: 24 },
      { header: '目标 Target', key: 'target', width: 30 },
      { header: '进度 Progress', key: 'progress', width: 14 },
      { header: '应达 Expected', key: 'expected', width: 14 },
      { header: '状态 Status', key: 'status', width: 20 },
      { header: '截至 As of', key: 'asOf', width: 12 },
      { header: '进展说明 Progress note', key: 'note', width: 48 },
      { header: '数据性质 Sign-off', key: 'signOff', width: 16 },
      { header: '情况说明 Explanation of the warning', key: 'explanation', width: 48 },
    ]);
    const rows = snapshot.indicators.filter((row) => row.department === department.department);
    for (const row of rows) {
      const unit = words.unit(row.unit);
      sheet.addRow({
        indicator: row.indicator,
        name: `${row.zh} ${row.en}`,
        value: valueCell(row, words),
        unit: `${unit.zh} ${unit.en}`,
        target: targetText(row, words),
        progress: row.progress,
        expected: row.expected,
        status: statusText(row.status),
        asOf: row.asOf,
        note: row.note,
        signOff: row.signOff && labelText(SIGN_OFF_LABELS[row.signOff]),
        explanation: row.explanation,
      });
    }
    for (const key of ['progress', 'expected']) sheet.getColumn(key).numFmt = '0%';
    // A revised target states the target in force, the revision and the original: too long for one line of the column.
    sheet.getColumn('target').alignment = { wrapText: true };
    const status = sheet.getColumn('status').letter;
    // "Equal to" a status's words: a rule Excel and LibreOffice both apply (exceljs drops a containsText rule's text attribute).
    sheet.addConditionalFormatting({
      ref: `${status}2:${status}${rows.length + 1}`,
      rules: STATUSES.map((s, priority) => ({
        type: 'cellIs',
        operator: 'equal',
        formulae: [`"${statusText(s)}"`],
        priority: priority + 1,
        style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: argb(STATUS_LABELS[s].colour) } }, font: { color: { argb: 'FFFFFFFF' } } },
      })),
    });
  }
  if (snapshot.restatements.length > 0) {
    const sheet = tableSheet(workbook, '更正 Restatements', [
      { header: '部门 Department', key: 'department', width: 24 },
      { header: '指标 Indicator', key: 'indicator', width: 40 },
      { header: '月份 Month', key: 'period', width: 10 },
      { header: '原值 → 更正值 Old → new', key: 'change', width: 36 },
      { header: '批准时间（北京时间）Approved at (China time)', key: 'approvedAt', width: 22 },
      { header: '理由 Why', key: 'reason', width: 48 },
      { header: '批准人 Approved by', key: 'approvedBy', width: 20 },
    ]);
    const departmentName = new Map(snapshot.departments.map((d) => [d.department, `${d.zh} ${d.en}`]));
    for (const r of snapshot.restatements) {
      sheet.addRow({
        department: departmentName.get(r.department) ?? r.department,
        indicator: labelText(words.indicator(r.indicator)),
        period: r.period,
        change: restatedText(r, words),
        approvedAt: districtDateTimeCell(r.approvedAt),
        reason: r.reason,
        approvedBy: r.approvedBy,
      });
    }
    sheet.getColumn('approvedAt').numFmt = 'yyyy-mm-dd hh:mm';
  }
  // exceljs stamps each zip entry with the time of writing; cleared, the same month gives the same bytes.
  // (No data bars for the same reason: exceljs gives each one a random id.)
  return new Uint8Array(withoutTimestamps(Buffer.from(await workbook.xlsx.writeBuffer())));
}
