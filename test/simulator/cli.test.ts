import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runSimulate } from '../../src/cli/commands/simulate.js';
import { simulatorOptionsFrom } from '../../src/run/simulate.js';
import { nodeWarnings } from '../e2e/cli-helpers.js';

const root = resolve(import.meta.dirname, '../..');
const mainJs = resolve(root, 'dist/src/cli/main.js');

const url = (lines: string[]) => /listening on (http:\/\/\S+)/.exec(lines.join('\n'))?.[1];

describe('lpsync simulate', () => {
  it('runs in-process: prints the URL, credentials and curl commands that work, and closes when stopped', async () => {
    const lines: string[] = [];
    let stop = () => {};
    const stopped = new Promise<void>((r) => (stop = r));
    const run = runSimulate(
      { port: 0, host: '127.0.0.1', seed: 11, taskDuration: 0 },
      { print: (l) => lines.push(l), stopped },
    );
    const base = await vi.waitUntil(() => url(lines), { timeout: 10_000, interval: 10 });
    const text = lines.join('\n');
    expect(text).toContain('client id:      lpsync-demo');
    expect(text).toContain('static token:   demo-token');
    expect(text).toContain('seed:           11');
    expect(text).toContain(
      `curl -s -X POST ${base}/oauth2/token -d grant_type=client_credentials -d client_id=lpsync-demo -d client_secret=demo-secret`,
    );
    expect(text).toContain(
      `curl -s -H 'Authorization: Bearer demo-token' '${base}/tenantui/api/v3/customer?allDetails=true'`,
    );
    expect(text).toContain(`(base URL ${base}/tenantui, token endpoint ${base}/oauth2/token)`);
    // What the two curl commands send.
    const token = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'lpsync-demo',
        client_secret: 'demo-secret',
      }),
    });
    expect(token.status).toBe(200);
    const list = await fetch(`${base}/tenantui/api/v3/customer?allDetails=true`, {
      headers: { Authorization: 'Bearer demo-token' },
    });
    expect(await list.json()).toEqual([]);
    // As on the platform: a base URL without /tenantui is not found (the README's "leave /tenantui off").
    const bare = await fetch(`${base}/api/v3/customer?allDetails=true`, {
      headers: { Authorization: 'Bearer demo-token' },
    });
    expect(bare.status).toBe(404);
    stop();
    expect(await run).toBe(0);
    expect(lines.at(-1)).toBe('Simulator stopped.');
    await expect(fetch(`${base}/_sim/state`)).rejects.toThrow();
  });

  it('refuses invalid flags with exit code 2 and names the option', async () => {
    const lines: string[] = [];
    const code = await runSimulate(
      { port: 0, host: '127.0.0.1', errorRate: 3 },
      { print: (l) => lines.push(l), stopped: Promise.resolve() },
    );
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('errorRate');
  });

  it('a port in use: exit 3 and a hint to pick another', async () => {
    const lines: string[] = [];
    let stop = () => {};
    const stopped = new Promise<void>((r) => (stop = r));
    const first = runSimulate({ port: 0, host: '127.0.0.1' }, { print: (l) => lines.push(l), stopped });
    const port = Number(
      new URL(await vi.waitUntil(() => url(lines), { timeout: 10_000, interval: 10 })).port,
    );
    const second: string[] = [];
    const code = await runSimulate(
      { port, host: '127.0.0.1' },
      { print: (l) => second.push(l), stopped: Promise.resolve() },
    );
    stop();
    await first;
    expect(code).toBe(3);
    expect(second.join('\n')).toContain('EADDRINUSE');
    expect(second.join('\n')).toContain(`Port ${port} is taken`);
  });

  it('maps the throttle flags onto one throttle option', () => {
    expect(
      simulatorOptionsFrom({ port: 0, host: 'h', throttleRate: 0.1, throttleLength: 4 }).throttle,
    ).toEqual({
      burstRate: 0.1,
      burstLength: 4,
      retryAfterSeconds: 1,
    });
    expect(simulatorOptionsFrom({ port: 0, host: 'h' }).throttle).toBeUndefined();
    expect(simulatorOptionsFrom({ port: 0, host: 'h', retryAfterDate: true }).throttle).toEqual({
      burstRate: 0,
      burstLength: 1,
      retryAfterSeconds: 1,
      retryAfterAsDate: true,
    });
    expect(simulatorOptionsFrom({ port: 0, host: 'h', gatewayErrorRate: 0.2 }).gatewayErrorRate).toBe(0.2);
    expect(simulatorOptionsFrom({ port: 0, host: 'h', throttle: 'immediate' }).capacityThrottle).toBe(
      'immediate',
    );
    expect(simulatorOptionsFrom({ port: 0, host: 'h' }).capacityThrottle).toBeUndefined();
  });

  it('says which faults are on, in the flags’ words', async () => {
    const printed = async (args: Partial<Parameters<typeof runSimulate>[0]>) => {
      const lines: string[] = [];
      let stop = () => {};
      const stopped = new Promise<void>((r) => (stop = r));
      const run = runSimulate(
        { port: 0, host: '127.0.0.1', ...args },
        { print: (l) => lines.push(l), stopped },
      );
      await vi.waitUntil(() => url(lines), { timeout: 10_000, interval: 10 });
      stop();
      await run;
      return lines.join('\n');
    };
    expect(await printed({})).toContain('faults:         none');
    const flaky = await printed({
      errorRate: 0.05,
      gatewayErrorRate: 0.1,
      throttleRate: 0.02,
      throttleLength: 5,
      retryAfterDate: true,
      dropRate: 0.01,
      taskDuration: 50,
    });
    expect(flaky).toContain(
      'faults:         500 rate 0.05, 502/504 rate 0.1, 429 bursts of 5 at rate 0.02 (Retry-After 1 s, as an HTTP date), drop-after-commit rate 0.01',
    );
    expect(flaky).toContain('v3 tasks take 50 ms');
    expect(await printed({ capacity: 3, throttle: 'immediate' })).toContain(
      'faults:         capacity 3 (429 at once beyond it, no queue, Retry-After 1 s)',
    );
    // The flag's value is checked where every option is: a clear message, exit 2, nothing started.
    const lines: string[] = [];
    const code = await runSimulate(
      { port: 0, host: '127.0.0.1', capacity: 3, throttle: 'sometimes' },
      { print: (l) => lines.push(l), stopped: Promise.resolve() },
    );
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/Invalid option capacityThrottle/);
  });

  it('the compiled CLI starts, answers, and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [mainJs, 'simulate', '--port', '0', '--seed', '3', '--error-rate', '0'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const base = await vi.waitUntil(
        () => {
          if (child.exitCode !== null) throw new Error(`simulate exited early:\n${out}`);
          return url([out]);
        },
        { timeout: 10_000, interval: 20 },
      );
      const res = await fetch(`${base}/tenantui/api/v3/customer`, {
        headers: { Authorization: 'Bearer demo-token' },
      });
      expect(res.status).toBe(200);
      const bare = await fetch(`${base}/api/v3/customer`, {
        headers: { Authorization: 'Bearer demo-token' },
      });
      expect(bare.status).toBe(404);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('Simulator stopped.');
      expect(nodeWarnings(out)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
