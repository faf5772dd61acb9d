import { describe, expect, it } from 'vitest';
import { holidayTableOf, isWorkingDay, nextWorkingDay, UncoveredYearError, workingDaysBefore, workingDaysBetween } from '../../shared/working-days.js';

// The cases are the State Council's 2026 schedule (国办发明电〔2025〕7号, 2025-11-04) as chinese-days carries it.

describe('isWorkingDay', () => {
  it.each([
    ['2026-01-09', true, 'a Friday'],
    ['2026-01-10', false, 'a Saturday'],
    ['2026-01-11', false, 'a Sunday'],
    ['2026-01-01', false, "New Year's Day"],
    ['2026-01-04', true, "a make-up working Sunday (调休) after New Year's Day"],
    ['2026-02-14', true, 'a make-up working Saturday (调休) before the Spring Festival'],
    ['2026-02-16', false, 'a Monday in the Spring Festival holiday'],
    ['2026-02-23', false, 'the last day of the Spring Festival holiday, a Monday'],
    ['2026-02-24', true, 'the first working day after the Spring Festival'],
    ['2026-02-28', true, 'a make-up working Saturday (调休) after the Spring Festival'],
    ['2026-09-20', true, 'a make-up working Sunday (调休) before National Day'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'the last day of the National Day holiday, a Wednesday'],
    ['2026-10-08', true, 'the Thursday after National Day'],
    ['2026-10-10', true, 'a make-up working Saturday (调休) after National Day'],
    ['2026-10-11', false, 'the Sunday after it'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });
});

describe('nextWorkingDay', () => {
  it.each([
    ['2026-01-10', '2026-01-12', 'a Saturday moves to the Monday'],
    ['2026-10-10', '2026-10-10', 'a make-up working Saturday stays'],
    ['2026-10-01', '2026-10-08', 'National Day moves past the holiday'],
    ['2026-10-05', '2026-10-08', 'a day in the National Day holiday moves past it'],
    ['2026-02-15', '2026-02-24', 'the Spring Festival holiday moves past it'],
    ['2026-02-13', '2026-02-13', 'a working Friday stays'],
    ['2025-12-31', '2025-12-31', 'a working day stays, in an earlier year too'],
  ])('of %s is %s: %s', (date, next) => {
    expect(nextWorkingDay(date)).toBe(next);
  });
});

describe('workingDaysBefore', () => {
  it.each([
    { date: '2026-10-10', count: 3, days: ['2026-09-30', '2026-10-08', '2026-10-09'] },
    { date: '2026-10-08', count: 2, days: ['2026-09-29', '2026-09-30'] },
    { date: '2026-02-24', count: 2, days: ['2026-02-13', '2026-02-14'] },
    { date: '2026-01-05', count: 2, days: ['2025-12-31', '2026-01-04'] },
    { date: '2026-03-02', count: 1, days: ['2026-02-28'] },
    { date: '2026-10-10', count: 0, days: [] },
  ])('are $days for $count before $date, skipping weekends and holidays, counting make-up days', ({ date, count, days }) => {
    expect(workingDaysBefore(date, count)).toEqual(days);
  });

  it.each([-1, 1.5])('refuses a count of %j', (count) => {
    expect(() => workingDaysBefore('2026-10-10', count)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it.each([
    { from: '2026-10-08', to: '2026-10-08', days: 0 },
    { from: '2026-09-30', to: '2026-10-08', days: 1 },
    { from: '2026-10-09', to: '2026-10-12', days: 2 },
    { from: '2026-02-13', to: '2026-02-24', days: 2 },
    { from: '2026-10-08', to: '2026-09-30', days: -1 },
  ])('from $from to $to is $days working days', ({ from, to, days }) => {
    expect(workingDaysBetween(from, to)).toBe(days);
  });
});

describe('a year the holiday table does not hold', () => {
  it.each([
    ['isWorkingDay', () => isWorkingDay('2027-01-04')],
    ['nextWorkingDay', () => nextWorkingDay('2027-01-10')],
    ['workingDaysBefore', () => workingDaysBefore('2004-01-05', 5)],
    ['workingDaysBetween', () => workingDaysBetween('2026-12-30', '2027-01-04')],
  ])('is a configuration error in %s, not a weekday guess', (_, call) => {
    expect(call).toThrow(UncoveredYearError);
  });

  it('names the year, what the table covers and what to do', () => {
    expect(() => isWorkingDay('2027-01-04')).toThrow(/no holidays or make-up working days for 2027.*covers 2004–2026.*Update chinese-days/);
  });
});

describe('the dates it takes', () => {
  it.each(['2026-02-30', '2026-2-3', '20261010', 'tomorrow'])('refuses %j', (date) => {
    expect(() => isWorkingDay(date)).toThrow(RangeError);
  });
});

describe('holidayTableOf', () => {
  const day = "New Year's Day,元旦,1";

  it('covers the years from the first to the last with a holiday', () => {
    const table = holidayTableOf({ holidays: { '2025-01-01': day, '2026-01-01': day }, workdays: { '2026-01-04': day }, inLieuDays: {} });
    expect(table.covered).toEqual({ first: 2025, last: 2026 });
    expect(table.workdays.has('2026-01-04')).toBe(true);
  });

  it.each([
    [{ holidays: { '2026-13-01': day }, workdays: {} }, 'holidays 2026-13-01 is not a date'],
    [{ holidays: { '2026-01-01': day }, workdays: { '2026-01-01': day } }, '2026-01-01 is both a holiday and a make-up working day'],
    [{ holidays: { '2026-01-01': day }, workdays: { '2026-01-05': day } }, '2026-01-05 is a make-up working day but not a Saturday or Sunday'],
    [{ holidays: { '2024-01-01': day, '2026-01-01': day }, workdays: {} }, 'the table has no holidays for 2025'],
    [{ holidays: {}, workdays: {} }, 'the table has no holidays'],
    [{ holidays: { '2026-01-01': day } }, 'the holiday table is not valid'],
  ])('refuses %j: %s', (data, message) => {
    expect(() => holidayTableOf(data)).toThrow(message);
  });
});
