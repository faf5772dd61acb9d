import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import type { Submission } from '../../shared/observation.js';
import type { ObservationHistory, ObservationRepository } from '../../shared/ports.js';
import { observation as baseObservation, submission as baseSubmission } from '../fixtures.js';

let directory: string;
let stores: LocalStores;
let documents: DynamoDBDocumentClient;
let repository: ObservationRepository & ObservationHistory;
let run = 0;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'repository-'));
  stores = await startLocalStores(directory);
  documents = DynamoDBDocumentClient.from(stores.dynamo);
});

afterAll(async () => {
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

// Each test works in a department of its own, so tests cannot see each other's items.
let department: string;
beforeEach(() => {
  department = `dept${++run}`;
  repository = dynamoObservationRepository(documents, LOCAL_RESOURCES.observationsTable);
});

const submission = (overrides: Partial<Submission> = {}): Submission => ({ ...baseSubmission(department, '2026-11'), ...overrides });
const observation = (indicator: string, value: number, period = '2026-11') => baseObservation(indicator, period, value, department);

async function tableItems() {
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: LOCAL_RESOURCES.observationsTable }));
  return Items.filter((item) => item.pk === `department#${department}`).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
}

const currentValues = async (period: string) =>
  (await repository.observationsUpTo(department, period)).map((o) => [o.period, o.indicator, o.value]);

describe('committing a submission to DynamoDB', () => {
  it('stores the observations with their lineage and makes the submission current', async () => {
    expect(await repository.commit(submission(), [observation('x.a', 1), observation('x.b', 2)])).toBe('committed');
    expect(await repository.observationsUpTo(department, '2026-11')).toEqual([observation('x.a', 1), observation('x.b', 2)]);
    expect(await repository.submission(department, '2026-11')).toEqual({ ...submission(), firstUploadedAt: submission().uploadedAt });
  });

  it('treats the same bytes again as a duplicate and writes nothing', async () => {
    await repository.commit(submission(), [observation('x.a', 1)]);
    const before = await tableItems();
    const again = submission({ sequencer: '0B', uploadedAt: '2026-11-06T00:00:00.000Z' });
    expect(await repository.commit(again, [observation('x.a', 1)])).toBe('duplicate');
    expect(await tableItems()).toEqual(before);
  });

  it('replaces the whole slice with a later upload: figures left out are no longer current', async () => {
    await repository.commit(submission(), [observation('x.a', 1), observation('x.b', 2)]);
    const later = submission({ sequencer: '0B', contentSha256: 'sha-2' });
    expect(await repository.commit(later, [observation('x.a', 5)])).toBe('committed');
    expect(await currentValues('2026-11')).toEqual([['2026-11', 'x.a', 5]]);
    expect((await repository.submission(department, '2026-11'))?.sequencer).toBe('0B');
  });

  it("keeps the month's first upload time across corrections, for judging timeliness", async () => {
    await repository.commit(submission({ uploadedAt: '2026-12-05T01:00:00.000Z' }), [observation('x.a', 1)]);
    const correction = submission({ sequencer: '0B', contentSha256: 'sha-2', uploadedAt: '2026-12-20T01:00:00.000Z' });
    await repository.commit(correction, [observation('x.a', 2)]);
    expect(await repository.submission(department, '2026-11')).toMatchObject({
      uploadedAt: '2026-12-20T01:00:00.000Z',
      firstUploadedAt: '2026-12-05T01:00:00.000Z',
    });
  });

  it('keeps each replaced slice as history, marked with the upload that replaced it', async () => {
    const first = submission();
    const second = submission({ key: 'science/2026-11-v2.xlsx', sequencer: '0B', contentSha256: 'sha-2', reportKey: 'reports/v2.json' });
    const third = submission({ sequencer: '0C', contentSha256: 'sha-3', uploadedAt: '2026-11-29T09:00:00.000Z', reportKey: 'reports/v3.json' });
    await repository.commit(first, [observation('x.a', 1), observation('x.b', 2)]);
    await repository.commit(second, [observation('x.a', 5)]);
    await repository.commit(third, [observation('x.b', 7)]);

    const refOf = ({ key, versionId, sequencer, uploadedAt, reportKey }: Submission) => ({ key, versionId, sequencer, uploadedAt, reportKey });
    const firstUploadedAt = first.uploadedAt;
    expect(await repository.history(department, '2026-11')).toEqual([
      { submission: { ...first, firstUploadedAt, supersededBy: refOf(second) }, observations: [observation('x.a', 1), observation('x.b', 2)] },
      { submission: { ...second, firstUploadedAt, supersededBy: refOf(third) }, observations: [observation('x.a', 5)] },
    ]);
    expect(await repository.submission(department, '2026-11')).toEqual({ ...third, firstUploadedAt });
    expect(await currentValues('2026-11')).toEqual([['2026-11', 'x.b', 7]]);
  });

  it('has no history for a month uploaded once or never', async () => {
    await repository.commit(submission(), [observation('x.a', 1)]);
    expect(await repository.history(department, '2026-11')).toEqual([]);
    expect(await repository.history(department, '2026-10')).toEqual([]);
  });

  it('never lets an older upload arriving late overwrite a newer one', async () => {
    await repository.commit(submission({ sequencer: '0B', contentSha256: 'sha-2' }), [observation('x.a', 5)]);
    const before = await tableItems();
    expect(await repository.commit(submission(), [observation('x.a', 1)])).toBe('superseded');
    expect(await tableItems()).toEqual(before);
  });

  it('keeps other months untouched and reads every month up to the one asked for', async () => {
    await repository.commit(submission({ period: '2026-10' }), [observation('x.a', 1, '2026-10')]);
    await repository.commit(submission({ period: '2026-11', contentSha256: 'sha-2' }), [observation('x.a', 2)]);
    await repository.commit(submission({ period: '2026-12', contentSha256: 'sha-3' }), [observation('x.a', 3, '2026-12')]);
    expect(await currentValues('2026-11')).toEqual([
      ['2026-10', 'x.a', 1],
      ['2026-11', 'x.a', 2],
    ]);
    expect(await repository.submission(department, '2026-09')).toBeUndefined();
  });

  it('lets exactly one of two different uploads racing for the same slice win', async () => {
    const outcomes = await Promise.all([
      repository.commit(submission({ sequencer: '0A', contentSha256: 'sha-a' }), [observation('x.a', 1)]),
      repository.commit(submission({ sequencer: '0B', contentSha256: 'sha-b' }), [observation('x.b', 2)]),
    ]);
    expect(outcomes).toContain('committed');
    const current = await repository.submission(department, '2026-11');
    const values = await currentValues('2026-11');
    // Whichever won, the slice holds exactly its figures and nothing of the other.
    expect(values).toEqual(current?.contentSha256 === 'sha-a' ? [['2026-11', 'x.a', 1]] : [['2026-11', 'x.b', 2]]);
  });
});
