import { headline, percentText, STATUS_LABELS, targetText, valueText, type Report } from './report-model.js';
import type { Snapshot, SnapshotIndicator } from './snapshot.js';

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched), in
 * Chinese with English labels. Deterministic, like the data files.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const STYLE = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:24px;color:#212529;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:2px solid #dee2e6;padding-bottom:4px}
.en{color:#6c757d;font-size:.85em;font-weight:normal}
.headline{font-size:18px;margin:12px 0}.chips span{display:inline-block;margin:0 8px 6px 0;padding:2px 10px;border-radius:12px;color:#fff;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e9ecef;text-align:left;vertical-align:middle}
th{background:#f8f9fa}.bar{position:relative;width:160px;height:12px;background:#e9ecef;border-radius:6px}
.bar .fill{position:absolute;left:0;top:0;bottom:0;border-radius:6px}.bar .line{position:absolute;top:-3px;bottom:-3px;width:2px;background:#212529}
.status{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;white-space:nowrap}
.no{color:#c92a2a;font-weight:bold}
`;

/** Bars are clamped to the track; the figure beside them shows overshoot and falls below the baseline. */
const clampShare = (share: number) => Math.min(1, Math.max(0, share));

function progressBar(row: SnapshotIndicator): string {
  if (row.progress === null && row.expected === null) return '–';
  const colour = STATUS_LABELS[row.status].colour;
  const fill = row.progress === null ? '' : `<div class="fill" style="width:${(clampShare(row.progress) * 100).toFixed(1)}%;background:${colour}"></div>`;
  const line = row.expected === null ? '' : `<div class="line" style="left:${(clampShare(row.expected) * 100).toFixed(1)}%" title="expected"></div>`;
  return `<div class="bar">${fill}${line}</div> ${percentText(row.progress)} / ${percentText(row.expected)}`;
}

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

function statusBadge(row: SnapshotIndicator): string {
  const label = STATUS_LABELS[row.status];
  return `<span class="status" style="background:${label.colour}">${label.zh} ${label.en}</span>`;
}

function indicatorRow(row: SnapshotIndicator, trend: (number | null)[]): string {
  return `<tr data-indicator="${escape(row.indicator)}" data-status="${row.status}">
<td>${escape(row.zh)}<br><span class="en">${escape(row.en)} · ${escape(row.indicator)}</span></td>
<td>${escape(valueText(row))}<br><span class="en">as of ${row.asOf ?? '–'}</span></td>
<td>${escape(targetText(row))}</td>
<td>${progressBar(row)}</td>
<td>${sparkline(trend)}</td>
<td>${statusBadge(row)}</td>
</tr>`;
}

function departmentSection(report: Report, department: Snapshot['departments'][number]): string {
  const rows = report.snapshot.indicators.filter((row) => row.department === department.department);
  return `<section data-department="${escape(department.department)}">
<h2>${escape(department.zh)} <span class="en">${escape(department.en)}</span></h2>
<table><thead><tr><th>指标 <span class="en">Indicator</span></th><th>数值 <span class="en">Value</span></th><th>目标 <span class="en">Target</span></th><th>进度 / 应达 <span class="en">Progress / expected</span></th><th>近12个月 <span class="en">12-month trend</span></th><th>状态 <span class="en">Status</span></th></tr></thead>
<tbody>
${rows.map((row) => indicatorRow(row, report.trends.get(row.indicator) ?? [])).join('\n')}
</tbody></table>
</section>`;
}

function completenessTable(snapshot: Snapshot): string {
  const yesNo = (value: boolean | null) => (value === null ? '–' : value ? '是 yes' : '<span class="no">否 no</span>');
  const rows = snapshot.departments.map(
    (d) => `<tr data-completeness="${escape(d.department)}"><td>${escape(d.zh)}<br><span class="en">${escape(d.en)}</span></td>
<td>${d.reported ? '是 yes' : '<span class="no">否 no</span>'}</td><td>${yesNo(d.onTime)} <span class="en">due ${d.dueDate}</span></td>
<td>${d.monthsReceived} / ${d.monthsExpected}</td><td>${d.monthsOnTime} / ${d.monthsExpected}</td><td>${d.latestUploadAt ?? '–'}</td>
<td>${d.emptyIndicators.length === 0 ? '–' : escape(d.emptyIndicators.join(', '))}</td></tr>`,
  );
  return `<h2>报送情况 <span class="en">Reporting completeness and timeliness</span></h2>
<table><thead><tr><th>部门 <span class="en">Department</span></th><th>本月已报送 <span class="en">Reported</span></th><th>按时 <span class="en">On time</span></th>
<th>本年已报送 <span class="en">Received / expected</span></th><th>本年按时 <span class="en">On time / expected</span></th><th>最近上传 <span class="en">Latest upload</span></th><th>未填指标 <span class="en">Left empty</span></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

export function reportHtml(report: Report): string {
  const { snapshot } = report;
  const { good, targets, counts } = headline(snapshot);
  const chips = [...counts]
    .map(([status, count]) => `<span style="background:${STATUS_LABELS[status].colour}">${STATUS_LABELS[status].zh} ${STATUS_LABELS[status].en}: ${count}</span>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>月度进展 ${snapshot.period} Monthly progress</title>
<style>${STYLE}</style></head>
<body>
<h1>教育科技人才改革月度进展 <span class="en">Monthly progress of the education, science and talent targets</span></h1>
<div class="en">${snapshot.period} · catalog ${escape(snapshot.catalogVersion)} · schema v${snapshot.schemaVersion}</div>
<p class="headline" data-headline>${good} / ${targets} 项目标已完成或按计划推进 <span class="en">targets achieved or on track</span></p>
<div class="chips">${chips}</div>
${snapshot.departments.map((d) => departmentSection(report, d)).join('\n')}
${completenessTable(snapshot)}
</body>
</html>
`;
}
