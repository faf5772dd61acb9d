import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { catalog } from '../../shared/catalog/catalog.js';
import { readLimits } from '../../shared/config.js';
import { assessmentJson, assessWorkbook, type Assessment, type ImportSummary } from '../../shared/ingest/assess.js';
import type { Change } from '../../shared/ingest/changes.js';
import { DEFAULT_MAX_ANNOTATED_BYTES, markedWorkbook, whyNotAnnotated, type Annotation } from '../../shared/ingest/annotation.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { uploadKey } from '../../shared/s3-keys.js';
import type { ReadLimits } from '../../shared/workbook/limits.js';
import { periodAt } from '../../shared/calendar.js';
import { assertUploadStorableLocally, startLocalPipeline } from '../local/pipeline.js';
import { LOCAL_RESOURCES, UnstorableKeyError } from '../local/stores.js';
import type { CliArgs } from '../main.js';
import { jsonText, summaryText, terminalText } from '../print.js';
import { InputError, requireDepartment, requireValue, UsageError } from '../usage.js';

/** Exit status of the CLI contract: 0 accepted, 2 rejected for a problem in the file. */
const exitStatusOf = (summary: ImportSummary) => (summary.status === 'accepted' ? 0 : 2);

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}

const figureText = (value: number | boolean) => (typeof value === 'boolean' ? (value ? 'done' : 'not done') : String(value));

function changeText(change: Change): string {
  const what = `${change.period} ${terminalText(change.indicator)}`;
  switch (change.change) {
    case 'changed':
      return `  changed  ${what}: ${figureText(change.from)} → ${figureText(change.to)}`;
    case 'added':
      return `  added    ${what}: ${figureText(change.to)}`;
    case 'removed':
      return `  removed  ${what}: ${figureText(change.from)} (no longer current)`;
  }
}

function reportText(file: string, report: ImportReport, directory: string): string {
  const where = (key: string) => terminalText(`s3://${LOCAL_RESOURCES.uploadBucket}/${key} (local, in ${directory})`);
  return [
    summaryText(file, report),
    `  outcome: ${report.outcome ?? 'nothing written'}`,
    ...report.slices.flatMap((slice) => [
      ...(slice.replaced ? [`  ${slice.period} replaces ${terminalText(slice.replaced.key)} uploaded ${slice.replaced.uploadedAt}`] : []),
      ...slice.changes.map(changeText),
    ]),
    `  report:  ${where(report.reportKey)}`,
    ...(report.annotatedKey ? [`  marked:  ${where(report.annotatedKey)}`] : []),
  ].join('\n');
}

/** Why --out is not written: what the import report says of the annotated copy. */
function notWriting(out: string, annotation: Annotation): void {
  console.error(`not writing ${terminalText(out)}: ${annotation.message}`);
}

/** Decisions on the copy are printed, not logged: the reason is in the line `notWriting` prints. */
const QUIET = { info: () => undefined, warn: () => undefined };

/**
 * With --out, the workbook with its problems marked is written there too: only for an .xlsx the ingest function
 * would annotate, so that the CLI never opens a workbook whole that would take more memory than the function has.
 */
async function writeAnnotated(out: string | undefined, bytes: Uint8Array, assessment: Assessment, limits: ReadLimits): Promise<void> {
  if (!out) return;
  const log = { logger: QUIET, key: out };
  const refused = await whyNotAnnotated(assessment, bytes, { maxAnnotatedBytes: DEFAULT_MAX_ANNOTATED_BYTES, maxCells: limits.maxCells }, log);
  if (refused) return notWriting(out, refused);
  const marked = await markedWorkbook(assessment, bytes, log);
  if (marked instanceof Uint8Array) await writeFile(out, marked);
  else notWriting(out, marked);
}

/** The limits the ingest function reads a workbook with, from the same WORKBOOK_MAX_* variables; a bad value is a usage mistake. */
function readLimitsOfEnvironment(): ReadLimits {
  try {
    return readLimits();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Validates a workbook; without --dry-run, uploads it to the local stores for the real ingest function. */
export async function ingestCommand({ positionals, values }: CliArgs): Promise<number> {
  const file = requireValue(positionals[1], 'FILE');
  const department = requireDepartment(values.department);
  const bytes = await readInput(file);

  if (values['dry-run']) {
    const limits = readLimitsOfEnvironment();
    const assessment = await assessWorkbook({ catalog, bytes, fileName: basename(file), department, currentPeriod: periodAt(new Date()), limits });
    const summary = assessmentJson(assessment);
    await writeAnnotated(values.out, bytes, assessment, limits);
    console.log(values.json ? jsonText(summary) : summaryText(file, summary));
    return exitStatusOf(summary);
  }

  const key = uploadKey(department, basename(file));
  try {
    assertUploadStorableLocally(key);
  } catch (error) {
    throw error instanceof UnstorableKeyError ? new InputError(error.message) : error;
  }
  const pipeline = await startLocalPipeline(values.data);
  try {
    const [ingested] = await pipeline.upload(key, bytes);
    if (!ingested) throw new Error('the ingest function reported nothing for the upload');
    const report = JSON.parse(
      new TextDecoder().decode(await pipeline.read(LOCAL_RESOURCES.uploadBucket, ingested.reportKey)),
    ) as ImportReport;
    if (values.out && report.annotatedKey) await writeFile(values.out, await pipeline.read(LOCAL_RESOURCES.uploadBucket, report.annotatedKey));
    else if (values.out) notWriting(values.out, report.annotation);
    console.log(values.json ? jsonText(report) : reportText(file, report, values.data));
    return exitStatusOf(report);
  } finally {
    await pipeline.close();
  }
}
