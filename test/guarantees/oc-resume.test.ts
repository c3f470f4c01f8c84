/**
 * Guarantee, the slow case: an OC Essentials create (v3, an async task that takes a while) whose
 * answer was lost, the process then killed before the task id was known. The service shows in the
 * listing only once its task is done, so `--resume` must look for it as long as the run itself would
 * have, and not send the create again while the first task is still running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { CUSTOMER_HEADERS, writeWorkbook } from '../fixtures/build-samples.js';
import { readJournal, spawnCli, waitUntil } from './helpers.js';
import { oc } from './secrets-workbook.js';

let sim: RunningSimulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('a lost OC create, then kill -9', () => {
  it.each([
    ['apply --resume', ['apply', '--resume']],
    ['a plain reconcile', ['reconcile']],
  ])(
    '%s waits for the running task instead of sending the create again',
    async (_name, next) => {
      // The task outlasts a plain read-back wait (5 s) but not the one a run gives an OC create.
      sim = await startSimulator({ port: 0, seed: 31, taskDurationMs: 8_000, dropAfterCommitRate: 1 });
      const s = sim;
      dir = mkdtempSync(join(tmpdir(), 'lpsync-guard-oc-'));
      const cwd = dir;
      const book = join(cwd, 'oc.xlsx');
      await writeWorkbook(book, [
        {
          name: 'Customers',
          headers: CUSTOMER_HEADERS,
          rows: [oc('SlowOc01', '33333333-4444-4555-8666-777777777701', 'SlowPw-1-x', 'SlowTeams-1')],
        },
      ]);
      const state = join(cwd, 'state.db');
      const env = { LPSYNC_BASE_URL: `${s.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };

      const first = spawnCli(['apply', book, '--state', state], cwd, env);
      // The POST reached the platform (its task runs), the answer was dropped, the run is reading back.
      const lost = await waitUntil(
        () =>
          s.snapshot().counters.createAttempts.SlowOc01 === 1 &&
          readJournal(state).some((e) => e.kind === 'create-oc-service' && e.status === 'unknown'),
        30_000,
      );
      first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');
      expect(lost).toBe(true);
      expect(s.snapshot().counters.creates.SlowOc01).toBeUndefined();

      s.setFaults({ dropAfterCommitRate: 0 });
      const resumed = await spawnCli([next[0]!, book, '--state', state, ...next.slice(1)], cwd, env).done;
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
      const counters = s.snapshot().counters;
      expect(counters.createAttempts.SlowOc01).toBe(1);
      expect(counters.creates.SlowOc01).toBe(1);
    },
    90_000,
  );
});
