import { describe, expect, it } from 'vitest';
import { lazily } from '../../shared/lazily.js';

describe('lazily', () => {
  it('makes nothing until first asked, then makes once for every caller, even callers at the same time', async () => {
    let made = 0;
    const value = lazily(async () => {
      made += 1;
      return { made };
    });
    expect(made).toBe(0);
    const [first, second] = await Promise.all([value(), value()]);
    const third = await value();
    expect(made).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });
});
