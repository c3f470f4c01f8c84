/**
 * The simulator + client fixture of the client tests: a simulator on an OS-chosen loopback port, and real
 * clients of it with the tests' short waits (`clientFor`), all closed after each test (or after the file).
 * The hooks are registered where it is called: unit files share one module cache, so a hook at the top
 * of this module would be registered in the first file of a worker only.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ClientOptions } from '../../src/api/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { clientFor } from './helpers.js';

export interface SimulatorFixture {
  /** The running simulator (throws outside a test or hook). */
  readonly sim: RunningSimulator;
  /** A client of the simulator (`clientFor` defaults, `overrides` on top) with its log; closed with the fixture. */
  client(overrides?: Partial<ClientOptions>): ReturnType<typeof clientFor>;
}

/** One simulator for each test (`per: 'test'`, the default) or for the whole file or describe block. */
export function useSimulator(
  options: SimulatorOptions = {},
  { per = 'test' }: { per?: 'test' | 'file' } = {},
): SimulatorFixture {
  let running: RunningSimulator | undefined;
  const clients: Array<{ close(): void }> = [];
  const [setUp, tearDown] = per === 'test' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  setUp(async () => {
    running = await startSimulator({ port: 0, ...options });
  });
  tearDown(async () => {
    for (const client of clients.splice(0)) client.close();
    await running?.close();
    running = undefined;
  });
  return {
    get sim() {
      if (!running) throw new Error('the simulator runs only during a test or hook');
      return running;
    },
    client(overrides = {}) {
      const made = clientFor(this.sim, overrides);
      clients.push(made.client);
      return made;
    },
  };
}
