/** A file's console in the token mode on a simulator of its own, with a temporary folder: started once, stopped after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startTestConsole, type TestConsole } from './helpers.js';

export interface TokenConsole {
  sim: RunningSimulator;
  web: TestConsole;
  dir: string;
}

/** Registers the file's hooks; the fields are set once `beforeAll` has run. */
export function useTokenConsole(o: { seed: number; name: string; taskDurationMs?: number }): TokenConsole {
  const it = {} as TokenConsole;
  beforeAll(async () => {
    it.sim = await startSimulator({
      port: 0,
      seed: o.seed,
      ...(o.taskDurationMs === undefined ? {} : { taskDurationMs: o.taskDurationMs }),
    });
    it.dir = mkdtempSync(join(tmpdir(), `lpsync-web-${o.name}-`));
    it.web = await startTestConsole({
      baseUrl: `${it.sim.url}/tenantui`,
      statePath: join(it.dir, 'state.db'),
      reportsDir: join(it.dir, 'reports'),
    });
  });
  afterAll(async () => {
    await it.web?.close();
    await it.sim?.close();
    if (it.dir) rmSync(it.dir, { recursive: true, force: true });
  });
  return it;
}
