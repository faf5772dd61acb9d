import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The page's budget: everything the browser downloads, each file gzipped, under 100 KB together. */
export const PORTAL_GZIP_BUDGET = 100 * 1024;

/** The gzipped bytes of every file in a built folder, its subfolders included, added up. */
export async function gzippedSize(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const sizes = await Promise.all(files.map(async (file) => gzipSync(await readFile(file), { level: 9 }).byteLength));
  return sizes.reduce((total, size) => total + size, 0);
}
