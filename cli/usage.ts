import { catalog } from '../shared/catalog/catalog.js';
import { isPeriod, type Period } from '../shared/calendar.js';

/** A mistake in how the command was called: shown as its message and the usage, exit status 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command called rightly on something it cannot take (a file name the local stores cannot hold): its message alone, exit status 1. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export function requireDepartment(value: string | undefined): string {
  const known = catalog.departments.map((d) => d.id);
  if (!value || !catalog.department(value)) throw new UsageError(`--department must be one of: ${known.join(', ')}`);
  return value;
}

export function requirePeriod(value: string | undefined, option = '--period'): Period {
  if (!value || !isPeriod(value)) throw new UsageError(`${option} must be a month written YYYY-MM, e.g. 2026-11`);
  return value;
}

export function requireValue(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`${option} is required`);
  return value;
}
