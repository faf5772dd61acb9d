import { describe, expect, it } from 'vitest';
import type { NoticeRequest } from '../../shared/notify/notice.js';
import { dueNoticeOn, makeReminders, periodDueOn } from '../../shared/notify/remind.js';
import { submission } from '../fixtures.js';
import { DISTRICT_WORKING_DAYS } from '../../shared/working-days.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

// December 2026: the 10th (the due date) is a Thursday; the 5th and 6th, 12th and 13th are a weekend.
describe('what a day asks, for a month due on Thursday 2026-12-10', () => {
  it.each([
    ['2026-12-04', 3, null],
    ['2026-12-07', 3, { kind: 'reminder', workingDays: 3 }],
    ['2026-12-08', 3, { kind: 'reminder', workingDays: 2 }],
    ['2026-12-09', 3, { kind: 'reminder', workingDays: 1 }],
    ['2026-12-03', 5, { kind: 'reminder', workingDays: 5 }],
    ['2026-12-04', 5, { kind: 'reminder', workingDays: 4 }],
    ['2026-12-06', 5, null],
    ['2026-12-10', 3, null],
    ['2026-12-11', 3, { kind: 'escalation', workingDays: 1 }],
    ['2026-12-12', 3, null],
    ['2026-12-14', 3, { kind: 'escalation', workingDays: 2 }],
    ['2026-12-31', 3, { kind: 'escalation', workingDays: 15 }],
  ] as const)('%s with %i reminder days: %j', (on, days, expected) => {
    expect(dueNoticeOn(on, '2026-12-10', days, DISTRICT_WORKING_DAYS)).toEqual(expected);
  });

  it('is about the month before', () => {
    expect(periodDueOn('2026-12-07')).toBe('2026-11');
    expect(periodDueOn('2027-01-07')).toBe('2026-12');
  });
});

describe('the daily run', () => {
  function run(on: string) {
    const requested: NoticeRequest[] = [];
    const remind = makeReminders({
      departments: ['science', 'education'],
      observations: { submission: async (department, period) => (department === 'science' ? submission(department, period) : undefined) },
      calendar: DISTRICT_WORKING_DAYS,
      queue: { request: async (request) => void requested.push(request) },
      dueDay: 10,
      reminderDays: 3,
      logger: silent,
    });
    return remind(on).then(() => requested);
  }

  it.each([
    ['2026-12-08', [{ kind: 'reminder', department: 'education', period: '2026-11', on: '2026-12-08', workingDays: 2 }]],
    ['2026-12-14', [{ kind: 'escalation', department: 'education', period: '2026-11', on: '2026-12-14', workingDays: 2 }]],
    ['2026-12-01', []],
  ])('on %s asks only of the departments that have not submitted', async (on, requests) => {
    expect(await run(on)).toEqual(requests);
  });
});
