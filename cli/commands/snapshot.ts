import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { addMonths, monthsBetween, type Period } from '../../shared/calendar.js';
import { REPORT_FILE } from '../../shared/s3-keys.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { startLocalPipeline, type LocalPipeline, type LocalSnapshotRun } from '../local/pipeline.js';
import { snapshotTable, terminalText } from '../print.js';
import { requirePeriod, UsageError } from '../usage.js';


/**
 * Runs the real snapshot function for a month and copies its files (those it wrote, or a published month's as they
 * were published) to `<data>/snapshot-bucket/`; returns where they went.
 */
async function runSnapshot(
  pipeline: LocalPipeline,
  period: Period,
  dataDirectory: string,
  run?: LocalSnapshotRun,
): Promise<{ copies: Map<string, string>; snapshot: Snapshot; published: boolean }> {
  const { bucket, outcome, files } = await pipeline.snapshot(period, run);
  const copies = new Map<string, string>();
  let snapshot: Snapshot | undefined;
  for (const { key } of files) {
    const bytes = await pipeline.read(bucket, key);
    const copy = resolve(join(dataDirectory, 'snapshot-bucket', key));
    await mkdir(dirname(copy), { recursive: true });
    await writeFile(copy, bytes);
    copies.set(`s3://${bucket}/${key}`, copy);
    if (key.endsWith('/progress.json')) snapshot = JSON.parse(new TextDecoder().decode(bytes)) as Snapshot;
  }
  if (!snapshot) throw new Error('the snapshot function wrote no progress.json');
  return { copies, snapshot, published: outcome === 'already_published' };
}

function reportPath(copies: Map<string, string>): string {
  const report = [...copies.values()].find((path) => path.endsWith(`/${REPORT_FILE}`));
  if (!report) throw new Error(`the snapshot function wrote no ${REPORT_FILE}`);
  return report;
}

/**
 * Runs the real snapshot function for a month, prints the progress it wrote (read back from the
 * bucket) and the files, and ends with the path of the month's report.html.
 */
export async function printSnapshot(pipeline: LocalPipeline, period: string, dataDirectory: string, run?: LocalSnapshotRun): Promise<void> {
  const { copies, snapshot, published } = await runSnapshot(pipeline, period, dataDirectory, run);
  if (published) console.log(`${period} is already published: its files stay as they were. To rewrite them: snapshot --period ${period} --rebuild --reason "…"\n`);
  console.log(snapshotTable(snapshot));
  console.log(`\n${published ? 'Files as published' : run === 'draft' ? 'Draft files written (the month is not locked)' : 'Files written'}:\n${[...copies].map(([s3, copy]) => `  ${terminalText(s3)}\n    → ${terminalText(copy)}`).join('\n')}`);
  console.log(`\nReport ${period}: ${terminalText(reportPath(copies))}`);
}

/** Every month from `from` to `to`, both included. */
export function periodRange(from: Period, to: Period): Period[] {
  const months = monthsBetween(from, to);
  if (months < 0) throw new UsageError(`--from ${from} is after --to ${to}`);
  return Array.from({ length: months + 1 }, (_, i) => addMonths(from, i));
}

/** Rebuilds a range of months oldest first, one line each, then the last month's report. */
async function backfill(pipeline: LocalPipeline, periods: Period[], dataDirectory: string): Promise<void> {
  let last = '';
  for (const period of periods) {
    const { copies, snapshot, published } = await runSnapshot(pipeline, period, dataDirectory);
    const reported = snapshot.departments.filter((d) => d.reported).length;
    console.log(`${period}  ${published ? 'already published' : `${copies.size} files`}  ${reported}/${snapshot.departments.length} departments reported`);
    last = reportPath(copies);
  }
  console.log(`\nReport ${periods.at(-1)}: ${terminalText(last)}`);
}

/** What the snapshot command reads of the command line. */
export interface SnapshotArgs {
  values: { period?: string; from?: string; to?: string; data: string; draft?: boolean; rebuild?: boolean; reason?: string };
}

export async function snapshotCommand({ values }: SnapshotArgs): Promise<number> {
  const range = values.from !== undefined || values.to !== undefined;
  if (range && values.period !== undefined) throw new UsageError('give either --period or --from and --to');
  const periods = range ? periodRange(requirePeriod(values.from, '--from'), requirePeriod(values.to, '--to')) : [];
  const period = range ? undefined : requirePeriod(values.period);
  const reason = values.reason?.trim();
  if (values.rebuild && range) throw new UsageError('--rebuild rewrites one month: give --period');
  if (values.rebuild && !reason) throw new UsageError('--rebuild needs a --reason: why the published month is rewritten');
  if (!values.rebuild && values.reason !== undefined) throw new UsageError('--reason goes with --rebuild');
  if (values.draft && (range || values.rebuild)) throw new UsageError('--draft writes one month not yet published: give --period, without --rebuild');
  const run: LocalSnapshotRun | undefined = values.draft ? 'draft' : values.rebuild && reason ? { reason, requestedBy: `cli (${userInfo().username})` } : undefined;
  const pipeline = await startLocalPipeline(values.data);
  try {
    if (period) await printSnapshot(pipeline, period, values.data, run);
    else await backfill(pipeline, periods, values.data);
    return 0;
  } finally {
    await pipeline.close();
  }
}
