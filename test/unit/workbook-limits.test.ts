import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, readLimitsFrom } from '../../shared/workbook/limits.js';

describe('readLimitsFrom', () => {
  it('gives the defaults when nothing is set', () => {
    expect(readLimitsFrom({})).toEqual({ maxUncompressedBytes: 64 * 2 ** 20, maxCells: 200_000, maxRows: 10_000, maxColumns: 200 });
    expect(readLimitsFrom({ WORKBOOK_MAX_CELLS: '' })).toEqual(DEFAULT_READ_LIMITS);
  });

  it('takes each limit from its variable, sizes in MiB', () => {
    const env = { WORKBOOK_MAX_UNPACKED_MB: '16', WORKBOOK_MAX_CELLS: '5000', WORKBOOK_MAX_ROWS: '500', WORKBOOK_MAX_COLUMNS: '30' };

    expect(readLimitsFrom(env)).toEqual({ maxUncompressedBytes: 16 * 2 ** 20, maxCells: 5000, maxRows: 500, maxColumns: 30 });
  });

  it.each(['0', '-1', '1.5', 'lots'])('fails naming the variable when one is %s', (text) => {
    expect(() => readLimitsFrom({ WORKBOOK_MAX_ROWS: text })).toThrow(`WORKBOOK_MAX_ROWS must be a positive whole number, not "${text}"`);
  });
});
