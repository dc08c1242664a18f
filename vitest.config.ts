import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: fast unit and integration tests (core + server, PGlite in memory, or
 * PostgreSQL when TEST_DATABASE_URL is set) and the browser end-to-end suite.
 */
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one test file at a time on the
    // 2-core machines we run on, the second core left to the main process. Each file runs in
    // a process of its own with its own PGlite (one thread), so two files at once use both
    // cores. The same for every project (vitest refuses projects of one group that differ);
    // e2e runs its files one by one all the same (fileParallelism: false).
    // VITEST_MAX_WORKERS or --maxWorkers overrides it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'core',
          include: ['core/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts'],
          globalSetup: ['server/src/test/globalSetup.ts'],
          testTimeout: 30_000,
          // A file's beforeAll opens its database and builds the whole app: a few seconds on
          // an idle machine, past a minute on a shared one with a load of 25 (seen).
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['web/e2e/**/*.test.ts'],
          globalSetup: ['web/e2e/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A browser test that fails is run once more before the run fails. Each wait is on
          // state, but CI's machine is shared and a slow one has failed a test on something
          // never seen locally (stops 22 and 23: one test each, in 900): a bug fails both
          // runs; the report names a test that passed on its second run, to be looked at.
          retry: 1,
          // expect.poll waits on state; its default cap of 1 s failed a sign-in on a busy CI
          // machine whose text had not been written yet. The cap is only for state that never comes.
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
  },
});
