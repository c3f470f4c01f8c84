/**
 * Guarantee: no secret and no bearer token ever leaves lpsync in anything it writes — stdout, stderr,
 * log files, plan files, results workbooks, JSON summaries, the state store and its WAL — whatever
 * command runs and however it ends (success, failed rows, conflict, fatal, Ctrl-C, kill -9, lock refusal,
 * invalid cells). The simulator's own /_sim/state holds secrets by design: that is not lpsync output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStateStore } from '../../src/state/index.js';
import { startForwardProxy } from '../api/forward-proxy.js';
import { SAMPLE } from '../e2e/cli-helpers.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import {
  captureFiles,
  findLeaks,
  readJournal,
  spawnCli,
  spellings,
  waitUntil,
  type Capture,
  type CliProcess,
  type CliResult,
} from './helpers.js';
import {
  CONFLICT_SHORT_NAME,
  INVALID_ONLY_DPI,
  INVALID_SECRETS,
  SECRETS,
  writeSecretsWorkbooks,
} from './secrets-workbook.js';

const CLIENT_ID = 'lpsync-guard';
const CLIENT_SECRET = 'ClientSec-Guard-v6T3nM8q';
const SEED = 20261127;

let sim: RunningSimulator | undefined;
let dir: string | undefined;
afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('secrets never leave lpsync', () => {
  it(`no sheet secret, client secret or issued token appears in any output of any command (seed ${SEED})`, async () => {
    sim = await startSimulator({
      port: 0,
      seed: SEED,
      taskDurationMs: 150,
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    });
    const s = sim;
    dir = mkdtempSync(join(tmpdir(), 'lpsync-guard-secrets-'));
    const cwd = dir;
    const good = join(cwd, 'guard.xlsx');
    const invalid = join(cwd, 'guard-invalid.xlsx');
    await writeSecretsWorkbooks(good, invalid);
    const inputs = new Set([good, invalid]);
    const state = join(cwd, 'state', 'state.db');
    const env = {
      LPSYNC_BASE_URL: `${s.url}/tenantui`,
      LPSYNC_TOKEN_URL: `${s.url}/oauth2/v2.0/token`,
      LPSYNC_CLIENT_ID: CLIENT_ID,
      LPSYNC_CLIENT_SECRET: CLIENT_SECRET,
      LPSYNC_SCOPE: 'api://lpsync-guard/.default',
    };
    const connection = ['--state', state, '--retries', '6', '--timeout', '20'];

    // A customer someone made as Essentials; the sheet says OC Essentials: a conflict row.
    const seeded = await fetch(`${s.url}/api/v2/customer`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        shortName: CONFLICT_SHORT_NAME,
        siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
        ovocCustomerType: 'IPGROUP_TYPE',
      }),
    });
    expect(seeded.status).toBe(200);

    const results: CliResult[] = [];
    const captures: Capture[] = [];
    const capture = async (when: string) => captures.push(...(await captureFiles(cwd, when, inputs)));
    const run = async (args: string[], when: string): Promise<CliResult> => {
      const result = await spawnCli(args, cwd, env).done;
      results.push(result);
      await capture(when);
      return result;
    };
    const started = (args: string[]): CliProcess => spawnCli(args, cwd, env);
    const finish = async (p: CliProcess, when: string): Promise<CliResult> => {
      const result = await p.done;
      results.push(result);
      await capture(when);
      return result;
    };
    const codes = (r: CliResult) => `${r.args.join(' ')} → ${r.code ?? r.signal}\n${r.stderr}\n${r.stdout}`;

    // validate: table and JSON, clean and with passwords that break the sheet's rules in their own cells.
    expect((await run(['validate', good], 'validate')).code).toBe(0);
    expect((await run(['validate', good, '--format', 'json'], 'validate json')).code).toBe(0);
    const badTable = await run(['validate', invalid, '--width', '200'], 'validate invalid');
    expect(badTable.code, codes(badTable)).toBe(2);
    expect(badTable.stdout + badTable.stderr).toMatch(/Carrier Password/);
    expect((await run(['validate', invalid, '--format', 'json'], 'validate invalid json')).code).toBe(2);

    // plan: table, then --out with --verbose (one debug line per request) and --all.
    const plan = await run(['plan', good, ...connection], 'plan');
    expect(plan.code, codes(plan)).toBe(0);
    expect(plan.stdout).toMatch(/conflict/i);
    const planOut = join(cwd, 'plan.json');
    const planJson = await run(
      ['plan', good, ...connection, '--out', planOut, '--verbose', '--all'],
      'plan --out',
    );
    expect(planJson.code, codes(planJson)).toBe(0);
    expect(readFileSync(planOut, 'utf8')).toContain('***');

    // apply, verbose, with a log file; Ctrl-C once the first create is under way; WAL read mid-run.
    s.setFaults({ latencyMs: 250 });
    const interrupted = started([
      'apply',
      good,
      ...connection,
      '--verbose',
      '--log-file',
      join(cwd, 'logs', 'apply-1.jsonl'),
      '--trace-http',
      join(cwd, 'traces', 'apply-1.har'),
      '--concurrency',
      '1',
    ]);
    expect(await waitUntil(() => Object.keys(s.snapshot().counters.createAttempts).length > 1, 60_000)).toBe(
      true,
    );
    await capture('apply mid-run');
    interrupted.child.kill('SIGINT');
    const stopped = await finish(interrupted, 'apply after Ctrl-C');
    expect(stopped.code, codes(stopped)).toBe(130);

    // --resume while every request fails with a 500 problem JSON: the run ends fatally.
    s.setFaults({ latencyMs: 0, errorRate: 1 });
    const fatal = await run(['apply', good, ...connection, '--resume', '--retries', '1'], 'resume fatal');
    expect(fatal.code, codes(fatal)).toBe(3);

    // --resume with 30% 500s (a write answered 500 fails its row) and every token expired mid-run.
    s.setFaults({ errorRate: 0.3, latencyMs: 40 });
    const resumed = started([
      'apply',
      good,
      ...connection,
      '--resume',
      '--verbose',
      '--log-file',
      join(cwd, 'logs', 'apply-2.jsonl'),
      '--trace-http',
      join(cwd, 'traces', 'apply-2.har'),
    ]);
    await waitUntil(() => s.snapshot().counters.tokensIssued >= 4, 20_000);
    await fetch(`${s.url}/_sim/expire-tokens`, { method: 'POST' });
    const partly = await finish(resumed, 'resume with failures');
    expect(partly.code, codes(partly)).toBe(1);
    expect(s.snapshot().counters.faults['500']).toBeGreaterThan(0);

    // A run killed (kill -9) in the middle: the store and its WAL as the killed process left them.
    s.setFaults({ errorRate: 0, latencyMs: 300 });
    const killed = started(['apply', good, ...connection, '--verbose', '--concurrency', '1']);
    await waitUntil(() => readJournal(state).some((e) => e.status === 'in-flight'), 20_000);
    await capture('apply before kill -9');
    killed.child.kill('SIGKILL');
    expect((await finish(killed, 'after kill -9')).signal).toBe('SIGKILL');

    // The nightly reconcile after the kill (reads back what was in flight), with a log file.
    s.setFaults({ latencyMs: 0 });
    const nightly = await run(
      ['reconcile', good, ...connection, '--log-file', join(cwd, 'logs', 'reconcile.jsonl')],
      'reconcile',
    );
    expect(nightly.code, codes(nightly)).toBe(1); // the conflict row

    // A reconcile refused because another run holds the lock.
    const store = openStateStore(state);
    const held = store.acquireLock({ pid: process.pid, runId: 'held-by-guard', host: hostname() });
    try {
      expect(held.ok).toBe(true);
      const refused = await run(['reconcile', good, ...connection], 'reconcile refused');
      expect(refused.code, codes(refused)).toBe(4);
    } finally {
      if (held.ok) held.lock.release();
      store.close();
    }

    // The invalid workbook applied with --skip-invalid: invalid rows (their secrets in the broken cells) in the report.
    const skip = await run(
      [
        'apply',
        invalid,
        ...connection,
        '--skip-invalid',
        '--verbose',
        '--log-file',
        join(cwd, 'logs', 'skip.jsonl'),
      ],
      'apply --skip-invalid',
    );
    expect(skip.code, codes(skip)).toBe(1);
    await capture('end');

    // The audit trail's readers: history, one customer's changes, verify, the export, every report rebuilt.
    const audit = (args: string[], when: string) => run([...args, '--state', state], when);
    expect((await audit(['history'], 'history')).code).toBe(0);
    const listed = await audit(['history', '--format', 'json'], 'history json');
    const runIds = (JSON.parse(listed.stdout) as Array<{ runId: string }>).map((r) => r.runId);
    expect(runIds.length).toBeGreaterThanOrEqual(4);
    const changes = await audit(['history', '--customer', CONFLICT_SHORT_NAME], 'history --customer');
    expect(changes.code, codes(changes)).toBe(0);
    // The customers whose creates and adds carried the sheet's passwords and the Teams secret.
    for (const name of ['GuardEss01', 'GuardEss02', 'GuardOc01', 'GuardInv01']) {
      const r = await audit(
        ['history', '--customer', name, '--format', 'json'],
        `history --customer ${name}`,
      );
      expect(r.code, codes(r)).toBe(0);
      if (name !== 'GuardInv01') expect(r.stdout).toMatch(/CarrierUserPassword[\s\S]*\*\*\*/);
    }
    expect((await audit(['audit', 'verify'], 'audit verify')).code).toBe(0);
    expect(
      (await audit(['audit', 'export', '--out', join(cwd, 'audit', 'trail.jsonl')], 'audit export')).code,
    ).toBe(0);
    let rebuilt = 0;
    for (const runId of runIds) {
      const r = await audit(
        ['report', '--run', runId, '--reports-dir', join(cwd, 'rebuilt')],
        `report --run ${runId}`,
      );
      if (r.code === 0) rebuilt += 1;
    }
    expect(rebuilt).toBeGreaterThanOrEqual(3);
    // The database as a file, the WAL folded into it; then again after a prune has removed and compacted.
    const checkpointed = new Database(state);
    checkpointed.pragma('wal_checkpoint(TRUNCATE)');
    checkpointed.close();
    await capture('after a WAL checkpoint');
    expect((await audit(['history', 'prune', '--keep-days', '0'], 'history prune')).code).toBe(0);
    expect((await audit(['audit', 'verify'], 'audit verify after prune')).code).toBe(0);

    // The secrets did reach the platform, so every one of them went through lpsync.
    const snapshot = s.snapshot();
    const stored = JSON.stringify(snapshot.services);
    for (const secret of Object.values(SECRETS)) {
      if (secret === SECRETS.conflictCarrier || secret === SECRETS.conflictTeams) continue;
      expect(stored, secret).toContain(secret);
    }
    const tokens = s.issuedTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(
      results.filter((r) => ['plan', 'apply', 'reconcile'].includes(r.args[0]!)).length - 1,
    );

    // Every secret and token, in each spelling it could be written in.
    const needles = new Map<string, string>();
    const add = (value: string, name: string) => {
      for (const form of spellings(value)) needles.set(form, `${name} (${form === value ? 'as is' : form})`);
    };
    for (const [name, value] of Object.entries({ ...SECRETS, ...INVALID_SECRETS })) add(value, name);
    add(INVALID_ONLY_DPI, 'invalid row DPI');
    add(CLIENT_SECRET, 'client secret');
    add(`${CLIENT_ID}:${CLIENT_SECRET}`, 'client id:secret');
    tokens.forEach((token, i) => {
      add(token, `token ${i + 1}`);
      add(token.split('.')[2]!, `token ${i + 1} signature`);
    });

    // The search works: the input workbooks hold every sheet secret.
    const inputCaptures = await captureFiles(cwd, 'inputs', new Set());
    const inInputs = findLeaks(
      inputCaptures.filter((c) => c.label.includes('guard')),
      new Map([...Object.values(SECRETS), ...Object.values(INVALID_SECRETS)].map((v) => [v, v])),
    );
    expect(new Set(inInputs.map((l) => l.split(': ').pop())).size).toBe(
      Object.keys(SECRETS).length + Object.keys(INVALID_SECRETS).length,
    );

    const outputs: Capture[] = [
      ...results.flatMap((r) => [
        { label: `stdout of ${r.args.slice(0, 2).join(' ')}`, bytes: Buffer.from(r.stdout, 'utf8') },
        { label: `stderr of ${r.args.slice(0, 2).join(' ')}`, bytes: Buffer.from(r.stderr, 'utf8') },
      ]),
      ...captures,
    ];
    const labels = new Set(captures.map((c) => c.label.replace(/^[^:]+: /, '')));
    // What was searched: reports, summaries, plan file, log files, the store and (mid-run) its WAL.
    expect([...labels].some((l) => l.endsWith('.results.xlsx (unzipped)'))).toBe(true);
    expect([...labels].some((l) => l.endsWith('.summary.json'))).toBe(true);
    expect([...labels].some((l) => l.endsWith('state.db-wal'))).toBe(true);
    expect([...labels].filter((l) => l.startsWith('logs/') && l.endsWith('.jsonl')).length).toBe(4);
    expect(labels).toContain('plan.json');
    expect(labels).toContain('traces/apply-1.har');
    expect(labels).toContain('traces/apply-2.har');
    expect(labels).toContain('audit/trail.jsonl');
    expect([...labels].filter((l) => l.startsWith('rebuilt/')).length).toBeGreaterThanOrEqual(3);
    // The store was searched with every page written to the main file (no WAL beside it) and after a prune.
    expect(captures.some((c) => c.label === 'after a WAL checkpoint: state/state.db')).toBe(true);
    expect(
      captures.some((c) => c.label === 'after a WAL checkpoint: state/state.db-wal' && c.bytes.length > 0),
    ).toBe(false);
    expect(captures.some((c) => c.label === 'history prune: state/state.db')).toBe(true);
    // The trail did record the runs (commands, request bodies' hashes) the secrets went through.
    const trail = readFileSync(join(cwd, 'audit', 'trail.jsonl'), 'utf8');
    expect(trail).toContain('bodySha256');
    expect(trail).toContain('CarrierUserPassword');

    expect(findLeaks(outputs, needles)).toEqual([]);
  }, 240_000);

  it.each([
    [
      'the base URL',
      (url: string, pw: string) => ({
        LPSYNC_BASE_URL: url.replace('//', `//admin:${pw}@`) + '/tenantui',
        LPSYNC_TOKEN: 'demo-token',
      }),
    ],
    [
      'the token URL',
      (url: string, pw: string) => ({
        LPSYNC_BASE_URL: `${url}/tenantui`,
        LPSYNC_TOKEN_URL: url.replace('//', `//${CLIENT_ID}:${pw}@`) + '/oauth2/token',
        LPSYNC_CLIENT_ID: CLIENT_ID,
        LPSYNC_CLIENT_SECRET: CLIENT_SECRET,
      }),
    ],
  ])('a password in %s (https://user:password@host) is never printed', async (_n, envFor) => {
    const server = await startSimulator({ port: 0, seed: 5 });
    const cwd = mkdtempSync(join(tmpdir(), 'lpsync-guard-userinfo-'));
    try {
      const password = 'UrlPass-Hk4n7Qe2';
      const env = envFor(server.url, password);
      for (const args of [
        ['plan', SAMPLE],
        ['apply', SAMPLE],
        ['reconcile', SAMPLE, '--log-file', 'log.jsonl'],
      ]) {
        const r = await spawnCli([...args, '--retries', '1'], cwd, env).done;
        expect(r.code, r.stderr).not.toBe(0);
        const written = await captureFiles(cwd, args[0]!, new Set());
        const leaks = findLeaks(
          [
            { label: 'stdout', bytes: Buffer.from(r.stdout) },
            { label: 'stderr', bytes: Buffer.from(r.stderr) },
            ...written,
          ],
          new Map([
            [password, 'the URL password'],
            [CLIENT_SECRET, 'client secret'],
          ]),
        );
        expect(leaks, r.stderr).toEqual([]);
      }
    } finally {
      await server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('a proxy password (HTTP_PROXY, http_proxy, --proxy http://user:password@host) is never printed or written, also when refused', async () => {
    const server = await startSimulator({ port: 0, seed: 6 });
    const password = 'ProxyPass-Gd7s2Lq9';
    const proxy = await startForwardProxy({ user: 'guard', password });
    const cwd = mkdtempSync(join(tmpdir(), 'lpsync-guard-proxy-'));
    try {
      const url = `http://guard:${password}@127.0.0.1:${proxy.port}`;
      const base = { LPSYNC_BASE_URL: `${server.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
      const runs: Array<[string[], Record<string, string>, number]> = [
        [['plan', SAMPLE, '--verbose'], { ...base, HTTP_PROXY: url }, 0],
        [
          ['apply', SAMPLE, '--verbose', '--log-file', 'apply.jsonl', '--trace-http', 'apply.har'],
          { ...base, http_proxy: url },
          0,
        ],
        [
          [
            'reconcile',
            SAMPLE,
            '--proxy',
            url,
            '--log-file',
            'reconcile.jsonl',
            '--trace-http',
            'reconcile.har',
          ],
          base,
          0,
        ],
        // A proxy that refuses the password: the run ends, saying what to check, never the password.
        [
          ['plan', SAMPLE, '--retries', '0'],
          { ...base, HTTP_PROXY: url.replace(password, `${password}x`) },
          3,
        ],
        [
          ['reconcile', SAMPLE, '--retries', '0', '--log-file', 'refused.jsonl'],
          { ...base, HTTP_PROXY: url.replace(password, `${password}x`) },
          3,
        ],
      ];
      const outputs: Capture[] = [];
      for (const [args, env, code] of runs) {
        const r = await spawnCli(args, cwd, env).done;
        expect(r.code, r.stderr).toBe(code);
        outputs.push(
          { label: `stdout of ${args.join(' ')}`, bytes: Buffer.from(r.stdout) },
          { label: `stderr of ${args.join(' ')}`, bytes: Buffer.from(r.stderr) },
        );
        if (code === 3) expect(r.stderr).toMatch(/407/);
      }
      outputs.push(...(await captureFiles(cwd, 'end', new Set())));
      // The password was used: every request reached the simulator through the proxy, with it.
      expect(proxy.records.filter((p) => !p.refused).length).toBeGreaterThan(20);
      const needles = new Map<string, string>();
      for (const secret of [password, `${password}x`, Buffer.from(`guard:${password}`).toString('base64')])
        for (const form of spellings(secret)) needles.set(form, `proxy password (${form})`);
      expect(outputs.some((c) => c.label.endsWith('apply.har'))).toBe(true);
      expect(findLeaks(outputs, needles)).toEqual([]);
    } finally {
      await proxy.close();
      await server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it.each([
    ['typed without quotes', (secret: string) => `{"clientId": "x", "clientSecret": ${secret}}`],
    ['followed by a stray comma', (secret: string) => `{"clientSecret": "${secret}",}`],
    ['a token without quotes', (secret: string) => `{"token": ${secret}}`],
    ['the secret alone', (secret: string) => secret],
  ])(
    'a --config file that is not valid JSON (%s): the error names the file, never the secret',
    async (_n, body) => {
      const cwd = mkdtempSync(join(tmpdir(), 'lpsync-guard-config-'));
      try {
        const secret = 'CfgSecret-Zz9q8Wm4';
        writeFileSync(join(cwd, 'lpsync.json'), body(secret));
        for (const command of ['plan', 'apply', 'reconcile']) {
          const r = await spawnCli([command, SAMPLE, '--config', 'lpsync.json'], cwd, {}).done;
          expect(r.code, r.stderr).toBe(2);
          expect(r.stderr).toMatch(/lpsync\.json is not valid JSON/);
          // Not even a piece of it: every 5 characters of the secret.
          for (let i = 0; i + 5 <= secret.length; i++)
            expect(r.stdout + r.stderr).not.toContain(secret.slice(i, i + 5));
        }
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
  );
});
