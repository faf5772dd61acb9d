import { describe, expect, it } from 'vitest';
import type { Period } from '../../shared/calendar.js';
import { makeDeadlineCheck } from '../../shared/observability/deadlines.js';
import type { Submission } from '../../shared/observation.js';

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
    ['the due day, before publication', '2026-12-10T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
    ['the publication day itself', '2026-12-15T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
    ['the day after publication without a snapshot', '2026-12-16T09:00:00+08:00', [], { period: '2026-11', snapshotMissing: true, lateDepartments: ['science', 'vocational'] }],
    ['the day after publication with it', '2026-12-16T09:00:00+08:00', ['2026-11'], { period: '2026-11', snapshotMissing: false, lateDepartments: ['science', 'vocational'] }],
  ] as const)('on %s', async (_, now, snapshots, expected) => {
    expect(await check([...snapshots])(new Date(now))).toEqual(expected);
  });
});
