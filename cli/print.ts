import type { ImportSummary } from '../shared/ingest/assess.js';
import type { Snapshot } from '../shared/snapshot/index.js';
import { percentText, targetText, valueText } from '../shared/snapshot/report-model.js';

/**
 * Characters a terminal acts on rather than shows: C0 controls (ESC starts the sequences that move the
 * cursor, recolour or retitle the window, write to the clipboard), DEL, C1 controls (U+009B is a
 * one-byte CSI) and the bidi overrides and isolates, which make text read in another order than stored.
 */
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED_ESCAPES[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/**
 * Text that came from a file (a name, a sheet, a cell, a key), made safe to print as one field of the
 * CLI's lines: every terminal control is shown as an escape (`\x1b`, `\n`, `\u202e`) instead of acting.
 * Backslashes stay as they are: the text is for reading, not for parsing back.
 */
export function terminalText(text: string): string {
  return text.replace(TERMINAL_CONTROLS, escapeControl);
}

/**
 * JSON of a value, the same value once parsed; JSON.stringify escapes C0 controls itself, and the rest
 * of the terminal controls are written as \u escapes too, so that the raw output is safe on a terminal.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(TERMINAL_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function table(header: string[], cellsOfRows: string[][]): string {
  const rows = cellsOfRows.map((cells) => cells.map(terminalText));
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
    `${status.toUpperCase()}  ${terminalText(file)}  department ${department}, period ${period ?? 'unknown'}: ` +
      `${observations.length} observations, ${errors.length} errors, ${warnings.length} warnings`,
  ];
  for (const [level, problems] of [['error', errors], ['warning', warnings]] as const) {
    for (const p of problems) {
      const where = p.sheet ? `${p.sheet}!${p.cell ?? ''}` : 'file';
      lines.push(`  ${level}  ${terminalText(where)}  ${p.code}  ${terminalText(p.message)}`);
    }
  }
  for (const o of observations) lines.push(`  ${terminalText(o.indicator).padEnd(32)} ${String(o.value).padStart(10)} ${terminalText(o.unit)}`);
  return lines.join('\n');
}
