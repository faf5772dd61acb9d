import { resolve } from 'node:path';
import { build } from 'vite';
import { portalConfig } from './vite.config.js';

/**
 * Builds the page into `outDir` (emptied first), as `vite build --config portal/vite.config.ts` does. A relative
 * `outDir` is taken from the working directory, where Vite itself would take it from portal/.
 */
export async function buildPortal(outDir: string): Promise<void> {
  await build({ ...portalConfig, configFile: false, build: { ...portalConfig.build, outDir: resolve(outDir), emptyOutDir: true } });
}
