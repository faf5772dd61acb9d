import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_RESOURCES, startLocalStores } from '../cli/local/stores.js';
import { dynamoObservationRepository } from '../shared/aws/observation-repository.js';
import { catalog } from '../shared/catalog/catalog.js';
import { makeIngest } from '../shared/ingest/ingest.js';
import type { Observation, Submission } from '../shared/observation.js';
import { addMonths, type Period } from '../shared/calendar.js';
import type { ObjectStore } from '../shared/ports.js';
import { reportsFolder, uploadKey } from '../shared/s3-keys.js';
import { makeSnapshot } from '../shared/snapshot/index.js';
import { fillTemplate } from '../cli/samples.js';
import { buildTemplate } from '../shared/workbook/template.js';

/**
 * `npx tsx bench/reads.ts`: DynamoDB items read by one monthly snapshot and by one upload, on dynalite,
 * after 12 and 120 months of history with 0 and 5 corrections of every month. Items are counted from
 * what DynamoDB answers (a Query's Count, a GetItem's Item), so the figure is what AWS would bill for.
 */

const FIRST_MONTH: Period = '2026-01';
const CORRECTIONS = [0, 5];
const HISTORY_MONTHS = [12, 120];

interface Meter {
  items: number;
}

/** A document client that counts every item DynamoDB returns to it. */
function meteredClient(client: DynamoDBDocumentClient, meter: Meter): DynamoDBDocumentClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { Count?: number; Item?: unknown };
      meter.items += output.Count ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return client;
}

/** Figures as one upload of a department's month would give them: every indicator of the department. */
function uploadOf(department: string, period: Period, revision: number): [Submission, Observation[]] {
  const key = uploadKey(department, `${department}-${period}.xlsx`);
  const upload = { bucket: LOCAL_RESOURCES.uploadBucket, key, sequencer: `0A${String(revision).padStart(4, '0')}`, uploadedAt: `${period}-28T01:00:00.000Z` };
  const indicators = catalog.indicatorsOf(department);
  const submission: Submission = {
    ...upload,
    department,
    period,
    contentSha256: `${department}-${period}-${revision}`,
    indicators: indicators.map((i) => i.id),
    reportKey: `${reportsFolder(department)}${period}.${revision}.json`,
  };
  const observations = indicators.map(
    (indicator, row): Observation => ({
      department,
      indicator: indicator.id,
      period,
      value: indicator.kind === 'milestone' ? false : revision + row,
      unit: indicator.unit,
      lineage: { ...upload, sheet: '填报 Data', cell: `E${row + 6}` },
    }),
  );
  return [submission, observations];
}

const nowhere: ObjectStore = {
  get: () => Promise.reject(new Error('not used')),
  put: () => Promise.resolve(),
};

async function measure(months: number, corrections: number): Promise<{ snapshot: number; upload: number }> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-reads-'));
  const stores = await startLocalStores(directory);
  try {
    const meter: Meter = { items: 0 };
    const client = meteredClient(DynamoDBDocumentClient.from(stores.dynamo), meter);
    const observations = dynamoObservationRepository(client, LOCAL_RESOURCES.observationsTable);
    const last = addMonths(FIRST_MONTH, months - 1);
    for (let month = 0; month < months; month++) {
      for (const { id } of catalog.departments) {
        for (let revision = 0; revision <= corrections; revision++) await observations.commit(...uploadOf(id, addMonths(FIRST_MONTH, month), revision));
      }
    }

    meter.items = 0;
    await makeSnapshot({ catalog, observations, objects: nowhere, exists: async () => false, bucket: LOCAL_RESOURCES.snapshotBucket })(last);
    const snapshot = meter.items;

    // The science clerk uploads the month just ended, as a correction of a month already reported.
    const figures = new Map(catalog.indicatorsOf('science').map((i, row) => [i.id, i.kind === 'milestone' ? true : 10 + row] as const));
    const workbook = await fillTemplate(await buildTemplate(catalog, 'science', last), figures);
    const objects: ObjectStore = { get: async () => workbook, put: () => Promise.resolve() };
    const clock = { now: () => new Date(`${addMonths(last, 1)}-02T01:00:00Z`) };
    const ingest = makeIngest({ catalog, objects, observations, clock, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    meter.items = 0;
    const report = await ingest({ bucket: LOCAL_RESOURCES.uploadBucket, key: uploadKey('science', `science-${last}.xlsx`), sequencer: '0B', uploadedAt: clock.now().toISOString() });
    if (report.outcome !== 'committed') throw new Error(`the measured upload was not committed: ${JSON.stringify(report.errors)}`);
    return { snapshot, upload: meter.items };
  } finally {
    await stores.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

console.log('DynamoDB items read (one snapshot of the last month; one upload of it)\n');
console.log(['history'.padEnd(12), 'corrections'.padStart(12), 'snapshot'.padStart(10), 'upload'.padStart(8)].join(''));
const results = new Map<number, { snapshot: number; upload: number }[]>();
for (const months of HISTORY_MONTHS) {
  for (const corrections of CORRECTIONS) {
    const read = await measure(months, corrections);
    results.set(months, [...(results.get(months) ?? []), read]);
    console.log([`${months} months`.padEnd(12), `${corrections}/month`.padStart(12), String(read.snapshot).padStart(10), String(read.upload).padStart(8)].join(''));
  }
}
const independent = [...results.values()].every((reads) => reads.every((r) => r.snapshot === reads[0]?.snapshot && r.upload === reads[0]?.upload));
console.log(`\ngoal: items read independent of corrections: ${independent ? 'met' : 'NOT MET'}`);
