import { describe, expect, it } from 'vitest';
import { readLimits } from '../../shared/config.js';
import { DEFAULT_READ_LIMITS } from '../../shared/workbook/limits.js';

describe('readLimits', () => {
  it('gives the defaults when nothing is set', () => {
    expect(readLimits({})).toEqual({ maxUncompressedBytes: 64 * 2 ** 20, maxCells: 200_000, maxRows: 10_000, maxColumns: 200 });
    expect(readLimits({ WORKBOOK_MAX_CELLS: '' })).toEqual(DEFAULT_READ_LIMITS);
  });

  it('takes each limit from its variable, sizes in MiB', () => {
    const env = { WORKBOOK_MAX_UNPACKED_MB: '16', WORKBOOK_MAX_CELLS: '5000', WORKBOOK_MAX_ROWS: '500', WORKBOOK_MAX_COLUMNS: '30' };

    expect(readLimits(env)).toEqual({ maxUncompressedBytes: 16 * 2 ** 20, maxCells: 5000, maxRows: 500, maxColumns: 30 });
  });

  it.each(['0', '-1', '1.5', 'lots'])('fails naming the variable when one is %s', (text) => {
    expect(() => readLimits({ WORKBOOK_MAX_ROWS: text })).toThrow(`WORKBOOK_MAX_ROWS must be a positive whole number, not "${text}"`);
  });

  it('names every variable that is wrong at once', () => {
    expect(() => readLimits({ WORKBOOK_MAX_ROWS: 'x', WORKBOOK_MAX_CELLS: '0' })).toThrow(
      'Invalid configuration: WORKBOOK_MAX_CELLS must be a positive whole number, not "0"; WORKBOOK_MAX_ROWS must be a positive whole number, not "x"',
    );
  });
});
