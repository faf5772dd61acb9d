/**
 * What the page gets for node:crypto: shared/s3-keys.ts hashes over-long file names with it when it builds a key,
 * and the page only reads file names from keys, so the bundle drops this; should a key ever be built here, it says so.
 */
export function createHash(): never {
  throw new Error('keys are built by the functions, not by the page');
}
