import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { catalog } from '../../shared/catalog/catalog.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline.js';
import type { CliArgs } from '../main.js';
import { samplePeriods, sampleWorkbooks } from '../samples.js';
import { printSnapshot } from './snapshot.js';

/** A workbook's bytes carry the time it was written, so a sample is written once and then reused. */
async function keptSample(path: string, fresh: Uint8Array): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    await writeFile(path, fresh);
    return fresh;
  }
}

/**
 * The whole pipeline on the local stores: sample workbooks for every department and month go
 * into the upload bucket, the ingest function handles each S3 event, and the snapshot function
 * runs for the latest month. Safe to run again: the sample files written the first time are
 * uploaded again as they are, and identical uploads change nothing. Returns how many were rejected.
 */
export async function runDemo(pipeline: LocalPipeline, data: string): Promise<number> {
  const samplesDirectory = resolve(join(data, 'samples'));
  await mkdir(samplesDirectory, { recursive: true });
  let rejected = 0;
  for (const sample of await sampleWorkbooks(catalog)) {
    const bytes = await keptSample(join(samplesDirectory, sample.fileName), sample.bytes);
    const key = uploadKey(sample.department, sample.fileName);
    for (const { status, outcome, reportKey } of await pipeline.upload(key, bytes)) {
      if (status !== 'accepted') rejected++;
      console.log(`${status.padEnd(8)} ${key.padEnd(44)} ${(outcome ?? '').padEnd(10)} → ${reportKey}`);
    }
  }
  console.log(`\nSample workbooks: ${samplesDirectory}\n`);
  const latest = samplePeriods().at(-1);
  if (latest) await printSnapshot(pipeline, latest, data);
  return rejected;
}

/** `npm run demo`: the demo alone, then the stores close. */
export async function demo({ values }: CliArgs): Promise<number> {
  const pipeline = await startLocalPipeline(values.data);
  try {
    return (await runDemo(pipeline, values.data)) === 0 ? 0 : 1;
  } finally {
    await pipeline.close();
  }
}
