import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import type { Period } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { MonthReviews } from '../../shared/ports.js';
import { decide, ReviewRefusal } from '../../shared/review/review.js';
import type { Principal } from '../../shared/roles.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline.js';
import { LOCAL_RESOURCES } from '../local/stores.js';
import { localUsers } from '../local/sign-in.js';
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
 * Each department's head signs off its sample months, as the local head user would on the portal, but the one left
 * for the portal's month page to show: still submitted, provisional in its snapshot and left out of the headline. A
 * month whose warnings are not explained stays submitted too, and the demo says why.
 */
async function signOff(reviews: MonthReviews, months: ReadonlyMap<string, readonly Period[]>, now: Date): Promise<void> {
  for (const user of localUsers(catalog.departments.map((department) => department.id))) {
    const principal: Principal = { user: user.id, email: user.email, roles: user.roles };
    for (const role of user.roles) {
      if (role.kind !== 'head') continue;
      const approved: Period[] = [];
      for (const period of months.get(role.department) ?? []) {
        // The step runs again when another write wins meanwhile: what counts is whether its last run signed off.
        let signed = false;
        try {
          await reviews.update(role.department, period, (record) => {
            signed = record.review.state === 'submitted' && record.review.lockedAt === null;
            return signed ? decide(record, 'approve', undefined, principal, now).record : null;
          });
          if (signed) approved.push(period);
        } catch (error) {
          if (!(error instanceof ReviewRefusal)) throw error;
          console.log(`${user.id} left ${period} submitted: ${error.text.en}`);
        }
      }
      if (approved.length > 0) console.log(`${user.id} approved ${approved.length} month(s): ${approved.join(', ')}`);
    }
  }
}

/** The sample months each head signs off: all of them, but the latest month of the last department that reported it. */
function monthsToSignOff(samples: readonly { department: string; period: Period }[], latest: Period | undefined): Map<string, Period[]> {
  const left = samples.findLast((sample) => sample.period === latest);
  const months = new Map<string, Period[]>();
  for (const { department, period } of samples) {
    if (department === left?.department && period === left.period) continue;
    months.set(department, [...(months.get(department) ?? []), period]);
  }
  return months;
}

/**
 * The whole pipeline on the local stores: sample workbooks for every department and month go
 * into the upload bucket, the ingest function handles each S3 event, the heads sign off the
 * months (one left submitted), and the snapshot function publishes the latest month. Safe to run
 * again: the sample files written the first time are uploaded again as they are, identical
 * uploads change nothing, and a published month is not written again. Returns how many were rejected.
 */
export async function runDemo(pipeline: LocalPipeline, data: string): Promise<number> {
  const samplesDirectory = resolve(join(data, 'samples'));
  await mkdir(samplesDirectory, { recursive: true });
  let rejected = 0;
  const samples = await sampleWorkbooks(catalog);
  for (const sample of samples) {
    const bytes = await keptSample(join(samplesDirectory, sample.fileName), sample.bytes);
    const key = uploadKey(sample.department, sample.fileName);
    for (const { status, outcome, reportKey } of await pipeline.upload(key, bytes)) {
      if (status !== 'accepted') rejected++;
      console.log(`${status.padEnd(8)} ${key.padEnd(44)} ${(outcome ?? '').padEnd(10)} → ${reportKey}`);
    }
  }
  const latest = samplePeriods().at(-1);
  console.log('');
  const reviews = dynamoObservationRepository(DynamoDBDocumentClient.from(pipeline.stores.dynamo), LOCAL_RESOURCES.observationsTable);
  await signOff(reviews, monthsToSignOff(samples, latest), new Date());
  console.log(`\nSample workbooks: ${samplesDirectory}\n`);
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
