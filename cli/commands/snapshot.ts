import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline.js';
import type { CliArgs } from '../main.js';
import { snapshotTable } from '../print.js';
import { requirePeriod } from '../usage.js';

/**
 * Runs the real snapshot function for a month, prints the progress it wrote (read back from the
 * bucket), and copies the files to `<data>/snapshot-bucket/` where a person can open them.
 */
export async function printSnapshot(pipeline: LocalPipeline, period: string, dataDirectory: string): Promise<void> {
  const { bucket, files } = await pipeline.snapshot(period);
  const written: string[] = [];
  let snapshot: Snapshot | undefined;
  for (const { key } of files) {
    const bytes = await pipeline.read(bucket, key);
    const copy = resolve(join(dataDirectory, 'snapshot-bucket', key));
    await mkdir(dirname(copy), { recursive: true });
    await writeFile(copy, bytes);
    written.push(`  s3://${bucket}/${key}\n    → ${copy}`);
    if (key.endsWith('progress.json')) snapshot = JSON.parse(new TextDecoder().decode(bytes)) as Snapshot;
  }
  if (!snapshot) throw new Error('the snapshot function wrote no progress.json');
  console.log(snapshotTable(snapshot));
  console.log(`\nFiles written:\n${written.join('\n')}`);
}

export async function snapshotCommand({ values }: CliArgs): Promise<number> {
  const period = requirePeriod(values.period);
  const pipeline = await startLocalPipeline(values.data);
  try {
    await printSnapshot(pipeline, period, values.data);
    return 0;
  } finally {
    await pipeline.close();
  }
}
