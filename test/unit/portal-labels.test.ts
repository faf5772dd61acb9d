import { describe, expect, it } from 'vitest';
import { MONTH_STATUSES, UPLOAD_STATUSES } from '../../shared/portal/contract.js';
import { AUDIT_ACTIONS, MONTH_STATES } from '../../shared/review/review.js';
import { AUDIT_ACTION_LABELS, MONTH_STATE_LABELS, MONTH_STATUS_LABELS, UPLOAD_STATUS_LABELS, type StatusLabel } from '../../portal/src/lib/labels.js';
import { districtTimeText, timelinessOf } from '../../portal/src/lib/timeliness.js';

describe('status labels', () => {
  it.each<{ statuses: readonly string[]; labels: Record<string, StatusLabel> }>([
    { statuses: MONTH_STATUSES, labels: MONTH_STATUS_LABELS },
    { statuses: UPLOAD_STATUSES, labels: UPLOAD_STATUS_LABELS },
    { statuses: MONTH_STATES, labels: MONTH_STATE_LABELS },
  ])('tell every status apart in Chinese, in English and by a mark, without colour', ({ statuses, labels }) => {
    expect(Object.keys(labels).sort()).toEqual([...statuses].sort());
    const shown = Object.values(labels);
    for (const part of ['zh', 'en', 'mark'] as const) expect(new Set(shown.map((label) => label[part])).size).toBe(statuses.length);
    for (const label of shown) expect(label.zh).toMatch(/\p{Script=Han}/u);
  });
});

describe('audit action labels', () => {
  it('say every step of a sign-off differently, Chinese first', () => {
    const shown = AUDIT_ACTIONS.map((action) => AUDIT_ACTION_LABELS[action]);
    for (const part of ['zh', 'en'] as const) expect(new Set(shown.map((label) => label[part])).size).toBe(AUDIT_ACTIONS.length);
    for (const label of shown) expect(label.zh).toMatch(/\p{Script=Han}/u);
  });
});

describe('timelinessOf', () => {
  const due = '2026-11-10';
  it.each([
    { onTime: true, status: 'accepted', zh: '按时', en: 'on time' },
    { onTime: false, status: 'corrected', zh: '逾期报送', en: 'late' },
    { onTime: false, status: 'not_received', zh: '已逾期（截止 2026-11-10）', en: 'overdue (due 2026-11-10)' },
    { onTime: false, status: 'rejected', zh: '已逾期（截止 2026-11-10）', en: 'overdue (due 2026-11-10)' },
    { onTime: null, status: 'processing', zh: '截止 2026-11-10', en: 'due 2026-11-10' },
  ] as const)('says $en of a month $status with onTime $onTime', ({ onTime, status, zh, en }) => {
    expect(timelinessOf({ due, onTime, status })).toEqual({ zh, en });
  });
});

describe('districtTimeText', () => {
  it('reads an instant on the district clock, UTC+8, to the minute', () => {
    expect(districtTimeText('2026-11-10T16:05:59Z')).toBe('2026-11-11 00:05');
    expect(districtTimeText('2026-01-01T00:00:00.000Z')).toBe('2026-01-01 08:00');
  });

  it('leaves text that is no time as it is', () => {
    expect(districtTimeText('yesterday')).toBe('yesterday');
  });
});
