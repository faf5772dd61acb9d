import { describe, expect, it } from 'vitest';
import { periodRange, snapshotCommand } from '../../cli/commands/snapshot.js';
import { UsageError } from '../../cli/usage.js';

describe('periodRange', () => {
  it.each([
    { from: '2026-11', to: '2026-11', months: ['2026-11'] },
    { from: '2026-11', to: '2027-02', months: ['2026-11', '2026-12', '2027-01', '2027-02'] },
  ])('runs from $from to $to, both included', ({ from, to, months }) => {
    expect(periodRange(from, to)).toEqual(months);
  });

  it('refuses a range that runs backwards', () => {
    expect(() => periodRange('2026-11', '2026-01')).toThrow(UsageError);
  });
});

describe('snapshotCommand', () => {
  it.each([
    { case: 'a period and a range at once', values: { period: '2026-11', from: '2026-01', to: '2026-11' }, message: 'give either --period or --from and --to' },
    { case: 'a range without its end', values: { from: '2026-01' }, message: '--to must be a month written YYYY-MM, e.g. 2026-11' },
    { case: 'a malformed start', values: { from: '2026-1', to: '2026-11' }, message: '--from must be a month written YYYY-MM, e.g. 2026-11' },
    { case: 'a rebuild without a reason', values: { period: '2026-11', rebuild: true }, message: '--rebuild needs a --reason: why the published month is rewritten' },
    { case: 'a rebuild with a blank reason', values: { period: '2026-11', rebuild: true, reason: '  ' }, message: '--rebuild needs a --reason: why the published month is rewritten' },
    { case: 'a rebuild of a range', values: { from: '2026-01', to: '2026-11', rebuild: true, reason: 'x' }, message: '--rebuild rewrites one month: give --period' },
    { case: 'a reason without a rebuild', values: { period: '2026-11', reason: 'x' }, message: '--reason goes with --rebuild' },
    { case: 'a draft of a range', values: { from: '2026-01', to: '2026-11', draft: true }, message: '--draft writes one month not yet published: give --period, without --rebuild' },
    { case: 'a draft that is a rebuild', values: { period: '2026-11', draft: true, rebuild: true, reason: 'x' }, message: '--draft writes one month not yet published: give --period, without --rebuild' },
  ])('refuses $case before starting the local stores', async ({ values, message }) => {
    await expect(snapshotCommand({ values: { ...values, data: '/nonexistent' } })).rejects.toThrow(new UsageError(message));
  });
});
