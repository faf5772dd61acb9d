import { describe, expect, it } from 'vitest';
import { assertUploadStorableLocally } from '../../cli/local/pipeline.js';
import { UnstorableKeyError } from '../../cli/local/stores.js';

/** Whether the local run takes an upload: the key itself, and the import report and annotated copy the ingest function names after it. */
function refusal(key: string): string | null {
  try {
    assertUploadStorableLocally(key);
    return null;
  } catch (error) {
    if (error instanceof UnstorableKeyError) return error.message;
    throw error;
  }
}

describe('assertUploadStorableLocally', () => {
  it.each([
    { case: 'the template of a month', key: 'incoming/science/science-2026-11.xlsx' },
    { case: 'a name of 67 Chinese characters, whose annotated copy just fits', key: `incoming/science/${'科'.repeat(67)}.xlsx` },
    { case: 'an upload outside every department folder', key: 'incoming/科技局月报.xlsx' },
  ])('takes $case', ({ key }) => {
    expect(refusal(key)).toBeNull();
  });

  it.each([
    { case: 'a name of 68 Chinese characters, whose annotated copy does not fit', key: `incoming/science/${'科'.repeat(68)}.xlsx`, says: 'its import report would go to "reports/science/' },
    { case: 'a name of 80 Chinese characters, too long itself', key: `incoming/science/${'科'.repeat(80)}.xlsx`, says: 'part 3 has 245 bytes' },
    { case: 'a key climbing out of its folder', key: 'incoming/science/../../x.xlsx', says: 'part 3 is ".."' },
  ])('refuses $case, naming the upload', ({ key, says }) => {
    const message = refusal(key);
    expect(message).toContain(`The local S3 stand-in cannot store "${key}": `);
    expect(message).toContain(says);
  });
});
