import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { readFileSync, writeFileSync } from 'node:fs';
import { startLocalPipeline } from '../../cli/local/pipeline.js';
import { LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { INGESTED, type IngestJob, type IngestResult } from './run.js';

/**
 * `node --import tsx test/hostile/ingest-in-pipeline.ts DIR JOBS`: the local pipeline on DIR, and for each upload
 * JOBS lists, in turn, the real ingest function run in this process on the S3 event of its file put under its key,
 * as test/integration/pipeline.test.ts does. Writes to each job's result file what the test checks (the report's
 * key and text, the observations table before and after, or why there is no report: the put refused, the message
 * dead-lettered), then prints `ingested <index>` on a line of its own.
 */

const [directory, jobsFile] = process.argv.slice(2);
if (!directory || !jobsFile) throw new Error('usage: ingest-in-pipeline.ts DIR JOBS');
const jobs = JSON.parse(readFileSync(jobsFile, 'utf8')) as IngestJob[];

const pipeline = await startLocalPipeline(directory);
async function tableItems(): Promise<string[]> {
  const { Items = [] } = await pipeline.stores.dynamo.send(new ScanCommand({ TableName: LOCAL_RESOURCES.observationsTable }));
  return Items.map((item) => JSON.stringify(item)).sort();
}

async function ingest({ key, file }: IngestJob): Promise<IngestResult> {
  const before = await tableItems();
  let reportKey: string | undefined;
  try {
    [reportKey] = (await pipeline.upload(key, new Uint8Array(readFileSync(file)))).map((ingested) => ingested.reportKey);
  } catch (error) {
    return { failed: `the upload was not ingested: ${String(error).slice(0, 300)}` };
  }
  if (reportKey === undefined) return { failed: 'no report for the upload' };
  const report = new TextDecoder().decode(await pipeline.read(LOCAL_RESOURCES.uploadBucket, reportKey));
  return { reportKey, report, before, after: await tableItems() };
}

try {
  for (const [index, job] of jobs.entries()) {
    writeFileSync(job.result, JSON.stringify(await ingest(job)));
    process.stdout.write(`${INGESTED} ${index}\n`);
  }
} finally {
  await pipeline.close();
}
// The SDK's and the stores' sockets may keep the event loop alive after close, as the CLI's own exit says.
process.exit(0);
