import { describe, expect, it } from 'vitest';
import { deadlinesAt, makeDeadlineCheck } from '../../shared/observability/deadlines.js';
import type { Period } from '../../shared/period.js';
import type { Submission } from '../../shared/observation.js';

describe('deadlinesAt', () => {
  it.each([
    // The district's day, not UTC's: 23:30 UTC on the 1st is already the 2nd in Chongqing.
    ['2026-12-01T23:30:00Z', 10, { period: '2026-11', snapshotDue: true, reportingDue: false }],
    ['2026-12-01T15:59:00Z', 10, { period: '2026-11', snapshotDue: false, reportingDue: false }],
    ['2026-12-09T12:00:00+08:00', 10, { period: '2026-11', snapshotDue: true, reportingDue: false }],
    ['2026-12-10T00:00:00+08:00', 10, { period: '2026-11', snapshotDue: true, reportingDue: true }],
    ['2027-01-05T09:00:00+08:00', 5, { period: '2026-12', snapshotDue: true, reportingDue: true }],
    ['2027-01-01T09:00:00+08:00', 1, { period: '2026-12', snapshotDue: false, reportingDue: true }],
  ])('at %s with due day %i: %o', (now, dueDay, expected) => {
    expect(deadlinesAt(new Date(now), dueDay)).toEqual(expected);
  });
});

describe('the deadline check', () => {
  const departments = [{ id: 'science' }, { id: 'education' }, { id: 'vocational' }];
  const reported = new Set(['education@2026-11']);
  const check = (snapshots: Period[]) =>
    makeDeadlineCheck({
      departments,
      observations: {
        submission: async (department, period) => (reported.has(`${department}@${period}`) ? ({ department, period } as Submission) : undefined),
      },
      snapshotExists: async (period) => snapshots.includes(period),
      dueDay: 10,
    });

  it.each([
    ['the 1st', '2026-12-01T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: false, lateDepartments: [] }],
    ['the 2nd without a snapshot', '2026-12-02T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: true, lateDepartments: [] }],
    ['the 2nd with it', '2026-12-02T09:00:00+08:00', ['2026-11'], { period: '2026-11', snapshotMissing: false, lateDepartments: [] }],
    ['the due day', '2026-12-10T09:00:00+08:00', ['2026-11'], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
  ] as const)('on %s', async (_, now, snapshots, expected) => {
    expect(await check([...snapshots])(new Date(now))).toEqual(expected);
  });
});
