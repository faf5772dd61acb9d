import { describe, expect, it } from 'vitest';
import { changesBetween } from '../../shared/ingest/changes.js';

const figure = (indicator: string, value: number | boolean, period = '2026-11') => ({ indicator, period, value });

describe('what a correction changed', () => {
  it.each([
    ['nothing, for the same figures', [figure('a', 1), figure('b', true)], [figure('a', 1), figure('b', true)], []],
    ['a new value', [figure('a', 1)], [figure('a', 1.5)], [{ indicator: 'a', period: '2026-11', change: 'changed', from: 1, to: 1.5 }]],
    ['a milestone done', [figure('m', false)], [figure('m', true)], [{ indicator: 'm', period: '2026-11', change: 'changed', from: false, to: true }]],
    ['a figure reported for the first time', [figure('a', 1)], [figure('a', 1), figure('b', 0)], [{ indicator: 'b', period: '2026-11', change: 'added', to: 0 }]],
    ['a figure left out, which is no longer current', [figure('a', 1), figure('b', 2)], [figure('a', 1)], [{ indicator: 'b', period: '2026-11', change: 'removed', from: 2 }]],
    ['everything added when the month had no figures', [], [figure('a', 1)], [{ indicator: 'a', period: '2026-11', change: 'added', to: 1 }]],
    [
      'months apart, never matched across',
      [figure('a', 1, '2026-10')],
      [figure('a', 1, '2026-11')],
      [
        { indicator: 'a', period: '2026-11', change: 'added', to: 1 },
        { indicator: 'a', period: '2026-10', change: 'removed', from: 1 },
      ],
    ],
  ])('%s', (_case, before, after, changes) => {
    expect(changesBetween(before, after)).toEqual(changes);
  });

  it('lists changes and additions in the order of the new file, removals last', () => {
    expect(changesBetween([figure('x', 1), figure('b', 2)], [figure('c', 3), figure('b', 4)]).map((c) => `${c.change} ${c.indicator}`)).toEqual([
      'added c',
      'changed b',
      'removed x',
    ]);
  });
});
