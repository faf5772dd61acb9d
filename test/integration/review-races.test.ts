import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import type { Observation, Submission } from '../../shared/observation.js';
import type { CommitResult, MonthReviews, ObservationHistory, ObservationRepository } from '../../shared/ports.js';
import { principalOf } from '../../shared/roles.js';
import { decide, explain, locked, ReviewRefusal, type AuditEntry, type FigureWarning, type MonthRecord } from '../../shared/review/review.js';
import { observation as baseObservation, submission as baseSubmission } from '../fixtures.js';

/**
 * Two actors changing one month at once, each race run many rounds (a fresh department each round), and every
 * round checked item by item: the month ends in one state that one of the two orders explains, never a mix.
 */
const ROUNDS = 50;
const PERIOD = '2026-11';
const TABLE = LOCAL_RESOURCES.observationsTable;
const NOW = new Date('2026-12-03T08:00:00.000Z');
const LOCKED_AT = '2026-12-10T00:00:00.000Z';

let directory: string;
let stores: LocalStores;
let documents: DynamoDBDocumentClient;
let repository: ObservationRepository & ObservationHistory & MonthReviews;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'review-races-'));
  stores = await startLocalStores(directory);
  documents = DynamoDBDocumentClient.from(stores.dynamo);
  repository = dynamoObservationRepository(documents, TABLE);
});

afterAll(async () => {
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

let run = 0;
/** A department of its own for each round, so that no round sees another's items. */
const freshDepartment = (race: string) => `${race}-${++run}`;

const upload = (department: string, n: number): Submission => ({
  ...baseSubmission(department, PERIOD),
  sequencer: `0A${n}`,
  contentSha256: `sha-${n}`,
  uploadedAt: `2026-12-0${n}T09:00:00.000Z`,
  uploader: `clerk-${n}`,
});
const figuresOf = (department: string, value: number): Observation[] => [
  baseObservation('sci.platforms', PERIOD, value, department),
  baseObservation('sci.rd_intensity', PERIOD, value / 10, department),
];
/** The figures as the slice of their upload holds them: their lineage is the upload. */
const uploadedIn = ({ bucket, key, versionId, sequencer, uploadedAt, uploader }: Submission, figures: Observation[]): Observation[] =>
  figures.map((o) => ({ ...o, lineage: { ...o.lineage, bucket, key, versionId, sequencer, uploadedAt, uploader } }));
const warning = (indicator: string): FigureWarning => ({ indicator, code: 'value.implausible', message: 'far above last month', sheet: 'Sheet1', cell: 'C3' });

const headOf = (department: string, user = 'head-wang') => principalOf(user, null, [`head:${department}`]);
const clerkOf = (department: string) => principalOf('clerk-li', null, [`clerk:${department}`]);
const office = principalOf('office-sun', null, ['office']);

const revisionSortKey = (revision: number) => `revision#${PERIOD}#${String(revision).padStart(6, '0')}`;

/** An item as the table holds it, read strongly consistent. */
async function rawItem(department: string, sortKey: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: `department#${department}`, sk: sortKey }, ConsistentRead: true }));
  return Item;
}

/** Every item of the department, in key order. */
async function itemsOf(department: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `department#${department}` }, ConsistentRead: true }),
  );
  return Items;
}

interface StoredReview {
  state: string;
  lockedAt: string | null;
  audit: AuditEntry[];
  correction: { submission: Submission; figures: { indicator: string; value: unknown }[] } | null;
}
/** The fields the race checks read off a raw item. */
function stored(item: Record<string, unknown> | undefined): { revision: unknown; version: unknown; sequencer: unknown; values: unknown[]; review: StoredReview } {
  if (!item) throw new Error('the item is missing');
  const figures = item.figures as { value: unknown }[];
  return { revision: item.revision, version: item.version, sequencer: item.sequencer, values: figures.map((f) => f.value), review: item.review as StoredReview };
}
const actionsOf = (audit: readonly AuditEntry[]) => audit.map((entry) => `${entry.action}@${entry.revision}`);

type Settled<T> = { ok: true; value: T } | { ok: false; code: string };
async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof ReviewRefusal) return { ok: false, code: error.code };
    throw error;
  }
}

/** The month's step, as the portal's handlers run it: the review rule inside the repository's retry loop. */
const decision = (department: string, step: (record: MonthRecord) => MonthRecord | null) => settle(repository.update(department, PERIOD, step));

/** A department's month submitted by its first upload, with one warned figure its clerk explained. */
async function submittedMonth(race: string): Promise<string> {
  const department = freshDepartment(race);
  expect(await repository.commit(upload(department, 1), figuresOf(department, 4), [warning('sci.platforms')])).toEqual({ outcome: 'committed', replaced: null });
  await repository.update(department, PERIOD, (record) => explain(record, { 'sci.platforms': 'a new lab opened' }, clerkOf(department), NOW));
  return department;
}

/** Runs a race ROUNDS times, each round on a month of a department of its own, submitted and explained. */
async function rounds(race: string, round: (department: string, n: number) => Promise<void>): Promise<void> {
  for (let n = 0; n < ROUNDS; n++) await round(await submittedMonth(race), n);
}

/** Starts a step after a head start of the other actor, so that the rounds interleave the two in many ways. */
const after = <T>(headStart: number, start: () => Promise<T>): Promise<T> => new Promise<void>((resolve) => setTimeout(resolve, headStart)).then(start);

/** Runs the two actors of a round at once, alternating which one gets a head start, of 0 to 7 ms. */
const atOnce = <A, B>(round: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
  const headStart = Math.floor(round / 2) % 8;
  return round % 2 === 0 ? Promise.all([a(), after(headStart, b)]) : Promise.all([after(headStart, a), b()]);
};

describe('two heads deciding the same month at once', () => {
  it.each([
    ['two heads of the department', 'head-chen', false],
    ['the same head twice', 'head-wang', false],
    ['two heads who both name the revision they saw', 'head-chen', true],
  ])('lets exactly one of an approval and a return land, for %s', { timeout: 120_000 }, async (_case, secondHead, givenRevision) => {
    await rounds('heads', async (department, round) => {
      const revision = givenRevision ? 1 : undefined;
      const [approval, ret] = await atOnce(
        round,
        () => decision(department, (record) => decide(record, 'approve', undefined, headOf(department), NOW, revision).record),
        () => decision(department, (record) => decide(record, 'return', 'the total is off', headOf(department, secondHead), NOW, revision).record),
      );

      // Exactly one landed; the other was decided again on the winner's record and refused.
      expect([approval.ok, ret.ok].sort()).toEqual([false, true]);
      const loser = approval.ok ? ret : approval;
      expect(loser).toEqual({ ok: false, code: 'month.not_submitted' });
      const state = approval.ok ? 'approved' : 'returned';

      const item = stored(await rawItem(department, `submission#${PERIOD}`));
      expect(item.review.state).toBe(state);
      expect(actionsOf(item.review.audit)).toEqual(['submitted@1', 'explained@1', `${state}@1`]);
      // The commit, the explanation and the one decision: three writes, no more.
      expect(item).toMatchObject({ revision: 1, version: 3, values: [4, 0.4] });
      expect((await itemsOf(department)).map((i) => i.sk)).toEqual([`submission#${PERIOD}`]);
      const winner = approval.ok ? approval.value : ret.ok ? ret.value : undefined;
      expect(await repository.month(department, PERIOD)).toEqual(winner);
    });
  });
});

describe("a head's approval racing a corrected upload", () => {
  it('approves the figures the head saw, kept with their revision, or is refused as changed: never approves unseen figures', { timeout: 120_000 }, async () => {
    await rounds('upload', async (department, round) => {
      const corrected = upload(department, 2);
      const [approval, commit] = await atOnce(
        round,
        () => decision(department, (record) => decide(record, 'approve', undefined, headOf(department), NOW, 1).record),
        () => repository.commit(corrected, figuresOf(department, 5), []),
      );

      // The upload lands either way, as the month's next revision, waiting for the head again.
      expect(commit.outcome).toBe('committed');
      const current = stored(await rawItem(department, `submission#${PERIOD}`));
      expect(current).toMatchObject({ revision: 2, sequencer: corrected.sequencer, values: [5, 0.5] });
      expect(current.review.state).toBe('submitted');
      expect(actionsOf(current.review.audit)).toEqual(['submitted@2']);
      const first = stored(await rawItem(department, revisionSortKey(1)));
      expect(first).toMatchObject({ revision: 1, values: [4, 0.4] });

      if (approval.ok) {
        // The approval landed on revision 1, and the upload made revision 2 on top of it.
        expect(approval.value?.revision).toBe(1);
        expect(first.review.state).toBe('approved');
        expect(actionsOf(first.review.audit)).toEqual(['submitted@1', 'explained@1', 'approved@1']);
      } else {
        // The upload came first: the head saw revision 1, which is no longer the month's figures.
        expect(approval).toEqual({ ok: false, code: 'month.changed' });
        expect(first.review.state).toBe('submitted');
        expect(actionsOf(first.review.audit)).toEqual(['submitted@1', 'explained@1']);
      }
      expect(commit.replaced?.observations).toEqual(uploadedIn(upload(department, 1), figuresOf(department, 4)));
      expect(actionsOf(await repository.trail(department, PERIOD))).toEqual([...actionsOf(first.review.audit), 'submitted@2']);
    });
  });
});

describe('a correction racing the lock of its month', () => {
  it('either commits before the lock or is held as the locked month’s correction, never both, never lost; its redelivery writes nothing', { timeout: 120_000 }, async () => {
    await rounds('lock', async (department, round) => {
      await repository.update(department, PERIOD, (record) => decide(record, 'approve', undefined, headOf(department), NOW).record);
      const corrected = upload(department, 2);
      const [lock, commit] = await atOnce(
        round,
        () => repository.update(department, PERIOD, (record) => locked(record, new Date(LOCKED_AT))),
        () => repository.commit(corrected, figuresOf(department, 5), [warning('sci.rd_intensity')]),
      );

      const current = stored(await rawItem(department, `submission#${PERIOD}`));
      // Locked either way: the lock is never lost to the upload.
      expect(current.review.lockedAt).toBe(LOCKED_AT);
      expect(lock?.review.lockedAt).toBe(LOCKED_AT);
      const items = await itemsOf(department);
      if (commit.outcome === 'committed') {
        expect(current).toMatchObject({ revision: 2, sequencer: corrected.sequencer, values: [5, 0.5] });
        expect(current.review).toMatchObject({ state: 'submitted', correction: null });
        expect(actionsOf(current.review.audit)).toEqual(['submitted@2', 'locked@2']);
        const first = stored(await rawItem(department, revisionSortKey(1)));
        expect(first.review).toMatchObject({ state: 'approved', lockedAt: null });
        expect(items.map((i) => i.sk).sort()).toEqual([revisionSortKey(1), `submission#${PERIOD}`]);
      } else {
        expect(commit).toEqual({ outcome: 'held', replaced: expect.objectContaining({ observations: uploadedIn(upload(department, 1), figuresOf(department, 4)) }) });
        // The published figures stay current; the correction waits beside them.
        expect(current).toMatchObject({ revision: 1, sequencer: upload(department, 1).sequencer, values: [4, 0.4] });
        expect(current.review.state).toBe('approved');
        expect(current.review.correction?.submission).toMatchObject({ sequencer: corrected.sequencer, contentSha256: corrected.contentSha256 });
        expect(current.review.correction?.figures.map((f) => f.value)).toEqual([5, 0.5]);
        expect(actionsOf(current.review.audit)).toEqual(['submitted@1', 'explained@1', 'approved@1', 'locked@1', 'correction_submitted@2']);
        // The upload's attempt that lost to the lock may leave its copy of revision 1, which is no history: nothing replaced it.
        expect(items.map((i) => i.sk).filter((sk) => sk !== revisionSortKey(1))).toEqual([`submission#${PERIOD}`]);
        expect(await repository.history(department, PERIOD)).toEqual([]);
        expect(await repository.trail(department, PERIOD)).toEqual(current.review.audit);
      }

      // The same upload delivered again reports what it did, and writes nothing.
      const again: CommitResult = await repository.commit(corrected, figuresOf(department, 5), [warning('sci.rd_intensity')]);
      expect(again.outcome).toBe(commit.outcome);
      expect(await itemsOf(department)).toEqual(items);
    });
  });
});

describe("a head's return racing the lock of the month", () => {
  it('either returns the month before it is locked, or is refused as locked: never an unlocked month, never a return after the lock', { timeout: 120_000 }, async () => {
    await rounds('return', async (department, round) => {
      const [lock, ret] = await atOnce(
        round,
        () => repository.update(department, PERIOD, (record) => locked(record, new Date(LOCKED_AT))),
        () => decision(department, (record) => decide(record, 'return', 'the total is off', headOf(department), NOW, 1).record),
      );

      const current = stored(await rawItem(department, `submission#${PERIOD}`));
      expect(current.review.lockedAt).toBe(LOCKED_AT);
      expect(await repository.month(department, PERIOD)).toEqual(lock);
      if (ret.ok) {
        expect(current.review.state).toBe('returned');
        expect(actionsOf(current.review.audit)).toEqual(['submitted@1', 'explained@1', 'returned@1', 'locked@1']);
      } else {
        expect(ret).toEqual({ ok: false, code: 'month.locked' });
        expect(current.review.state).toBe('submitted');
        expect(actionsOf(current.review.audit)).toEqual(['submitted@1', 'explained@1', 'locked@1']);
      }
      // The commit, the explanation, the lock, and the return if it landed.
      expect(current).toMatchObject({ revision: 1, version: ret.ok ? 4 : 3 });
    });
  });
});

describe("a locked month's correction approved by the reform office", () => {
  it('lists every step of the sign-off once in the trail, each with the revision it was about', async () => {
    const department = await submittedMonth('restated');
    await repository.update(department, PERIOD, (record) => decide(record, 'approve', undefined, headOf(department), NOW).record);
    await repository.update(department, PERIOD, (record) => locked(record, new Date(LOCKED_AT)));
    expect((await repository.commit(upload(department, 2), figuresOf(department, 5), [warning('sci.rd_intensity')])).outcome).toBe('held');
    await repository.update(department, PERIOD, (record) => explain(record, { 'sci.rd_intensity': 'the survey was redone' }, clerkOf(department), NOW, 2));
    const restated = await repository.update(department, PERIOD, (record) => decide(record, 'approve', 'the count missed a platform', office, NOW, 2).record);

    expect(restated).toMatchObject({ revision: 2, review: { state: 'approved', lockedAt: LOCKED_AT, correction: null } });
    expect(actionsOf(await repository.trail(department, PERIOD))).toEqual([
      'submitted@1',
      'explained@1',
      'approved@1',
      'locked@1',
      'correction_submitted@2',
      'explained@2',
      'restated@2',
    ]);
    // The month's own item keeps this revision's steps only: the published revision's stay in its revision item.
    expect(actionsOf(stored(await rawItem(department, `submission#${PERIOD}`)).review.audit)).toEqual(['restated@2']);
    expect(stored(await rawItem(department, revisionSortKey(1))).review.state).toBe('approved');
  });
});

describe("a locked month's correction returned by the reform office", () => {
  it('is not held again when its upload is delivered again, nor is an older upload arriving late; a newer one is', async () => {
    const department = await submittedMonth('returned-correction');
    await repository.update(department, PERIOD, (record) => decide(record, 'approve', undefined, headOf(department), NOW).record);
    await repository.update(department, PERIOD, (record) => locked(record, new Date(LOCKED_AT)));
    const older = upload(department, 2);
    const returned = upload(department, 3);
    expect((await repository.commit(returned, figuresOf(department, 5), [])).outcome).toBe('held');
    await repository.update(department, PERIOD, (record) => decide(record, 'return', 'the wrong month', office, NOW).record);
    const items = await itemsOf(department);

    expect(await repository.commit(returned, figuresOf(department, 5), [])).toEqual({ outcome: 'duplicate', replaced: null });
    expect(await repository.commit(older, figuresOf(department, 7), [])).toEqual({ outcome: 'superseded', replaced: null });
    expect(await itemsOf(department)).toEqual(items);
    expect((await repository.commit(upload(department, 4), figuresOf(department, 6), [])).outcome).toBe('held');
    expect(stored(await rawItem(department, `submission#${PERIOD}`)).review.correction?.submission.sequencer).toBe('0A4');
  });
});

describe("the copy of a month's revision made by an upload that loses its race", () => {
  it("never overwrites the copy the winner made after a decision: the approval stays in the revision's audit", async () => {
    const department = await submittedMonth('copy');
    // The first upload reads the submitted month and is held just before its copy of revision 1 reaches the table.
    let reachedCopy: () => void = () => undefined;
    const atCopy = new Promise<void>((resolve) => (reachedCopy = resolve));
    let releaseCopy: () => void = () => undefined;
    const copyReleased = new Promise<void>((resolve) => (releaseCopy = resolve));
    let held = false;
    const slow = {
      send: async (command: unknown) => {
        if (!held && command instanceof PutCommand && command.input.Item?.entity === 'Revision') {
          held = true;
          reachedCopy();
          await copyReleased;
        }
        return documents.send(command as PutCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const late = dynamoObservationRepository(slow, TABLE).commit(upload(department, 2), figuresOf(department, 5), []);
    await atCopy;

    // Meanwhile the head approves revision 1, and a later upload makes revision 2, copying the approved revision 1.
    await repository.update(department, PERIOD, (record) => decide(record, 'approve', undefined, headOf(department), NOW, 1).record);
    expect((await repository.commit(upload(department, 3), figuresOf(department, 6), [])).outcome).toBe('committed');
    releaseCopy();
    expect(await late).toEqual({ outcome: 'superseded', replaced: null });

    const first = stored(await rawItem(department, revisionSortKey(1)));
    expect(first.review.state).toBe('approved');
    expect(actionsOf(await repository.trail(department, PERIOD))).toEqual(['submitted@1', 'explained@1', 'approved@1', 'submitted@2']);
    expect(stored(await rawItem(department, `submission#${PERIOD}`))).toMatchObject({ revision: 2, sequencer: upload(department, 3).sequencer, values: [6, 0.6] });
  });
});
