import {
  gapLines,
  headline,
  NOT_REPORTED_LABEL,
  notReported,
  notReportedText,
  percentText,
  REVIEW_STATE_LABELS,
  restatedText,
  SIGN_OFF_LABELS,
  STATUS_LABELS,
  statusReason,
  targetText,
  valueText,
  type Report,
} from './report-model.js';
import type { DepartmentReport } from './completeness.js';
import type { Snapshot, SnapshotIndicator } from './snapshot.js';

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched), in
 * Chinese with English labels. Deterministic, like the data files.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Below this width a table row becomes a card of labelled lines, so that no column leaves a phone's screen. */
const NARROW = '640px';

const STYLE = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:24px;color:#212529;background:#fff;overflow-wrap:anywhere}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:2px solid #dee2e6;padding-bottom:4px}
.en{color:#5c636a;font-size:.85em;font-weight:normal}
.headline{font-size:18px;margin:12px 0}.chips span{display:inline-block;margin:0 8px 6px 0;padding:2px 10px;border-radius:12px;color:#fff;font-size:13px}
.alert{border:2px solid #c92a2a;background:#fff5f5;border-radius:6px;padding:8px 12px;margin:12px 0}.alert ul{margin:4px 0 0;padding-left:20px}
.carried{background:#f1f3f5;border-left:4px solid #343a40;padding:6px 10px;margin:0 0 8px}
.provisional{background:#fff9db;border-left:4px solid #9c4a00;padding:6px 10px;margin:0 0 8px}.mark{display:inline-block;margin-left:6px;padding:0 6px;border:1px solid #9c4a00;border-radius:8px;color:#9c4a00;font-size:11px;white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e9ecef;text-align:left;vertical-align:middle}
th{background:#f8f9fa}.bar{position:relative;display:inline-block;vertical-align:middle;width:160px;max-width:100%;height:12px;background:#e9ecef;border-radius:6px}
.bar .fill{position:absolute;left:0;top:0;bottom:0;border-radius:6px}.bar .line{position:absolute;top:-3px;bottom:-3px;width:2px;background:#212529}
.legend{font-size:13px;margin:4px 0 8px}.legend .bar{width:60px}
.status{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;white-space:nowrap}
.note{display:block;font-size:12px;color:#495057;margin-top:2px}
.clerk-note{display:block;font-size:13px;color:#212529;margin-top:4px;white-space:pre-wrap}
.no{color:#c92a2a;font-weight:bold}
@media (max-width:${NARROW}){
body{margin:12px}
table,thead,tbody,tr,th,td{display:block}thead{display:none}
tr{border:1px solid #dee2e6;border-radius:6px;margin:0 0 10px;padding:4px 0}
td{border:0;padding:3px 10px}td[data-label]::before{content:attr(data-label);display:block;font-size:11px;color:#5c636a}
}
@page{size:A4;margin:12mm}
@media print{body{margin:0;font-size:11px}table{font-size:11px}section,.completeness,.restatements{break-before:page}tr{break-inside:avoid}}
`;

/**
 * Only a reach target has a straight line to draw progress against. A hold or relative target is met
 * or not each month: a bar 99 % full would look fine while it is short, so it shows words instead.
 */
function progressCell(row: SnapshotIndicator): string {
  if (row.targetType === 'hold' || row.targetType === 'relative') {
    // No share either: 99.99 % rounds to a "100%" that a short target must not show.
    if (row.progress === null) return '–';
    return row.status === 'achieved' ? '达标 met' : '<span class="no">未达标 short</span>';
  }
  if (row.targetType !== 'reach' || row.progress === null) return percentText(row.progress);
  const colour = STATUS_LABELS[row.status].colour;
  const fill = `<div class="fill" style="width:${(clampShare(row.progress) * 100).toFixed(1)}%;background:${colour}"></div>`;
  const line = row.expected === null ? '' : `<div class="line" style="left:${(clampShare(row.expected) * 100).toFixed(1)}%"></div>`;
  return `<div class="bar">${fill}${line}</div> ${percentText(row.progress)} / ${percentText(row.expected)}`;
}

/** Bars are clamped to the track; the figure beside them shows overshoot and falls below the baseline. */
const clampShare = (share: number) => Math.min(1, Math.max(0, share));

const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 24;

/** A polyline through the months with a figure; a gap breaks the line, and a lone month is a dot. */
export function sparkline(points: (number | null)[]): string {
  const known = points.filter((p): p is number => p !== null);
  if (known.length === 0) return '–';
  const low = Math.min(...known);
  const span = Math.max(...known) - low || 1;
  const step = points.length > 1 ? SPARK_WIDTH / (points.length - 1) : 0;
  const runs: string[][] = [[]];
  points.forEach((p, i) => {
    if (p === null) runs.push([]);
    else runs.at(-1)?.push(`${(i * step).toFixed(1)},${(SPARK_HEIGHT - 2 - ((p - low) / span) * (SPARK_HEIGHT - 4)).toFixed(1)}`);
  });
  const marks = runs.flatMap(([first, ...rest]) => {
    if (first === undefined) return [];
    if (rest.length > 0) return [`<polyline fill="none" stroke="#1c7ed6" stroke-width="1.5" points="${[first, ...rest].join(' ')}"/>`];
    const [x, y] = first.split(',');
    return [`<circle cx="${x}" cy="${y}" r="1.5" fill="#1c7ed6"/>`];
  });
  return `<svg width="${SPARK_WIDTH}" height="${SPARK_HEIGHT}" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" role="img" aria-label="12-month trend">${marks.join('')}</svg>`;
}

function badge(label: { zh: string; en: string; colour: string }): string {
  return `<span class="status" style="background:${label.colour}">${label.zh} ${label.en}</span>`;
}

const note = (text: string) => `<span class="note">${escape(text)}</span>`;

/** What the clerk wrote about the month's figure: why it stands where it does, and what comes next. */
const clerkNote = (row: SnapshotIndicator) =>
  row.note ? `<span class="clerk-note">进展说明 <span class="en">Progress note</span>：${escape(row.note)}</span>` : '';

/** Why a warned figure is right after all, as the month was explained: it travels with the figure. */
const explanationNote = (row: SnapshotIndicator) =>
  row.explanation ? `<span class="clerk-note" data-explanation>情况说明 <span class="en">Explanation of the warning</span>：${escape(row.explanation)}</span>` : '';

const signOffMark = (row: SnapshotIndicator) =>
  row.signOff === 'provisional' ? `<span class="mark">${SIGN_OFF_LABELS.provisional.zh} ${SIGN_OFF_LABELS.provisional.en}</span>` : '';

/** A department that has not reported shows its figures as of their month, never as this month's standing. */
function statusCell(report: Report, row: SnapshotIndicator, carried: boolean): string {
  const label = STATUS_LABELS[row.status];
  if (carried) return `${badge(NOT_REPORTED_LABEL)}${note(`截至 ${row.asOf ?? '–'}：${label.zh} / as of ${row.asOf ?? '–'}: ${label.en}`)}`;
  const reason = statusReason(row, report.words);
  return `${badge(label)}${reason === null ? '' : note(reason)}`;
}

const COLUMNS = [
  { zh: '指标', en: 'Indicator' },
  { zh: '数值', en: 'Value' },
  { zh: '目标', en: 'Target' },
  { zh: '进度 / 应达', en: 'Progress / expected' },
  { zh: '近12个月', en: '12-month trend' },
  { zh: '状态', en: 'Status' },
] as const;

/** Each cell carries its column's name, which a narrow screen prints above it once the header row is hidden. */
const cell = (column: number, content: string) => {
  const name = COLUMNS[column];
  return `<td${name ? ` data-label="${name.zh} ${name.en}"` : ''}>${content}</td>`;
};

function indicatorRow(report: Report, row: SnapshotIndicator, carried: boolean): string {
  const asOf = carried ? `截至 ${row.asOf ?? '–'} / as of ${row.asOf ?? '–'}` : `as of ${row.asOf ?? '–'}`;
  return `<tr data-indicator="${escape(row.indicator)}" data-status="${row.status}" data-sign-off="${row.signOff ?? ''}">
<td>${escape(row.zh)}<br><span class="en">${escape(row.en)}</span>${clerkNote(row)}${explanationNote(row)}</td>
${cell(1, `${escape(valueText(row, report.words))}${signOffMark(row)}<br><span class="en">${asOf}</span>`)}
${cell(2, escape(targetText(row, report.words)))}
${cell(3, `${progressCell(row)}${carried ? '' : gapLines(row, report.words).map(note).join('')}`)}
${cell(4, sparkline(report.trends.get(row.indicator) ?? []))}
${cell(5, statusCell(report, row, carried))}
</tr>`;
}

function departmentSection(report: Report, department: Snapshot['departments'][number]): string {
  const rows = report.snapshot.indicators.filter((row) => row.department === department.department);
  const carried = !department.reported;
  const banner = carried
    ? `<p class="carried">本月未报送：以下为此前月份的数据，不计入本月统计 <span class="en">Not reported for ${report.snapshot.period}: the figures below are carried from earlier months and left out of this month's counts</span></p>`
    : department.signOff === 'provisional'
      ? `<p class="provisional" data-provisional>暂定：本月数据尚未经部门负责人审核，不计入本月统计 <span class="en">Provisional: ${report.snapshot.period} is not yet approved by the department's head; its figures are left out of this month's counts</span></p>`
      : '';
  return `<section data-department="${escape(department.department)}">
<h2>${escape(department.zh)} <span class="en">${escape(department.en)}</span></h2>
${banner}
<table><thead><tr>${COLUMNS.map((c) => `<th>${c.zh} <span class="en">${c.en}</span></th>`).join('')}</tr></thead>
<tbody>
${rows.map((row) => indicatorRow(report, row, carried)).join('\n')}
</tbody></table>
</section>`;
}

function completenessTable(report: Report): string {
  const { snapshot, words } = report;
  const yesNo = (value: boolean | null) => (value === null ? '–' : value ? '是 yes' : '<span class="no">否 no</span>');
  const labels = ['部门 Department', '本月已报送 Reported', '审核 Sign-off', '按时 On time', '本年已报送 Received / expected', '本年按时 On time / expected', '最近上传 Latest upload', '未填指标 Left empty'];
  const td = (column: number, content: string) => `<td data-label="${labels[column]}">${content}</td>`;
  const rows = snapshot.departments.map((d) => {
    // Without a workbook every indicator is empty: the "not reported" says it, a list of all of them would not.
    const empty = !d.reported || d.emptyIndicators.length === 0 ? '–' : escape(d.emptyIndicators.map((id) => words.indicator(id).zh).join('、'));
    return `<tr data-completeness="${escape(d.department)}"><td>${escape(d.zh)}<br><span class="en">${escape(d.en)}</span></td>
${td(1, yesNo(d.reported))}${td(2, signOffText(d))}${td(3, `${yesNo(d.onTime)} <span class="en">due ${d.dueDate}</span>`)}
${td(4, `${d.monthsReceived} / ${d.monthsExpected}`)}${td(5, `${d.monthsOnTime} / ${d.monthsExpected}`)}${td(6, d.latestUploadAt ?? '–')}
${td(7, empty)}</tr>`;
  });
  return `<div class="completeness"><h2>报送情况 <span class="en">Reporting completeness and timeliness</span></h2>
<table><thead><tr>${labels.map((label) => `<th>${label.replace(' ', ' <span class="en">')}</span></th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/** The head's sign-off of the month and whether its figures are official, as one cell. */
function signOffText(d: DepartmentReport): string {
  if (d.reviewState === null || d.signOff === null) return '–';
  const state = REVIEW_STATE_LABELS[d.reviewState];
  const signOff = SIGN_OFF_LABELS[d.signOff];
  return `${state.zh} ${state.en} · ${signOff.zh} ${signOff.en}`;
}

/** The figures of published months a correction changed since the last snapshot: which, old → new, when, why, approved by whom. */
function restatementsTable(report: Report): string {
  const { snapshot, words } = report;
  if (snapshot.restatements.length === 0) return '';
  const labels = ['部门 Department', '指标 Indicator', '月份 Month', '原值 → 更正值 Old → new', '批准时间 Approved at', '理由 Why', '批准人 Approved by'];
  const td = (column: number, content: string) => `<td data-label="${labels[column]}">${content}</td>`;
  const departmentName = new Map(snapshot.departments.map((d) => [d.department, `${escape(d.zh)}<br><span class="en">${escape(d.en)}</span>`]));
  const rows = snapshot.restatements.map((r) => {
    const indicator = words.indicator(r.indicator);
    return `<tr data-restatement="${escape(`${r.department} ${r.period} ${r.indicator}`)}">${td(0, departmentName.get(r.department) ?? escape(r.department))}
${td(1, `${escape(indicator.zh)}<br><span class="en">${escape(indicator.en)}</span>`)}${td(2, r.period)}${td(3, escape(restatedText(r, words)))}
${td(4, escape(r.approvedAt))}${td(5, escape(r.reason))}${td(6, escape(r.approvedBy))}</tr>`;
  });
  return `<div class="restatements" data-restatements><h2>更正说明 <span class="en">Restatements of published months</span></h2>
<table><thead><tr>${labels.map((label) => `<th>${label.replace(' ', ' <span class="en">')}</span></th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function notReportedAlert(report: Report): string {
  const missing = notReported(report.snapshot);
  if (missing.length === 0) return '';
  return `<div class="alert" data-not-reported><strong>未报送 ${report.snapshot.period} 数据的部门 <span class="en">Departments that have not reported ${report.snapshot.period}</span></strong>
<ul>${missing.map((entry) => `<li>${escape(notReportedText(entry))}</li>`).join('')}</ul></div>`;
}

const LEGEND = `<p class="legend"><span class="bar"><span class="line" style="left:50%"></span></span> 竖线：按从基线到期限的直线进度，本月末应达到的位置 <span class="en">Tick: where a straight line from the baseline to the deadline says progress should be by the end of the month</span></p>`;

/** A draft says so first: its figures may still change before the month is published and locked. */
const draftNotice = ({ snapshot }: Report): string =>
  snapshot.publication === 'draft'
    ? `<p class="provisional" data-draft>草稿：${snapshot.period} 尚未发布，数据仍可能变化 <span class="en">Draft: ${snapshot.period} is not yet published; its figures may still change</span></p>\n`
    : '';

export function reportHtml(report: Report): string {
  const { snapshot } = report;
  const { good, behind, targets, counts, provisional, carried } = headline(snapshot);
  const chips = [...counts]
    .map(([status, count]) => `<span style="background:${STATUS_LABELS[status].colour}">${STATUS_LABELS[status].zh} ${STATUS_LABELS[status].en}: ${count}</span>`)
    .join('');
  const left = [
    provisional === 0 ? '' : `<br><span class="en" data-provisional-count>另有 ${provisional} 项目标为暂定数据（尚未审核），未计入 · ${provisional} more targets are provisional (not yet approved) and left out</span>`,
    carried === 0 ? '' : `<br><span class="en">另有 ${carried} 项目标因部门未报送未计入 · ${carried} more targets left out: their department has not reported</span>`,
  ].join('');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>月度进展 ${snapshot.period} Monthly progress</title>
<style>${STYLE}</style></head>
<body>
<h1>教育科技人才改革月度进展 <span class="en">Monthly progress of the education, science and talent targets</span></h1>
<div class="en">${snapshot.period} · catalog ${escape(snapshot.catalogVersion)} · schema v${snapshot.schemaVersion}</div>
${draftNotice(report)}${notReportedAlert(report)}
<p class="headline" data-headline>${good} / ${targets} 项目标已完成或按计划推进，${behind} 项滞后或存在风险 <span class="en">targets achieved or on track, ${behind} behind or at risk</span>${left}</p>
<div class="chips">${chips}</div>
${LEGEND}
${snapshot.departments.map((d) => departmentSection(report, d)).join('\n')}
${completenessTable(report)}
${restatementsTable(report)}
</body>
</html>
`;
}
