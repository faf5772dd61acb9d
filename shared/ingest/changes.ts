import type { Observation } from '../observation.js';
import type { Period } from '../calendar.js';

/**
 * How one figure differs between the slice an upload replaced and the upload's own:
 * a new value for an indicator, an indicator reported for the first time, or one left out
 * (which is no longer current: a correction replaces the month whole).
 */
export type Change =
  | { indicator: string; period: Period; change: 'changed'; from: Observation['value']; to: Observation['value'] }
  | { indicator: string; period: Period; change: 'added'; to: Observation['value'] }
  | { indicator: string; period: Period; change: 'removed'; from: Observation['value'] };

type Figure = Pick<Observation, 'indicator' | 'period' | 'value'>;

const keyOf = (figure: Figure) => `${figure.period} ${figure.indicator}`;

/** The changes from `before` to `after`, in the order of `after` with removals last; unchanged figures are left out. */
export function changesBetween(before: readonly Figure[], after: readonly Figure[]): Change[] {
  const previous = new Map(before.map((figure) => [keyOf(figure), figure]));
  const current = new Set(after.map(keyOf));
  const updates = after.flatMap(({ indicator, period, value }): Change[] => {
    const old = previous.get(keyOf({ indicator, period, value }));
    if (!old) return [{ indicator, period, change: 'added', to: value }];
    return old.value === value ? [] : [{ indicator, period, change: 'changed', from: old.value, to: value }];
  });
  const removals = before
    .filter((figure) => !current.has(keyOf(figure)))
    .map(({ indicator, period, value }): Change => ({ indicator, period, change: 'removed', from: value }));
  return [...updates, ...removals];
}
