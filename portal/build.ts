import { build } from 'vite';
import { portalConfig } from './vite.config.js';

/** Builds the page into `outDir` (emptied first), as `vite build --config portal/vite.config.ts` does. */
export async function buildPortal(outDir: string): Promise<void> {
  await build({ ...portalConfig, configFile: false, build: { ...portalConfig.build, outDir, emptyOutDir: true } });
}
