import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // They run LibreOffice, which npm ci cannot install: npm run test:office (vitest.office.config.ts).
    exclude: [...configDefaults.exclude, 'test/office/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The pinned SDK supports this machine's Node.js 20; its notice about future releases is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
