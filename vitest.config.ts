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
/** Statistical, scale and linearity tests (hundreds of requests, 10,000+ rows, property runs): `npm run test:slow`. */
const SLOW = ['test/**/*.slow.test.ts'];

/**
 * In-process tests get a worker per core (vitest's default leaves one free: a single worker on 2 cores, and
 * much of a unit test waits on sockets). They run first; the tests that spawn the CLI run after them, also a
 * worker per core: most of their time is spent waiting on the simulator's latency and on child processes,
 * and one at a time they took 540 s of a 600 s run on 2 cores (two at a time: 317 s, every file passing).
 * Projects of one group must share maxWorkers.
 */
const IN_PROCESS = { maxWorkers: '100%', sequence: { groupOrder: 0 } };
const SPAWNED = { maxWorkers: '100%', sequence: { groupOrder: 1 } };

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
          exclude: [...SPAWNING, ...GUARANTEES, ...SLOW],
          // One module cache per worker: imports dominated the unit run (74 s → 29 s here); no test relies on fresh modules.
          isolate: false,
          ...IN_PROCESS,
        },
      },
      {
        extends: true,
        // Under load a property run took over 30 s: these get room, the fast loop does not wait for them.
        test: { name: 'slow', include: SLOW, isolate: false, testTimeout: 120_000, ...IN_PROCESS },
      },
      {
        extends: true,
        test: { name: 'e2e', include: SPAWNING, globalSetup: ['test/global-setup.ts'], ...SPAWNED },
      },
      {
        extends: true,
        test: { name: 'guarantees', include: GUARANTEES, globalSetup: ['test/global-setup.ts'], ...SPAWNED },
      },
    ],
  },
});
