import type { ImportSummary } from '../shared/ingest/assess.js';
import type { Snapshot } from '../shared/snapshot/index.js';
import { percentText, targetText, valueText } from '../shared/snapshot/report-model.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function snapshotTable(snapshot: Snapshot): string {
  const indicators = table(
    ['indicator', 'value', 'as of', 'target', 'progress', 'expected', 'status'],
    snapshot.indicators.map((row) => [
      row.indicator,
      valueText(row),
      row.asOf ?? '–',
      targetText(row),
      percentText(row.progress),
      percentText(row.expected),
      row.status,
    ]),
  );
  const departments = table(
    ['department', 'reported', 'on time', 'year received', 'submitted at', 'left empty'],
    snapshot.departments.map((d) => [
      d.department,
      d.reported ? 'yes' : 'NO',
      d.onTime === null ? '–' : d.onTime ? 'yes' : 'LATE',
      `${d.monthsReceived}/${d.monthsExpected}`,
      d.submittedAt ?? '–',
      d.emptyIndicators.length === 0 ? '–' : String(d.emptyIndicators.length),
    ]),
  );
  return `Progress ${snapshot.period} (catalog ${snapshot.catalogVersion})\n\n${indicators}\n\n${departments}`;
}

export function summaryText(file: string, summary: ImportSummary): string {
  const { status, department, period, observations, errors, warnings } = summary;
  const lines = [
    `${status.toUpperCase()}  ${file}  department ${department}, period ${period ?? 'unknown'}: ` +
      `${observations.length} observations, ${errors.length} errors, ${warnings.length} warnings`,
  ];
  for (const [level, problems] of [['error', errors], ['warning', warnings]] as const) {
    for (const p of problems) {
      const where = p.sheet ? `${p.sheet}!${p.cell ?? ''}` : 'file';
      lines.push(`  ${level}  ${where}  ${p.code}  ${p.message}`);
    }
  }
  for (const o of observations) lines.push(`  ${o.indicator.padEnd(32)} ${String(o.value).padStart(10)} ${o.unit}`);
  return lines.join('\n');
}
