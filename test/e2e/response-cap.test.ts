/**
 * The real CLI against a server whose answer never ends: it stops reading at the cap (16 MiB), says which
 * request answered too much and how to raise the cap, exits 3, and its peak memory stays under 200 MB
 * (it grew to 574–778 MB before, then reported "no answer within …").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndlessServer, type EndlessServer } from '../support/endless-server.js';
import { MAIN, nodeWarnings, SAMPLE } from './cli-helpers.js';

const LIMIT_RSS_KB = 200 * 1024;

let server: EndlessServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

/** `lpsync plan SAMPLE …` in a child whose peak RSS (KB, from the kernel) is written to a file on exit. */
function planAgainst(
  baseUrl: string,
  extra: string[],
): Promise<{ code: number | null; stderr: string; rssKb: number }> {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-cap-'));
  const rssFile = join(dir, 'rss');
  const hook = `data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
  const child = spawn(process.execPath, [`--import=${hook}`, MAIN, 'plan', SAMPLE, ...extra], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LPSYNC_BASE_URL: baseUrl,
      LPSYNC_TOKEN: 'demo-token',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stderr, rssKb: Number(readFileSync(rssFile, 'utf8')) })),
  );
}

describe('an answer that never ends', () => {
  it('is cut at 16 MiB: exit 3, the request and the cap named, one request, peak RSS under 200 MB', async () => {
    server = await startEndlessServer();
    const run = await planAgainst(`${server.url}/tenantui`, []);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(
      'GET /api/v3/customer?allDetails=true: the answer (HTTP 200) is larger than 16 MiB, the cap on a response body: lpsync stopped reading it.',
    );
    expect(run.stderr).toContain('--max-response-mb');
    expect(nodeWarnings(run.stderr)).toEqual([]);
    expect(server.requests()).toHaveLength(1);
    expect(run.rssKb).toBeGreaterThan(0);
    expect(run.rssKb, `peak RSS ${Math.round(run.rssKb / 1024)} MB`).toBeLessThan(LIMIT_RSS_KB);
  });

  it('--max-response-mb moves the cap, and the error says the one in force', async () => {
    server = await startEndlessServer();
    const run = await planAgainst(`${server.url}/tenantui`, ['--max-response-mb', '2']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('is larger than 2 MiB, the cap on a response body');
    expect(server.sentBytes()).toBeLessThan(16 * 1024 * 1024);
  });
});
