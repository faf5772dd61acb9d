import { defineConfig } from 'vitest/config';

/** The tests that run LibreOffice itself (npm run test:office): only where it is installed, so not in npm test. */
export default defineConfig({
  test: {
    include: ['test/office/*.test.ts'],
    testTimeout: 240_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
