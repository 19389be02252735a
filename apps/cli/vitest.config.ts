import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ first: the process tests run the built CLI, and must not test a stale build.
    globalSetup: ['test/support/build-cli.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default on 2 cores is one worker; these tests mostly wait on child processes and servers, and every
    // file uses its own databases, directories and catalogs, so two files run side by side.
    maxWorkers: 2,
    passWithNoTests: true,
  },
});
