import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.js';

describe('reading a function configuration', () => {
  it('gives each variable its type', () => {
    const env = { OBSERVATIONS_TABLE_NAME: 'observations', REPORTING_DUE_DAY: '10' };
    expect(readConfig(['observationsTable', 'dueDay'], env)).toEqual({ observationsTable: 'observations', dueDay: 10 });
  });

  it.each([
    [{}, 'OBSERVATIONS_TABLE_NAME must be set'],
    [{ OBSERVATIONS_TABLE_NAME: '' }, 'OBSERVATIONS_TABLE_NAME must not be empty'],
    [{ OBSERVATIONS_TABLE_NAME: 't', REPORTING_DUE_DAY: '31' }, 'REPORTING_DUE_DAY must be between 1 and 28'],
    [{ OBSERVATIONS_TABLE_NAME: 't', REPORTING_DUE_DAY: '10.5' }, 'REPORTING_DUE_DAY must be a whole day of the month'],
    [{ OBSERVATIONS_TABLE_NAME: 't', REPORTING_DUE_DAY: 'tenth' }, 'REPORTING_DUE_DAY must be a number'],
    [{ OBSERVATIONS_TABLE_NAME: 't' }, 'REPORTING_DUE_DAY must be set'],
  ])('fails fast with %j, naming the variable', (env, message) => {
    expect(() => readConfig(['observationsTable', 'dueDay'], env)).toThrow(message);
  });
});
