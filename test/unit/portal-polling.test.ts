import { describe, expect, it } from 'vitest';
import { nextPollDelay } from '../../portal/src/lib/polling.js';

describe('nextPollDelay', () => {
  it('asks every 700 ms in the first minute, every 3 s after it, and stops at five minutes', () => {
    expect([0, 59_999, 60_000, 299_999, 300_000, 400_000].map(nextPollDelay)).toEqual([700, 700, 3_000, 3_000, null, null]);
  });
});
