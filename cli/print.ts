import { catalog } from '../shared/catalog/catalog.js';
import type { ImportSummary } from '../shared/ingest/assess.js';
import type { Snapshot, SnapshotIndicator } from '../shared/snapshot/index.js';

const SYMBOL = { at_least: '≥', greater_than: '>' } as const;

function targetText(row: SnapshotIndicator): string {
  const symbol = row.comparison ? SYMBOL[row.comparison] : '';
  switch (row.targetType) {
    case 'reach':
      return `${symbol} ${row.targetValue} by ${row.deadline}`;
    case 'hold':
      return `hold ${symbol} ${row.targetValue}`;
    case 'relative':
      return `${symbol} ${row.reference} until ${row.deadline}`;
    case 'milestone':
      return row.deadline ? `done by ${row.deadline}` : 'done';
    default:
      return '–';
  }
}

const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(0)}%`);
const valueText = (row: SnapshotIndicator) =>
  row.value === null ? '–' : typeof row.value === 'boolean' ? (row.value ? 'done' : 'not done') : `${row.value} ${row.unit}`;

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
      percent(row.progress),
      percent(row.expected),
      row.status,
    ]),
  );
  const departments = table(
    ['department', 'reported', 'submitted at', 'file'],
    snapshot.departments.map((d) => [d.department, d.reported ? 'yes' : 'NO', d.submittedAt ?? '–', d.sourceKey ?? '–']),
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
