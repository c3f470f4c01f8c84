/**
 * Cron, seen from outside: reconcile posts its outcome to webhooks on a loopback receiver and
 * writes the metrics file; a webhook that fails never changes the exit code; a run that cannot
 * reach the Live Platform is still announced and counted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli, SAMPLE } from './cli-helpers.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

let sim: RunningSimulator;
let receiver: Server;
let hook = '';
const received: Received[] = [];
const dir = mkdtempSync(join(tmpdir(), 'lpsync-cron-'));

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 });
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.writeHead(req.url?.includes('/broken') ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** reconcile of the sample against the simulator with one state store and reports folder, plus `extra`. */
const reconcile = (extra: string[]) =>
  runCli(
    // A relative --reports-dir, as in a crontab line after `cd`: the card must still name the report in full.
    ['reconcile', SAMPLE, '--state', join(dir, 'state.db'), '--reports-dir', 'reports', ...extra],
    {
      cwd: dir,
      baseUrl: `${sim.url}/tenantui`,
    },
  );

const metric = (text: string, name: string) => {
  const m = new RegExp(`^${name.replace(/[{}"[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

describe('reconcile from cron: notifications and metrics', () => {
  it('a run that changed something: a Teams card (--notify-on change), a failing webhook logged, metrics written', async () => {
    const metrics = join(dir, 'textfile', 'lpsync.prom');
    const r = await reconcile([
      '--notify',
      `${hook}/teams/Secret-Hook-Path-1`,
      '--notify',
      `${hook}/broken/Secret-Hook-Path-2`,
      '--notify-format',
      'teams',
      '--notify-on',
      'change',
      '--metrics-file',
      metrics,
    ]);
    // The second webhook answered 500: logged, and the run's exit code is still its own.
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `The notification to ${hook} failed: it answered HTTP 500; the run's outcome is unchanged.`,
    );
    expect(r.stderr + r.stdout).not.toContain('Secret-Hook-Path');
    const teams = received.find((x) => x.path === '/teams/Secret-Hook-Path-1');
    expect(teams?.contentType).toBe('application/json');
    const card = (
      teams!.body.attachments as Array<{
        content: { body: Array<{ text?: string; facts?: Array<{ title: string; value: string }> }> };
      }>
    )[0]!.content;
    expect(card.body[0]!.text).toMatch(/^lpsync reconcile on .+: succeeded \(exit 0\)$/);
    expect(card.body[1]!.facts!.find((f) => f.title === 'Outcome')?.value).toBe(
      'Reconcile: 8 created, 9 added, 0 modified, 0 failed, 0 unchanged (17 rows)',
    );
    const report = card.body[1]!.facts!.find((f) => f.title === 'Report')?.value ?? '';
    expect(report.startsWith(`${join(dir, 'reports')}/`), report).toBe(true);
    expect(existsSync(report)).toBe(true);

    const text = readFileSync(metrics, 'utf8');
    expect(metric(text, 'lpsync_last_run_exit_code{command="reconcile"}')).toBe(0);
    expect(metric(text, 'lpsync_last_run_rows{command="reconcile",status="succeeded"}')).toBe(17);
    expect(
      metric(text, 'lpsync_last_run_actions{command="reconcile",kind="add-site",status="succeeded"}'),
    ).toBe(9);
    expect(metric(text, 'lpsync_last_run_http_requests{command="reconcile",status="200"}')).toBeGreaterThan(
      17,
    );
    expect(metric(text, 'lpsync_last_run_duration_seconds{command="reconcile"}')).toBeGreaterThan(0);

    // The same sheet again: nothing changes, so --notify-on change stays quiet; failure is the default.
    const before = received.length;
    const again = await reconcile(['--notify', `${hook}/quiet`, '--notify-on', 'change']);
    expect(again.code, again.stderr).toBe(0);
    const quiet = await reconcile(['--notify', `${hook}/quiet`]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(received.length).toBe(before);
  }, 60_000);

  it('a run that cannot reach the Live Platform: announced (json, default --notify-on failure) and counted, exit 3', async () => {
    const metrics = join(dir, 'unreachable.prom');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await runCli(
      [
        'reconcile',
        SAMPLE,
        '--state',
        join(dir, 'other.db'),
        '--retries',
        '0',
        '--notify',
        `${hook}/json`,
        '--metrics-file',
        metrics,
      ],
      { cwd: dir, baseUrl: `http://127.0.0.1:${port}/tenantui` },
    );
    expect(r.code, r.stderr).toBe(3);
    const json = received.find((x) => x.path === '/json')?.body;
    expect(json).toMatchObject({
      event: 'lpsync-run-end',
      command: 'reconcile',
      exitCode: 3,
      outcome: 'failed',
      summary: null,
    });
    expect(String(json?.error)).toContain('is unreachable');
    expect(metric(readFileSync(metrics, 'utf8'), 'lpsync_last_run_exit_code{command="reconcile"}')).toBe(3);
  }, 60_000);

  it('a webhook URL that is not http(s): refused before anything is read or sent (exit 2)', async () => {
    const r = await runCli(
      ['reconcile', SAMPLE, '--state', join(dir, 'x.db'), '--notify', 'hooks.example.com/x'],
      {
        cwd: dir,
        baseUrl: `${sim.url}/tenantui`,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--notify: expected an http(s) webhook URL');
  });
});
