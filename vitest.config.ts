import { defineConfig } from 'vitest/config';

/** Tests that run the compiled CLI (or a child process of it) need dist/: the global setup builds it once. */
const SPAWNING = [
  'test/e2e/**/*.test.ts',
  'test/cli/doctor.test.ts',
  'test/api/har.test.ts',
  'test/simulator/cli.test.ts',
  'test/cli/usage.test.ts',
  'test/hostile/corpus.test.ts',
];
const GUARANTEES = ['test/guarantees/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A process warning fails the test that caused it (every project).
    setupFiles: ['test/support/no-warnings.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...SPAWNING, ...GUARANTEES],
          // One module cache per worker: imports dominated the unit run (74 s → 29 s here); no test relies on fresh modules.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'e2e', include: SPAWNING, globalSetup: ['test/global-setup.ts'] } },
      {
        extends: true,
        test: { name: 'guarantees', include: GUARANTEES, globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
