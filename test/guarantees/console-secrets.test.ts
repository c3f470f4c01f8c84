/**
 * Guarantee: no secret reaches the browser. The console (in this process, as `lpsync serve` starts it)
 * checks, plans and applies a workbook full of secrets, and an invalid one whose secrets break the rules;
 * every answer — pages, downloads (plan file, review and results workbooks unzipped) and the run's event
 * stream — is searched for each secret, the client secret and every issued token, as written, JSON-escaped,
 * URL-encoded and HTML-escaped: none is found.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { escapeHtml } from '../../src/web/html.js';
import { collectingLog, location, startTestConsole, Visitor, type TestConsole } from '../web/helpers.js';
import { PASSWORDS, startTeamConsole, writeUsers, type TeamConsole } from '../web/team-helpers.js';
import { captureFiles, findLeaks, spellings } from './helpers.js';
import {
  CONFLICT_SHORT_NAME,
  INVALID_ONLY_DPI,
  INVALID_SECRETS,
  SECRETS,
  writeSecretsWorkbooks,
} from './secrets-workbook.js';

const CLIENT_ID = 'lpsync-console-guard';
const CLIENT_SECRET = 'ClientSec-Console-p4R8sT2v';

let sim: RunningSimulator | undefined;
let web: TestConsole | undefined;
let dir: string | undefined;
afterAll(async () => {
  await web?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a download holds as text: a workbook's XML entries, or the bytes as they are. */
async function textOf(path: string, body: Buffer): Promise<string> {
  if (!path.endsWith('.xlsx')) return body.toString('utf8');
  const zip = await JSZip.loadAsync(body);
  const parts = await Promise.all(Object.values(zip.files).map((f) => f.async('string')));
  return parts.join('\n');
}

/**
 * Each secret in every spelling a page or answer could carry it: the sheets' secrets, the client secret,
 * every token the simulator issued, and `more` (console passwords, session ids).
 */
function needlesOf(simulator: RunningSimulator, more: Array<[string, string]> = []): Map<string, string> {
  const needles = new Map<string, string>();
  const secrets: Array<[string, string]> = [
    ...Object.entries(SECRETS),
    ...Object.entries(INVALID_SECRETS),
    ['invalidDpi', INVALID_ONLY_DPI],
    ['clientSecret', CLIENT_SECRET],
    ...simulator.issuedTokens().map((t, i): [string, string] => [`issued token ${i + 1}`, t]),
    ...more,
  ];
  for (const [name, secret] of secrets)
    for (const form of [
      ...spellings(secret),
      escapeHtml(secret),
      escapeHtml(JSON.stringify(secret).slice(1, -1)),
    ])
      needles.set(form, name);
  return needles;
}

/** Every page of a listing: the pager's "Next page" links followed to the end. */
async function allPages(v: Visitor, path: string): Promise<void> {
  let next: string | undefined = path;
  for (let i = 0; next && i < 100; i++) {
    const page = await v.get(next);
    next = /<a href="([^"]+)" rel="next">/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
  }
}

describe('the console never sends a secret to the browser', () => {
  it('no sheet secret, client secret or issued token in any page, download or event of a check, plan and apply', async () => {
    sim = await startSimulator({
      port: 0,
      seed: 20261206,
      taskDurationMs: 100,
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    });
    dir = mkdtempSync(join(tmpdir(), 'lpsync-console-secrets-'));
    const good = join(dir, 'guard.xlsx');
    const invalid = join(dir, 'guard-invalid.xlsx');
    await writeSecretsWorkbooks(good, invalid);
    // Someone made this one as Essentials; the sheet says OC Essentials: a conflict row.
    await fetch(`${sim.url}/api/v2/customer`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        shortName: CONFLICT_SHORT_NAME,
        siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
        ovocCustomerType: 'IPGROUP_TYPE',
      }),
    });
    web = await startTestConsole({
      baseUrl: `${sim.url}/tenantui`,
      statePath: join(dir, 'state.db'),
      reportsDir: join(dir, 'reports'),
      env: {
        LPSYNC_TOKEN_URL: `${sim.url}/oauth2/v2.0/token`,
        LPSYNC_CLIENT_ID: CLIENT_ID,
        LPSYNC_CLIENT_SECRET: CLIENT_SECRET,
        LPSYNC_SCOPE: 'api://lpsync-guard/.default',
      },
    });
    const v = new Visitor(web.port, web.console.url);
    await v.signIn();
    await v.get('/');

    const bad = await v.upload([
      { role: 'workbook', name: 'guard-invalid.xlsx', bytes: readFileSync(invalid) },
    ]);
    await allPages(v, location(bad));
    for (const sheet of ['Customers', 'SipConnections']) await allPages(v, `${location(bad)}?sheet=${sheet}`);

    const up = await v.upload([{ role: 'workbook', name: 'guard.xlsx', bytes: readFileSync(good) }]);
    const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
    await v.get(location(up));
    expect((await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(303);
    await allPages(v, `/uploads/${id}/plan`);
    const sha = /\/plans\/([0-9a-f]{64})\/apply/.exec((await v.get(`/uploads/${id}/plan`)).text)![1]!;
    await v.get(`/plans/${sha}/plan.json`);
    await v.get(`/plans/${sha}/review.xlsx`);
    await v.get(`/plans/${sha}/apply`);
    const started = await v.post(`/plans/${sha}/apply`);
    const runPath = location(started);
    // The event stream, whole: it ends when the run does.
    const events = await v.get(`${runPath}/events`);
    expect(events.text).toContain('event: end');
    await v.get(runPath);
    const results = await v.get(`${runPath}/results`);
    expect(results.text).toContain('Download the results workbook');
    const workbook = await v.get(`${runPath}/results.xlsx`);
    expect(workbook.status).toBe(200);

    const tokens = sim.issuedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const needles = needlesOf(sim);
    const leaks: string[] = [];
    for (const { path, answer } of v.answers) {
      const text = `${JSON.stringify(answer.headers)}\n${await textOf(path, answer.body)}`;
      for (const [needle, name] of needles) if (text.includes(needle)) leaks.push(`${path}: ${name}`);
    }
    expect(leaks).toEqual([]);
    // The search covered the real thing: the check, the plan's requests, the run's events and results.
    expect(v.answers.length).toBeGreaterThan(12);
    expect(
      v.answers.some(
        (a) =>
          a.answer.text.includes('carrier-password-length') || a.answer.text.includes('CarrierUserPassword'),
      ),
    ).toBe(true);
    expect(events.text).toMatch(/"byStatus":\{[^}]*"succeeded":\d+/);
    expect(results.text).toContain('succeeded');
  }, 120_000);
});

describe('the team console never sends a secret to the browser, nor logs one', () => {
  let teamSim: RunningSimulator | undefined;
  let team: TeamConsole | undefined;
  let teamDir: string | undefined;
  afterAll(async () => {
    await team?.close();
    await teamSim?.close();
    if (teamDir) rmSync(teamDir, { recursive: true, force: true });
  });

  it('an operator’s and an auditor’s sessions: no secret, console password or session id in any answer, event, log line or report file', async () => {
    teamSim = await startSimulator({
      port: 0,
      seed: 20261207,
      taskDurationMs: 50,
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    });
    teamDir = mkdtempSync(join(tmpdir(), 'lpsync-console-team-secrets-'));
    const good = join(teamDir, 'guard.xlsx');
    const invalid = join(teamDir, 'guard-invalid.xlsx');
    await writeSecretsWorkbooks(good, invalid);
    const log = collectingLog();
    team = await startTeamConsole({
      baseUrl: `${teamSim.url}/tenantui`,
      dir: teamDir,
      usersFile: await writeUsers(teamDir),
      log,
      env: {
        LPSYNC_TOKEN_URL: `${teamSim.url}/oauth2/v2.0/token`,
        LPSYNC_CLIENT_ID: CLIENT_ID,
        LPSYNC_CLIENT_SECRET: CLIENT_SECRET,
        LPSYNC_SCOPE: 'api://lpsync-guard/.default',
      },
    });
    const alice = await team.as('alice');
    const bob = await team.as('bob');
    const audrey = await team.as('audrey');
    // A wrong password is logged as a refusal, never as typed.
    expect((await new Visitor(team.port, team.console.url).login('alice', `${PASSWORDS.bob}!`)).status).toBe(
      401,
    );

    const bad = await alice.upload([
      { role: 'workbook', name: 'guard-invalid.xlsx', bytes: readFileSync(invalid) },
    ]);
    await allPages(alice, location(bad));
    const up = await alice.upload([{ role: 'workbook', name: 'guard.xlsx', bytes: readFileSync(good) }]);
    const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
    await alice.get(location(up));
    expect((await alice.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(
      303,
    );
    await allPages(alice, `/uploads/${id}/plan`);
    const sha = /\/plans\/([0-9a-f]{64})/.exec((await alice.get(`/uploads/${id}/plan`)).text)![1]!;
    for (const v of [alice, bob, audrey]) {
      await v.get('/plans');
      await allPages(v, `/plans/${sha}`);
      await v.get(`/plans/${sha}/plan.json`);
      await v.get(`/plans/${sha}/review.xlsx`);
    }
    expect((await alice.post(`/plans/${sha}/apply`)).status).toBe(403);
    expect((await bob.post(`/plans/${sha}/approve`)).status).toBe(303);
    const runPath = location(await alice.post(`/plans/${sha}/apply`));
    expect((await alice.get(`${runPath}/events`)).text).toContain('event: end');
    await alice.get(`${runPath}/results`);
    expect((await alice.get(`${runPath}/results.xlsx`)).status).toBe(200);

    const runs = await audrey.get('/history');
    const runId = /href="\/history\/(run-[^"]+)"/.exec(runs.text)![1]!;
    await allPages(audrey, `/history/${runId}`);
    expect((await audrey.get(`/history/${runId}/report.xlsx`)).status).toBe(200);
    for (const customer of ['GuardEss01', 'GuardOc01', CONFLICT_SHORT_NAME])
      await allPages(audrey, `/search?customer=${customer}`);
    for (const path of ['/audit', '/audit/export', '/doctor', '/drift']) await audrey.get(path);

    const visitors = { alice, bob, audrey };
    const sessionIds = Object.entries(visitors).map(([n, v]): [string, string] => [
      `${n}'s session id`,
      v.cookie.split('=')[1]!,
    ]);
    const passwords = Object.entries(PASSWORDS).map(([n, p]): [string, string] => [`${n}'s password`, p]);
    const needles = needlesOf(teamSim, [
      ...passwords,
      ...sessionIds,
      ['a wrong password', `${PASSWORDS.bob}!`],
    ]);
    const leaks: string[] = [];
    for (const [who, v] of Object.entries(visitors))
      for (const { path, answer } of v.answers) {
        // The session cookie is set once, in its own header: everything else is searched for it.
        const { 'set-cookie': _set, ...headers } = answer.headers;
        const text = `${JSON.stringify(headers)}\n${await textOf(path, answer.body)}`;
        for (const [needle, name] of needles)
          if (text.includes(needle)) leaks.push(`${who} ${path}: ${name}`);
      }
    const logged = JSON.stringify(log.lines);
    for (const [needle, name] of needles)
      if (logged.includes(needle)) leaks.push(`the console's log: ${name}`);
    const reports = await captureFiles(join(teamDir, 'reports'), 'reports', new Set());
    expect(reports.length).toBeGreaterThan(0);
    leaks.push(...findLeaks(reports, needles));
    // The needles are the real ones: alice's session id is in the one header that sets it.
    const login = alice.answers.find((a) => a.path === '/login' && a.answer.status === 303)!;
    expect(String(login.answer.headers['set-cookie'])).toContain(sessionIds[0]![1]);
    expect(leaks).toEqual([]);
    // The search covered the real thing: every role's pages, the run's events, the auditor's downloads.
    expect(audrey.answers.length).toBeGreaterThan(10);
    expect(alice.answers.some((a) => a.answer.text.includes('CarrierUserPassword'))).toBe(true);
    expect(audrey.answers.some((a) => a.path.startsWith('/search') && a.answer.text.includes('***'))).toBe(
      true,
    );
    expect(log.lines.some((l) => l.message === 'console login refused' && l.fields.user === 'alice')).toBe(
      true,
    );
  }, 120_000);
});
