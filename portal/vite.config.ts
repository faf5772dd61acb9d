import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/** The page's own folder: index.html and src/. */
export const PORTAL_ROOT = fileURLToPath(new URL('.', import.meta.url));

/**
 * The page as static files: index.html and hashed assets, nothing inlined (the CSP allows only the page's own
 * scripts and styles), nothing fetched from elsewhere. `vite build --config portal/vite.config.ts --outDir <dir>`.
 */
export const portalConfig: UserConfig = {
  root: PORTAL_ROOT,
  // config.json is written beside the page by whoever serves it, not built into it.
  publicDir: false,
  logLevel: 'warn',
  resolve: { alias: { 'node:crypto': fileURLToPath(new URL('src/node-crypto-stand-in.ts', import.meta.url)) } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    rolldownOptions: {
      treeshake: {
        // shared/calendar.ts builds its due-day schema when loaded; the page never checks a due day, and declaring
        // the builder pure keeps zod out of the bundle.
        manualPureFunctions: ['dueDaySchema'],
      },
    },
  },
};

export default defineConfig(portalConfig);
