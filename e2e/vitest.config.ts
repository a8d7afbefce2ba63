import { defineConfig } from 'vitest/config';

/** Browser specs share one running platform (started in global setup) and run one file at a time. */
export default defineConfig({
  test: {
    include: ['e2e/specs/**/*.spec.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
