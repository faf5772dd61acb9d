import { describe, expect, it } from 'vitest';
import type { ReviewState } from '../../shared/review/review.js';
import { buildSnapshot, restatementsPublished, type MonthReview } from '../../shared/snapshot/index.js';
import { headline } from '../../shared/snapshot/report-model.js';
import { testInput } from '../fixtures.js';
import { monthReview, restatement, warning } from './review-fixtures.js';

/** The test input's months signed off as given: science reports October and November, education October. */
const signedOff = (states: Partial<Record<'sci-10' | 'sci-11' | 'edu-09', ReviewState>>, reviews: MonthReview[] = []) =>
  buildSnapshot({
    ...testInput,
    reviews: [
      ...(states['sci-10'] ? [monthReview('science', '2026-10', states['sci-10'])] : []),
      ...(states['sci-11'] ? [monthReview('science', '2026-11', states['sci-11'])] : []),
      ...(states['edu-09'] ? [monthReview('education', '2026-09', states['edu-09'])] : []),
      ...reviews,
    ],
  });

const signOffOf = (snapshot: ReturnType<typeof buildSnapshot>, indicator: string) => snapshot.indicators.find((r) => r.indicator === indicator)?.signOff;

describe("a row's sign-off", () => {
  it.each([
    { case: 'a flow whose every summed month is approved', states: { 'sci-10': 'approved', 'sci-11': 'approved' }, indicator: 'sci.platforms', signOff: 'official' },
    { case: 'a flow summing an earlier month still submitted', states: { 'sci-10': 'submitted', 'sci-11': 'approved' }, indicator: 'sci.platforms', signOff: 'provisional' },
    { case: 'a flow whose own month was returned', states: { 'sci-10': 'approved', 'sci-11': 'returned' }, indicator: 'sci.platforms', signOff: 'provisional' },
    { case: "a ratio: only its own month counts", states: { 'sci-10': 'submitted', 'sci-11': 'approved' }, indicator: 'sci.rd_intensity', signOff: 'official' },
    { case: 'a month with figures and no review (stored before sign-off)', states: {}, indicator: 'sci.rd_intensity', signOff: 'provisional' },
    { case: 'a milestone carried from an approved month', states: { 'edu-09': 'approved' }, indicator: 'edu.designation', signOff: 'official' },
    { case: 'a milestone carried from a submitted month', states: { 'edu-09': 'submitted' }, indicator: 'edu.designation', signOff: 'provisional' },
  ] as const)('$case: $signOff', ({ states, indicator, signOff }) => {
    expect(signOffOf(signedOff(states), indicator)).toBe(signOff);
  });

  it('is null without a figure', () => {
    const snapshot = buildSnapshot({ ...testInput, period: '2026-08', reviews: [monthReview('science', '2026-08', 'approved')] });
    expect(snapshot.indicators.map((r) => [r.indicator, r.signOff])).toEqual([
      ['sci.platforms', null],
      ['sci.rd_intensity', null],
      ['sci.city_average', null],
      ['edu.designation', null],
    ]);
  });
});

describe("a warned figure's explanation", () => {
  const explained = (review: Parameters<typeof monthReview>[3], noted = false) =>
    buildSnapshot({
      ...testInput,
      observations: testInput.observations.map((o) => (noted && o.indicator === 'sci.platforms' && o.period === '2026-11' ? { ...o, note: '两个平台合并 two platforms merged' } : o)),
      reviews: [monthReview('science', '2026-11', 'approved', review)],
    }).indicators.find((r) => r.indicator === 'sci.platforms')?.explanation;

  it.each([
    {
      case: 'typed on the portal',
      review: { warnings: [warning('sci.platforms')], explanations: { 'sci.platforms': { text: 'a merger', by: 'clerk-sci', at: '2026-12-03T01:00:00.000Z', source: 'portal' as const } } },
      noted: true,
      explanation: 'a merger',
    },
    { case: "the note on the figure's row, when none was typed", review: { warnings: [warning('sci.platforms')] }, noted: true, explanation: '两个平台合并 two platforms merged' },
    { case: 'none for a figure no warning questioned, even with a note', review: {}, noted: true, explanation: null },
  ])('$case', ({ review, noted, explanation }) => {
    expect(explained(review, noted)).toBe(explanation);
  });
});

describe("a department's sign-off in completeness", () => {
  it.each([
    { state: 'submitted', signOff: 'provisional' },
    { state: 'returned', signOff: 'provisional' },
    { state: 'approved', signOff: 'official' },
  ] as const)('a month $state is reported $signOff', ({ state, signOff }) => {
    const science = signedOff({ 'sci-11': state }).departments.find((d) => d.department === 'science');
    expect(science).toMatchObject({ reported: true, reviewState: state, signOff });
  });

  it('a department that has not reported the month has no sign-off', () => {
    expect(signedOff({ 'sci-11': 'approved' }).departments.find((d) => d.department === 'education')).toMatchObject({ reported: false, reviewState: null, signOff: null });
  });
});

describe('the headline counts official targets only', () => {
  it.each([
    { case: 'every month approved', states: { 'sci-10': 'approved', 'sci-11': 'approved' }, counted: { good: 2, behind: 0, targets: 2, provisional: 0, carried: 1 } },
    { case: 'the month approved, a summed month not', states: { 'sci-10': 'submitted', 'sci-11': 'approved' }, counted: { good: 1, behind: 0, targets: 1, provisional: 1, carried: 1 } },
    { case: 'the month submitted', states: { 'sci-10': 'approved', 'sci-11': 'submitted' }, counted: { good: 0, behind: 0, targets: 0, provisional: 2, carried: 1 } },
    { case: 'the month returned', states: { 'sci-10': 'approved', 'sci-11': 'returned' }, counted: { good: 0, behind: 0, targets: 0, provisional: 2, carried: 1 } },
  ] as const)('$case: $counted', ({ states, counted }) => {
    const { good, behind, targets, provisional, carried } = headline(signedOff(states));
    expect({ good, behind, targets, provisional, carried }).toEqual(counted);
  });

  it('counts the statuses of the official targets alone', () => {
    expect([...headline(signedOff({ 'sci-10': 'submitted', 'sci-11': 'approved' })).counts]).toEqual([['achieved', 1]]);
  });
});

describe('the restatements a snapshot lists', () => {
  const locked = (period: string, lockedAt: string, restatements: ReturnType<typeof restatement>[] = [], department = 'science') =>
    monthReview(department, period, 'approved', { lockedAt, restatements });
  const september = restatement('science', '2026-09', 'sci.platforms', '2026-10-20T01:00:00.000Z');
  const octoberEarly = restatement('science', '2026-10', 'sci.platforms', '2026-11-20T01:00:00.000Z');
  const octoberLate = restatement('science', '2026-10', 'sci.rd_intensity', '2026-12-16T01:00:00.000Z');
  const educationOctober = restatement('education', '2026-10', 'edu.designation', '2026-11-20T01:00:00.000Z', false, true);
  const reviews = [
    locked('2026-09', '2026-10-15T02:00:00.000Z', [september]),
    locked('2026-10', '2026-11-15T02:00:00.000Z', [octoberEarly, octoberLate]),
    locked('2026-10', '2026-11-15T02:00:00.000Z', [educationOctober], 'education'),
    // November was published on December 15th; a late arrival locked by a rebuild does not move that.
    locked('2026-11', '2026-12-15T02:00:00.000Z'),
    locked('2026-11', '2027-01-03T08:00:00.000Z', [], 'education'),
  ];

  it.each([
    { case: 'October: approved after September was published and by October was', period: '2026-10', listed: [september] },
    { case: 'November: those approved between the two publications, by approval, then department', period: '2026-11', listed: [educationOctober, octoberEarly] },
    { case: "December, not yet published: every one since November's publication", period: '2026-12', listed: [octoberLate] },
    { case: 'September, with no publication before it', period: '2026-09', listed: [] },
  ])('$case', ({ period, listed }) => {
    expect(restatementsPublished(reviews, period)).toEqual(listed);
  });

  it('ends up in the snapshot of the month, and the same whichever order the months are read in', () => {
    const snapshot = buildSnapshot({ ...testInput, reviews: [...reviews].reverse() });
    expect(snapshot.restatements).toEqual([educationOctober, octoberEarly]);
  });
});
