import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { catalog } from '../../shared/catalog/catalog.js';
import { assessmentJson, assessWorkbook, type ImportSummary } from '../../shared/ingest/assess.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { periodAt } from '../../shared/period.js';
import { startLocalPipeline } from '../local/pipeline.js';
import { LOCAL_RESOURCES } from '../local/stores.js';
import type { CliArgs } from '../main.js';
import { summaryText } from '../print.js';
import { requireDepartment, requireValue, UsageError } from '../usage.js';

/** Exit status of the CLI contract: 0 accepted, 2 rejected for a problem in the file. */
const exitStatusOf = (summary: ImportSummary) => (summary.status === 'accepted' ? 0 : 2);

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}

/** Validates a workbook; without --dry-run, uploads it to the local stores for the real ingest function. */
export async function ingestCommand({ positionals, values }: CliArgs): Promise<number> {
  const file = requireValue(positionals[1], 'FILE');
  const department = requireDepartment(values.department);
  const bytes = await readInput(file);

  if (values['dry-run']) {
    const assessment = await assessWorkbook({ catalog, bytes, fileName: basename(file), department, currentPeriod: periodAt(new Date()) });
    const summary = assessmentJson(assessment);
    console.log(values.json ? JSON.stringify(summary) : summaryText(file, summary));
    return exitStatusOf(summary);
  }

  const pipeline = await startLocalPipeline(values.data);
  try {
    const [ingested] = await pipeline.upload(`incoming/${department}/${basename(file)}`, bytes);
    if (!ingested) throw new Error('the ingest function reported nothing for the upload');
    const report = JSON.parse(
      new TextDecoder().decode(await pipeline.read(LOCAL_RESOURCES.uploadBucket, ingested.reportKey)),
    ) as ImportReport;
    console.log(
      values.json
        ? JSON.stringify(report)
        : `${summaryText(file, report)}\n  outcome: ${report.outcome ?? 'nothing written'}\n` +
            `  report:  s3://${LOCAL_RESOURCES.uploadBucket}/${report.reportKey} (local, in ${values.data})`,
    );
    return exitStatusOf(report);
  } finally {
    await pipeline.close();
  }
}
