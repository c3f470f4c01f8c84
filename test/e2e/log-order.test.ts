/**
 * Under cron, stdout and stderr often go to one file (`lpsync reconcile … >> log 2>&1`). The run log holds
 * its JSON lines until the event loop turns (src/cli/logging.ts): the lines logged before the summary must
 * still come before it in that file.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { MAIN, SAMPLE } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-log-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('apply with stdout and stderr in one file', () => {
  it('writes the run log lines logged before the summary before it', async () => {
    const sim = await startSimulator({ port: 0, seed: 1, taskDurationMs: 20 });
    try {
      const log = join(dir, 'cron.log');
      const fd = openSync(log, 'a');
      const code = await new Promise<number | null>((done) => {
        const child = spawn(process.execPath, [MAIN, 'apply', SAMPLE], {
          cwd: dir,
          env: { PATH: process.env.PATH, HOME: dir, LPSYNC_BASE_URL: sim.url, LPSYNC_TOKEN: 'demo-token' },
          stdio: ['ignore', fd, fd],
        });
        child.on('close', done);
      });
      closeSync(fd);
      const lines = readFileSync(log, 'utf8').split('\n');
      expect(code, lines.join('\n')).toBe(0);
      const summary = lines.findIndex((l) => l.startsWith('Apply: '));
      // The run's request budget, logged as a JSON line just before the summary is printed.
      const budget = lines.findIndex((l) => l.startsWith('{') && l.includes('"concurrency":{'));
      const lastAction = lines.findLastIndex((l) => l.startsWith('{') && l.includes('"actionId"'));
      expect(summary).toBeGreaterThan(0);
      expect(budget).toBeGreaterThan(lastAction);
      expect(summary).toBeGreaterThan(budget);
    } finally {
      await sim.close();
    }
  });
});
