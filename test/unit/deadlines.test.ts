import { HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3ObjectListed } from '../../shared/aws/s3-object-store.js';
import type { Period } from '../../shared/calendar.js';
import { makeDeadlineCheck } from '../../shared/observability/deadlines.js';
import type { Submission } from '../../shared/observation.js';
import { MANIFEST_FILE, snapshotKey } from '../../shared/s3-keys.js';

describe('the deadline check', () => {
  const departments = [{ id: 'science' }, { id: 'education' }, { id: 'vocational' }];
  const reported = new Set(['education@2026-11']);
  const observations = {
    submission: async (department: string, period: Period) => (reported.has(`${department}@${period}`) ? ({ department, period } as Submission) : undefined),
  };
  const check = (snapshots: Period[]) =>
    makeDeadlineCheck({ departments, observations, snapshotExists: async (period) => snapshots.includes(period), dueDay: 10 });

  it.each([
    ['the 1st', '2026-12-01T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: false, lateDepartments: [] }],
    ['the due day, before publication', '2026-12-10T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
    ['the publication day itself', '2026-12-15T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
    ['the day after publication without a snapshot', '2026-12-16T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: true, lateDepartments: ['science', 'vocational'] }],
    ['the day after publication with it', '2026-12-16T09:00:00+08:00', ['2026-11'], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
  ] as const)('on %s', async (_, now, snapshots, expected) => {
    expect(await check([...snapshots])(new Date(now))).toEqual(expected);
  });

  describe('asking S3 as the function does, with a role that may list snapshots/ but not the whole bucket', () => {
    const s3 = mockClient(S3Client);
    const manifest = { Bucket: 'snapshots', Prefix: snapshotKey('2026-11', MANIFEST_FILE), MaxKeys: 1 };
    const checkS3 = () => {
      const listed = s3ObjectListed(s3 as unknown as S3Client);
      return makeDeadlineCheck({ departments, observations, snapshotExists: (period) => listed({ bucket: 'snapshots', key: snapshotKey(period, MANIFEST_FILE) }), dueDay: 10 });
    };
    const denied = new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    beforeEach(() => {
      s3.reset();
      // What S3 answers a HEAD of a missing key without s3:ListBucket on the whole bucket: the check must not ask it.
      s3.on(HeadObjectCommand).rejects(denied);
    });

    it.each([
      ['no key under it', []],
      ['only a longer key sharing its name', [{ Key: `${manifest.Prefix}.partial` }]],
    ])('reports a missing manifest as missing, not as a fault, when its listing has %s', async (_, Contents) => {
      s3.on(ListObjectsV2Command, manifest).resolves({ Contents });
      expect(await checkS3()(new Date('2026-12-16T09:00:00+08:00'))).toMatchObject({ period: '2026-11', snapshotMissing: true });
    });

    it('finds a manifest that is there', async () => {
      s3.on(ListObjectsV2Command, manifest).resolves({ Contents: [{ Key: manifest.Prefix }] });
      expect(await checkS3()(new Date('2026-12-16T09:00:00+08:00'))).toMatchObject({ snapshotMissing: false });
    });
  });
});
