import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { moreToCome, nextPollDelay } from '../../portal/src/lib/polling.js';

describe('nextPollDelay', () => {
  it('asks every 700 ms in the first minute, every 3 s after it, and stops at five minutes', () => {
    expect([0, 59_999, 60_000, 299_999, 300_000, 400_000].map(nextPollDelay)).toEqual([700, 700, 3_000, 3_000, null, null]);
  });
});

describe('moreToCome', () => {
  const withAnnotation = (status: string) => ({ annotation: { status, message: '' } }) as unknown as ImportReport;
  it.each([
    ['an upload still being checked', 'processing', null, true],
    ['a verdict whose annotated copy is still being written', 'rejected', withAnnotation('pending'), true],
    ['a verdict with its annotated copy written', 'rejected', withAnnotation('written'), false],
    ['a verdict on a file that is no .xlsx, which gets no annotated copy', 'rejected', withAnnotation('not_xlsx'), false],
    ['an upload that failed', 'failed', null, false],
  ] as const)('is %s: %s', (_, status, report, expected) => {
    expect(moreToCome({ status, report })).toBe(expected);
  });
});
