/**
 * A fault about a setting names the setting by identity; the CLI, which knows where each setting came
 * from, says so beside the hint: a base URL from the config file is named as the config file's key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPlan, type PlanArgs } from '../../src/cli/commands/plan.js';
import { settingOrigins } from '../../src/cli/setting-origins.js';
import { RunError } from '../../src/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-origins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('where a setting named by a fault came from', () => {
  it('plan against an unreachable platform whose base URL is in the config file names that file', async () => {
    const config = join(dir, 'lpsync.json');
    const port = await closedPort();
    writeFileSync(config, JSON.stringify({ baseUrl: `http://127.0.0.1:${port}/tenantui`, token: 'tok' }));
    const args: PlanArgs = {
      file: 'samples/customers.xlsx',
      config,
      retries: 0,
      strict: false,
      adopt: false,
      all: false,
      verbose: false,
      state: join(dir, 'state.db'),
    };
    const outcome = await runPlan(args, {});
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stderr).toContain(`(base URL: "baseUrl" in ${config})`);
  });

  it('names each setting the fault is about, as it was set; nothing for a fault about none', () => {
    const error = new RunError('unreachable', 'x', { settings: ['baseUrl', 'timeout'] });
    expect(settingOrigins(error, { baseUrl: 'LPSYNC_BASE_URL', timeout: '--timeout' })).toBe(
      '(base URL: LPSYNC_BASE_URL; timeout: --timeout)',
    );
    expect(settingOrigins(new RunError('unreachable', 'x'), { baseUrl: 'LPSYNC_BASE_URL' })).toBe('');
  });
});
