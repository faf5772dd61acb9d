import { describe, expect, it } from 'vitest';
import {
  addMonths,
  deadlinesAt,
  districtDateTimeAt,
  dueDateOf,
  isOnTime,
  isPeriod,
  monthsBetween,
  periodAt,
  periodEnd,
  periodParts,
  previousPeriod,
  yearToDate,
} from '../../shared/calendar.js';
import { UncoveredYearError } from '../../shared/working-days.js';

describe('periods', () => {
  it.each([
    { period: '2026-11', months: 1, later: '2026-12' },
    { period: '2026-11', months: 2, later: '2027-01' },
    { period: '2026-11', months: -11, later: '2025-12' },
    { period: '2026-01', months: -1, later: '2025-12' },
  ])('$period plus $months months is $later', ({ period, months, later }) => {
    expect(addMonths(period, months)).toBe(later);
    expect(monthsBetween(period, later)).toBe(months);
  });

  it.each([
    { period: '2026-02', end: '2026-02-28' },
    { period: '2028-02', end: '2028-02-29' },
    { period: '2026-12', end: '2026-12-31' },
  ])('$period ends on $end', ({ period, end }) => {
    expect(periodEnd(period)).toBe(end);
  });

  it.each([
    ['2026-11', true],
    ['2026-13', false],
    ['2026-1', false],
    ['202611', false],
    ['2026-11-01', false],
  ])('%s is a period: %s', (text, expected) => {
    expect(isPeriod(text)).toBe(expected);
  });

  it('refuses to take apart what is not a period', () => {
    expect(() => periodParts('November')).toThrow(RangeError);
  });
});

describe('periodAt', () => {
  it.each([
    // Midnight in Chongqing is 16:00 UTC the day before.
    { instant: '2026-11-30T16:00:00Z', period: '2026-12' },
    { instant: '2026-11-30T15:59:59.999Z', period: '2026-11' },
    { instant: '2026-12-31T23:59:59+08:00', period: '2026-12' },
  ])('is $period at $instant, the district\'s month', ({ instant, period }) => {
    expect(periodAt(new Date(instant))).toBe(period);
  });
});

describe('districtDateTimeAt', () => {
  it.each([
    ['2026-11-30T17:51:00.000Z', '2026-12-01 01:51'],
    ['2026-12-02T04:05:59.999Z', '2026-12-02 12:05'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01 00:00'],
  ])('puts %s at %s in the district', (instant, wallClock) => {
    expect(districtDateTimeAt(new Date(instant))).toBe(wallClock);
  });
});

describe('dueDateOf', () => {
  it.each([
    { period: '2026-11', dueDay: 10, due: '2026-12-10' },
    { period: '2026-06', dueDay: 1, due: '2026-07-01' },
    // A make-up working Saturday (调休) of the Spring Festival: the due day stays.
    { period: '2026-01', dueDay: 28, due: '2026-02-28' },
    { period: '2026-09', dueDay: 10, due: '2026-10-10' },
  ])('is the due day of the month after, $due for $period with due day $dueDay, when that is a working day', ({ period, dueDay, due }) => {
    expect(dueDateOf(period, dueDay)).toBe(due);
  });

  it.each([
    { period: '2025-12', dueDay: 10, due: '2026-01-12', why: 'a Saturday' },
    { period: '2026-09', dueDay: 5, due: '2026-10-08', why: 'in the National Day holiday' },
    { period: '2026-01', dueDay: 15, due: '2026-02-24', why: 'in the Spring Festival holiday' },
    { period: '2026-04', dueDay: 2, due: '2026-05-06', why: 'in the Labour Day holiday' },
  ])('moves to the next working day, $due for $period with due day $dueDay ($why)', ({ period, dueDay, due }) => {
    expect(dueDateOf(period, dueDay)).toBe(due);
  });

  it('is a configuration error when the due day is in a year the holiday table does not hold', () => {
    expect(() => dueDateOf('2026-12', 10)).toThrow(UncoveredYearError);
  });

  it.each([0, 29, 2.5])('refuses due day %j, which not every month has', (dueDay) => {
    expect(() => dueDateOf('2026-11', dueDay)).toThrow(RangeError);
  });
});

describe('isOnTime', () => {
  it.each([
    { uploadedAt: '2026-12-10T15:59:59.999Z', onTime: true, why: 'the last millisecond of the due day in Chongqing' },
    { uploadedAt: '2026-12-10T16:00:00.000Z', onTime: false, why: 'midnight after the due day in Chongqing' },
    { uploadedAt: '2026-12-10T23:00:00+08:00', onTime: true, why: 'late evening of the due day, local time' },
    { uploadedAt: '2026-11-20T09:00:00Z', onTime: true, why: 'inside the month itself' },
  ])('is $onTime at $uploadedAt: $why', ({ uploadedAt, onTime }) => {
    expect(isOnTime(uploadedAt, '2026-12-10')).toBe(onTime);
  });
});

describe('yearToDate', () => {
  it.each([
    { period: '2026-01', months: ['2026-01'] },
    { period: '2026-03', months: ['2026-01', '2026-02', '2026-03'] },
  ])('runs from January to $period', ({ period, months }) => {
    expect(yearToDate(period)).toEqual(months);
  });
});

describe('previousPeriod', () => {
  it.each([
    { now: '2026-12-01T02:00:00+08:00', period: '2026-11' },
    { now: '2026-11-30T16:00:00Z', period: '2026-11' },
    { now: '2026-11-30T15:59:59Z', period: '2026-10' },
    { now: '2027-01-01T00:30:00+08:00', period: '2026-12' },
    { now: '2026-03-15T12:00:00+08:00', period: '2026-02' },
  ])('is $period at $now', ({ now, period }) => {
    expect(previousPeriod(new Date(now))).toBe(period);
  });
});

describe('deadlinesAt', () => {
  it.each([
    // The district's day, not UTC's: 23:30 UTC on the 15th is already the 16th in Chongqing.
    ['2026-12-15T23:30:00Z', 10, { period: '2026-11', snapshotDue: true, reportingDue: true }],
    ['2026-12-15T15:59:00Z', 10, { period: '2026-11', snapshotDue: false, reportingDue: true }],
    ['2026-12-09T12:00:00+08:00', 10, { period: '2026-11', snapshotDue: false, reportingDue: false }],
    ['2026-12-10T00:00:00+08:00', 10, { period: '2026-11', snapshotDue: false, reportingDue: true }],
    ['2026-11-05T09:00:00+08:00', 5, { period: '2026-10', snapshotDue: false, reportingDue: true }],
    ['2026-02-16T09:00:00+08:00', 1, { period: '2026-01', snapshotDue: true, reportingDue: true }],
    // The due date, not the due day: the 5th of October is in the National Day holiday, so October's 8th is the due date.
    ['2026-10-07T09:00:00+08:00', 5, { period: '2026-09', snapshotDue: false, reportingDue: false }],
    ['2026-10-08T00:00:00+08:00', 5, { period: '2026-09', snapshotDue: false, reportingDue: true }],
  ])('at %s with due day %i: %o', (now, dueDay, expected) => {
    expect(deadlinesAt(new Date(now), dueDay)).toEqual(expected);
  });

  it('is a configuration error when the due date is in a year the holiday table does not hold', () => {
    expect(() => deadlinesAt(new Date('2027-01-11T09:00:00+08:00'), 10)).toThrow(UncoveredYearError);
  });

  it.each([0, 29])('refuses due day %j', (dueDay) => {
    expect(() => deadlinesAt(new Date('2026-12-10T09:00:00+08:00'), dueDay)).toThrow(RangeError);
  });
});
