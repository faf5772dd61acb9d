import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { LOCAL_RESOURCES } from '../../cli/local/stores.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import type { Period } from '../../shared/calendar.js';
import type { Submission } from '../../shared/observation.js';
import { decide } from '../../shared/review/review.js';
import type { Principal } from '../../shared/roles.js';
import { REPORT_FILE, snapshotKey } from '../../shared/s3-keys.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { observation, submission } from '../fixtures.js';

/**
 * Sign-off through the real snapshot function on the embedded stores: submitted months are provisional, approved ones
 * official; publishing locks the month and writes it once; a correction after the lock is held until the reform office
 * approves it, and then the next month's snapshot lists the restatement while the published month keeps its bytes.
 */
const OCTOBER: Period = '2026-10';
const NOVEMBER: Period = '2026-11';
const PLATFORMS = 'sci.new_innovation_platforms';
const INCUBATORS = 'sci.national_incubators';
const ENROLMENT = 'voc.haitang_enrolment';

const head = (department: string): Principal => ({ user: `head-${department}`, email: null, roles: [{ kind: 'head', department }] });
const OFFICE: Principal = { user: 'office-li', email: null, roles: [{ kind: 'office' }] };

let directory: string;
let pipeline: LocalPipeline & { close(): Promise<void> };
let repository: ReturnType<typeof dynamoObservationRepository>;

const decoder = new TextDecoder();
const readText = async (period: Period, file: string) => decoder.decode(await pipeline.read(LOCAL_RESOURCES.snapshotBucket, snapshotKey(period, file)));
const progressOf = async (period: Period) => JSON.parse(await readText(period, 'progress.json')) as Snapshot;
const rowOf = (snapshot: Snapshot, indicator: string) => snapshot.indicators.find((r) => r.indicator === indicator);

/** The sha256 of every object of a month's partition, by key. */
async function partitionHashes(period: Period): Promise<Record<string, string>> {
  const { Contents = [] } = await pipeline.stores.s3.send(new ListObjectsV2Command({ Bucket: LOCAL_RESOURCES.snapshotBucket, Prefix: snapshotKey(period, '') }));
  const hashes = await Promise.all(
    Contents.map(async ({ Key = '' }) => [Key, createHash('sha256').update(await pipeline.read(LOCAL_RESOURCES.snapshotBucket, Key)).digest('hex')] as const),
  );
  return Object.fromEntries(hashes);
}

/** A month's upload of a department, its figures' lineage its own. */
async function commit(department: string, period: Period, figures: [string, number][], upload: Partial<Submission> = {}) {
  const submitted: Submission = { ...submission(department, period, figures.map(([id]) => id)), ...upload };
  const observations = figures.map(([id, value]) => {
    const o = observation(id, period, value, department);
    return { ...o, lineage: { ...o.lineage, key: submitted.key, uploadedAt: submitted.uploadedAt, sequencer: submitted.sequencer } };
  });
  return repository.commit(submitted, observations);
}

const approve = (department: string, period: Period, by: Principal, reason?: string) =>
  repository.update(department, period, (record) => decide(record, 'approve', reason, by, new Date()).record);

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'snapshot-sign-off-'));
  pipeline = await startLocalPipeline(directory);
  repository = dynamoObservationRepository(DynamoDBDocumentClient.from(pipeline.stores.dynamo), LOCAL_RESOURCES.observationsTable);
  // Science is submitted for October and not yet approved; vocational is approved.
  await commit('science', OCTOBER, [[PLATFORMS, 3], [INCUBATORS, 5]]);
  await commit('vocational', OCTOBER, [[ENROLMENT, 4100]]);
  await approve('vocational', OCTOBER, head('vocational'));
});

afterAll(async () => {
  await pipeline.close();
  rmSync(directory, { recursive: true, force: true });
});

/** October's files as first published: every later step compares with them. */
let published: Record<string, string> = {};

describe('publishing a month', () => {
  it('marks a submitted month provisional and an approved one official, in every output, and counts only the official', async () => {
    expect(await pipeline.snapshot(OCTOBER)).toMatchObject({ outcome: 'written' });
    const october = await progressOf(OCTOBER);
    expect(rowOf(october, PLATFORMS)).toMatchObject({ value: 3, signOff: 'provisional' });
    expect(rowOf(october, ENROLMENT)).toMatchObject({ value: 4100, signOff: 'official' });
    expect(rowOf(october, 'edu.group_schooling_coverage')).toMatchObject({ value: null, signOff: null });
    expect(october.departments.map((d) => [d.department, d.reviewState, d.signOff])).toEqual([
      ['science', 'submitted', 'provisional'],
      ['education', null, null],
      ['vocational', 'approved', 'official'],
    ]);
    const csv = await readText(OCTOBER, 'progress.csv');
    expect(csv.split('\r\n').find((line) => line.includes(`,${PLATFORMS},`))).toContain(',provisional,');
    const html = await readText(OCTOBER, REPORT_FILE);
    expect(html).toMatch(new RegExp(`data-indicator="${PLATFORMS}"[^>]*data-sign-off="provisional"`));
    expect(html).toContain('data-provisional-count');
    expect(html).toContain('data-provisional>');
    published = await partitionHashes(OCTOBER);
  });

  it('locks every month of the period that has figures', async () => {
    for (const department of ['science', 'vocational']) {
      const month = await repository.month(department, OCTOBER);
      expect(month?.review.lockedAt, department).toEqual(expect.any(String));
      expect(month?.review.audit.at(-1)).toMatchObject({ action: 'locked', by: 'snapshot' });
    }
  });

  it('leaves every file of a published month byte for byte on a second scheduled run', async () => {
    const again = await pipeline.snapshot(OCTOBER);
    expect(again.outcome).toBe('already_published');
    expect(again.files.map((f) => f.key).sort()).toEqual(Object.keys(published).sort());
    expect(await partitionHashes(OCTOBER)).toEqual(published);
  });
});

describe('a correction of the published month', () => {
  const CORRECTION = { key: 'incoming/science/science-2026-10-corrected.xlsx', uploadedAt: '2026-12-20T02:00:00.000Z', contentSha256: 'c'.repeat(64), uploader: 'clerk-sci' };

  it('is held while the published figures stay current', async () => {
    expect(await commit('science', OCTOBER, [[PLATFORMS, 5], [INCUBATORS, 5]], CORRECTION)).toMatchObject({ outcome: 'held' });
    const [current] = await repository.slicesIn('science', { from: OCTOBER, to: OCTOBER });
    expect(current?.observations.map((o) => [o.indicator, o.value])).toEqual([
      [PLATFORMS, 3],
      [INCUBATORS, 5],
    ]);
    expect((await repository.month('science', OCTOBER))?.review.correction?.slice.submission.key).toBe(CORRECTION.key);
  });

  it("is listed by the next month's snapshot once the office approved it, and the published month keeps its bytes", async () => {
    // The head of science cannot approve a correction of a published month: only the reform office can.
    await expect(approve('science', OCTOBER, head('science'), 'a late lab')).rejects.toThrow(/reform office/);
    await approve('science', OCTOBER, OFFICE, 'two labs were left out of the count');
    await commit('science', NOVEMBER, [[PLATFORMS, 4]]);
    await approve('science', NOVEMBER, head('science'));
    expect(await pipeline.snapshot(NOVEMBER)).toMatchObject({ outcome: 'written' });

    const november = await progressOf(NOVEMBER);
    expect(november.restatements).toEqual([
      expect.objectContaining({
        department: 'science',
        period: OCTOBER,
        indicator: PLATFORMS,
        from: 3,
        to: 5,
        requestedAt: CORRECTION.uploadedAt,
        requestedBy: 'clerk-sci',
        approvedBy: OFFICE.user,
        reason: 'two labs were left out of the count',
        sourceKey: CORRECTION.key,
      }),
    ]);
    // October's approved correction is official now; the flow sums it with November's approved figure.
    expect(rowOf(november, PLATFORMS)).toMatchObject({ value: 9, signOff: 'official' });
    expect(JSON.parse(await readText(NOVEMBER, 'restatements.json'))).toMatchObject({ period: NOVEMBER, restatements: november.restatements });
    expect((await readText(NOVEMBER, 'restatements.csv')).split('\r\n')[1]).toContain(`science,${OCTOBER},${PLATFORMS},count,3.0,,5.0,`);
    const html = await readText(NOVEMBER, REPORT_FILE);
    expect(html).toContain(`data-restatement="science ${OCTOBER} ${PLATFORMS}"`);
    expect(html).toContain('two labs were left out of the count');
    expect(await partitionHashes(OCTOBER)).toEqual(published);
  });

  it('is written into the published month only by a rebuild with a reason', async () => {
    const before = await partitionHashes(OCTOBER);
    const rebuilt = await pipeline.snapshot(OCTOBER, { reason: 'the office asked for the restated October report', requestedBy: 'test' });
    expect(rebuilt.outcome).toBe('written');
    const after = await partitionHashes(OCTOBER);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after[snapshotKey(OCTOBER, 'progress.json')]).not.toBe(before[snapshotKey(OCTOBER, 'progress.json')]);
    expect(rowOf(await progressOf(OCTOBER), PLATFORMS)).toMatchObject({ value: 5, signOff: 'official' });
  });
});

describe('an upload racing the lock', () => {
  const AUGUST: Period = '2026-08';
  const COVERAGE = 'edu.group_schooling_coverage';

  it('ends in one consistent state: committed before the lock and published, or held after it beside the published figure', async () => {
    await commit('education', AUGUST, [[COVERAGE, 60]]);
    const later = { key: 'incoming/education/education-2026-08-again.xlsx', uploadedAt: '2026-09-09T02:00:00.000Z', contentSha256: 'd'.repeat(64) };
    const [{ outcome }] = await Promise.all([commit('education', AUGUST, [[COVERAGE, 75]], later), pipeline.snapshot(AUGUST)]);
    const month = await repository.month('education', AUGUST);
    const published = rowOf(await progressOf(AUGUST), COVERAGE)?.value;
    expect(month?.review.lockedAt).toEqual(expect.any(String));
    expect(published).toBe(month?.slice.observations[0]?.value);
    if (outcome === 'held') {
      expect(published).toBe(60);
      expect(month?.review.correction?.slice.observations.map((o) => o.value)).toEqual([75]);
    } else {
      expect(outcome).toBe('committed');
      expect(published).toBe(75);
      expect(month?.review.correction).toBeNull();
    }
  });
});
