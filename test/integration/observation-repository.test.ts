import { DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import type { Observation, Submission } from '../../shared/observation.js';
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
/** A figure's lineage is the upload of its slice. */
const uploadedIn = ({ bucket, key, versionId, sequencer, uploadedAt, uploader }: Submission, o: Observation): Observation => ({
  ...o,
  lineage: { ...o.lineage, bucket, key, versionId, sequencer, uploadedAt, uploader },
});

async function tableItems() {
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: LOCAL_RESOURCES.observationsTable }));
  return Items.filter((item) => item.pk === `department#${department}`).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
}

const currentObservations = async (to: string, from = '2026-01') =>
  (await repository.slicesIn(department, { from, to })).flatMap((slice) => slice.observations);
const currentValues = async (to: string, from?: string) => (await currentObservations(to, from)).map((o) => [o.period, o.indicator, o.value]);

describe('committing a submission to DynamoDB', () => {
  it('stores the observations with their lineage and makes the submission current', async () => {
    expect(await repository.commit(submission(), [observation('x.a', 1), observation('x.b', 2)])).toEqual({ outcome: 'committed', replaced: null });
    expect(await currentObservations('2026-11')).toEqual([observation('x.a', 1), observation('x.b', 2)]);
    expect(await repository.submission(department, '2026-11')).toEqual({ ...submission(), firstUploadedAt: submission().uploadedAt });
  });

  it("keeps each figure's note, and reads a figure stored without one as having none", async () => {
    const noted = { ...observation('x.a', 1), note: '两名学员推迟到12月考核' };
    await repository.commit(submission(), [noted, observation('x.b', 2)]);

    expect(await currentObservations('2026-11')).toEqual([noted, observation('x.b', 2)]);
    const [item] = await tableItems();
    expect(item?.figures).toEqual([expect.objectContaining({ indicator: 'x.a', note: '两名学员推迟到12月考核' }), expect.not.objectContaining({ note: expect.anything() })]);
  });

  it('treats the same bytes again as a duplicate and writes nothing', async () => {
    await repository.commit(submission(), [observation('x.a', 1)]);
    const before = await tableItems();
    const again = submission({ sequencer: '0B', uploadedAt: '2026-11-06T00:00:00.000Z' });
    expect(await repository.commit(again, [observation('x.a', 1)])).toEqual({ outcome: 'duplicate', replaced: null });
    expect(await tableItems()).toEqual(before);
  });

  it('reports a redelivered upload that is already current as committed, against the slice it replaced', async () => {
    await repository.commit(submission(), [observation('x.a', 1)]);
    const correction = submission({ sequencer: '0B', contentSha256: 'sha-2' });
    const first = await repository.commit(correction, [observation('x.a', 2)]);
    const before = await tableItems();

    expect(await repository.commit(correction, [observation('x.a', 2)])).toEqual(first);
    expect(first).toEqual({
      outcome: 'committed',
      replaced: { submission: { ...submission(), firstUploadedAt: submission().uploadedAt }, observations: [observation('x.a', 1)] },
    });
    expect(await tableItems()).toEqual(before);
  });

  it('reports the first upload of a month redelivered as committed, replacing nothing', async () => {
    const first = await repository.commit(submission(), [observation('x.a', 1)]);
    expect(await repository.commit(submission(), [observation('x.a', 1)])).toEqual(first);
    expect(first).toEqual({ outcome: 'committed', replaced: null });
  });

  it.each([
    ['another key', { key: 'science/2026-11 copy.xlsx' }],
    ['another version of the key', { versionId: 'v2' }],
    ['another event of the key', { sequencer: '0C' }],
  ])('still reports the same bytes from %s as a duplicate', async (_case, other) => {
    await repository.commit(submission({ versionId: 'v1' }), [observation('x.a', 1)]);
    expect(await repository.commit(submission({ versionId: 'v1', ...other }), [observation('x.a', 1)])).toEqual({ outcome: 'duplicate', replaced: null });
  });

  it('replaces the whole slice with a later upload: figures left out are no longer current', async () => {
    await repository.commit(submission(), [observation('x.a', 1), observation('x.b', 2)]);
    const later = submission({ sequencer: '0B', contentSha256: 'sha-2' });
    expect(await repository.commit(later, [observation('x.a', 5)])).toEqual({
      outcome: 'committed',
      replaced: { submission: { ...submission(), firstUploadedAt: submission().uploadedAt }, observations: [observation('x.a', 1), observation('x.b', 2)] },
    });
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
      { submission: { ...second, firstUploadedAt, supersededBy: refOf(third) }, observations: [uploadedIn(second, observation('x.a', 5))] },
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
    expect(await repository.commit(submission(), [observation('x.a', 1)])).toEqual({ outcome: 'superseded', replaced: null });
    expect(await tableItems()).toEqual(before);
  });

  it('keeps other months untouched and reads exactly the months asked for', async () => {
    await repository.commit(submission({ period: '2026-10' }), [observation('x.a', 1, '2026-10')]);
    await repository.commit(submission({ period: '2026-11', contentSha256: 'sha-2' }), [observation('x.a', 2)]);
    await repository.commit(submission({ period: '2026-12', contentSha256: 'sha-3' }), [observation('x.a', 3, '2026-12')]);
    expect(await currentValues('2026-11')).toEqual([
      ['2026-10', 'x.a', 1],
      ['2026-11', 'x.a', 2],
    ]);
    expect(await currentValues('2026-12', '2026-11')).toEqual([
      ['2026-11', 'x.a', 2],
      ['2026-12', 'x.a', 3],
    ]);
    expect(await repository.submission(department, '2026-09')).toBeUndefined();
  });

  it('lets exactly one of two different uploads racing for the same slice win', async () => {
    const outcomes = await Promise.all([
      repository.commit(submission({ sequencer: '0A', contentSha256: 'sha-a' }), [observation('x.a', 1)]),
      repository.commit(submission({ sequencer: '0B', contentSha256: 'sha-b' }), [observation('x.b', 2)]),
    ]);
    expect(outcomes.map((o) => o.outcome)).toContain('committed');
    const current = await repository.submission(department, '2026-11');
    const values = await currentValues('2026-11');
    // Whichever won, the slice holds exactly its figures and nothing of the other.
    expect(values).toEqual(current?.contentSha256 === 'sha-a' ? [['2026-11', 'x.a', 1]] : [['2026-11', 'x.b', 2]]);
  });
  it('writes nothing for a burst of the same file delivered at once: one slice, no other item', async () => {
    const burst = Array.from({ length: 20 }, (_, i) => submission({ sequencer: `0A${String(i).padStart(2, '0')}` }));
    const outcomes = await Promise.all(burst.map((upload) => repository.commit(upload, [observation('x.a', 1)])));
    expect(outcomes.filter((o) => o.outcome === 'committed')).toHaveLength(1);
    expect((await tableItems()).map((item) => item.sk)).toEqual(['submission#2026-11']);
  });

  it('keeps a crash between the history copy and the switch out of the history, and commits once redelivered', async () => {
    await repository.commit(submission(), [observation('x.a', 1)]);
    let crashed = false;
    const crashing = {
      send: (command: unknown) => {
        if (!crashed && command instanceof PutCommand && command.input.Item?.entity === 'Submission') {
          crashed = true;
          return Promise.reject(new Error('the function timed out'));
        }
        return documents.send(command as PutCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const correction = submission({ sequencer: '0B', contentSha256: 'sha-2' });
    await expect(dynamoObservationRepository(crashing, LOCAL_RESOURCES.observationsTable).commit(correction, [observation('x.a', 2)])).rejects.toThrow('timed out');
    expect(await repository.history(department, '2026-11')).toEqual([]);
    expect(await currentValues('2026-11')).toEqual([['2026-11', 'x.a', 1]]);

    expect((await repository.commit(correction, [observation('x.a', 2)])).outcome).toBe('committed');
    expect((await repository.history(department, '2026-11')).map((slice) => slice.observations.map((o) => o.value))).toEqual([[1]]);
    expect(await currentValues('2026-11')).toEqual([['2026-11', 'x.a', 2]]);
  });

  it('reads one item per month reported, however often each month was corrected', async () => {
    const itemsRead = async () => {
      let count = 0;
      const counting = {
        send: async (command: QueryCommand) => {
          const output = await documents.send(command);
          count += output.Count ?? 0;
          return output;
        },
      } as unknown as DynamoDBDocumentClient;
      await dynamoObservationRepository(counting, LOCAL_RESOURCES.observationsTable).slicesIn(department, { from: '2026-01', to: '2026-12' });
      return count;
    };
    for (const period of ['2026-09', '2026-10', '2026-11']) {
      await repository.commit(submission({ period }), [observation('x.a', 1, period)]);
    }
    const once = await itemsRead();
    for (const [i, period] of ['2026-09', '2026-10', '2026-11'].flatMap((p) => [p, p, p]).entries()) {
      await repository.commit(submission({ period, sequencer: `0B${i}`, contentSha256: `sha-${i}` }), [observation('x.a', i, period)]);
    }
    expect(once).toBe(3);
    expect(await itemsRead()).toBe(3);
    expect(await currentValues('2026-12')).toEqual([
      ['2026-09', 'x.a', 2],
      ['2026-10', 'x.a', 5],
      ['2026-11', 'x.a', 8],
    ]);
  });

  it('keeps accepting corrections of a month corrected 1,000 times, with every earlier slice in history, in order', { timeout: 120_000 }, async () => {
    const corrections = 1000;
    const upload = (n: number) => submission({ sequencer: `0B${String(n).padStart(6, '0')}`, contentSha256: `sha-${n}` });
    const figures = (n: number) => [observation('x.a', n), observation('x.b', n * 2)];
    await repository.commit(upload(0), figures(0));
    const sizeOf = async () => JSON.stringify((await tableItems()).find((item) => item.sk === 'submission#2026-11')).length;
    const firstSize = await sizeOf();
    for (let n = 1; n <= corrections; n++) {
      expect((await repository.commit(upload(n), figures(n))).outcome).toBe('committed');
    }

    const history = await repository.history(department, '2026-11');
    expect(history).toHaveLength(corrections);
    expect(history.map((slice) => slice.observations.map((o) => o.value))).toEqual(Array.from({ length: corrections }, (_, n) => [n, n * 2]));
    expect(history.map((slice) => [slice.submission.sequencer, slice.submission.supersededBy.sequencer])).toEqual(
      Array.from({ length: corrections }, (_, n) => [upload(n).sequencer, upload(n + 1).sequencer]),
    );
    expect(await currentValues('2026-11')).toEqual([
      ['2026-11', 'x.a', corrections],
      ['2026-11', 'x.b', corrections * 2],
    ]);
    // Nothing in the month's own item grows with corrections, its sign-off trail included (each revision keeps its
    // own): only its numbers (revision, version, the upload's sequencer and hash) get more digits.
    expect((await sizeOf()) - firstSize).toBeLessThanOrEqual(24);
  });

  it('names the month and what to do when the table holds an item of the earlier layout', async () => {
    await documents.send(
      new PutCommand({
        TableName: LOCAL_RESOURCES.observationsTable,
        Item: { pk: `department#${department}`, sk: 'submission#2026-11', ...submission(), upload: 'a1b2', history: [] },
      }),
    );
    const advice = `the ${department} 2026-11 item has no figures: the table was written by an earlier layout`;
    await expect(currentValues('2026-11')).rejects.toThrow(advice);
    await expect(repository.commit(submission({ sequencer: '0B', contentSha256: 'sha-2' }), [observation('x.a', 2)])).rejects.toThrow(advice);
  });
});
