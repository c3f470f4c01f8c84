/**
 * The console for a team, by the requests its pages send: an operator plans; under --require-approval her
 * Apply is refused (nothing sent) until an approver approved; then she applies and the results' Summary
 * names the three. The audit trail names each account as "who"; audit verify stays green, and names the
 * approval row edited in SQLite. An auditor reads every page; every change route of the route table answers
 * 403 to the auditor's session.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/model/text.js';
import * as run from '../../src/run/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { SAMPLE } from '../e2e/cli-helpers.js';
import { collectingLog, location, type Visitor } from './helpers.js';
import { filled, startTeamConsole, writeUsers, type TeamConsole } from './team-helpers.js';

let sim: RunningSimulator;
let web: TeamConsole;
let dir: string;
const log = collectingLog();
const made = { sha: '', runId: '' };

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 2401, taskDurationMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-web-team-'));
  const usersFile = await writeUsers(dir);
  web = await startTeamConsole({ baseUrl: `${sim.url}/tenantui`, dir, usersFile, log });
});
afterAll(async () => {
  await web?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The Summary sheet's rows as item → value. */
async function summaryOf(body: Buffer): Promise<Map<string, string>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const rows = new Map<string, string>();
  book
    .getWorksheet('Summary')!
    .eachRow((row) => rows.set(textOf(row.getCell(1).value), textOf(row.getCell(2).value)));
  return rows;
}

async function planAs(v: Visitor): Promise<string> {
  const up = await v.upload([{ role: 'workbook', name: 'customers.xlsx', bytes: readFileSync(SAMPLE) }]);
  expect(up.status).toBe(303);
  const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
  await v.get(location(up));
  expect((await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(303);
  return /\/plans\/([0-9a-f]{64})/.exec((await v.get(`/uploads/${id}/plan`)).text)![1]!;
}

describe('a second person’s approval in the console', () => {
  it('the operator’s Apply is refused until an approver approved; then it runs and the Summary names all three', async () => {
    const alice = await web.as('alice');
    const bob = await web.as('bob');
    made.sha = await planAs(alice);

    const waiting = await alice.post(`/plans/${made.sha}/apply`);
    expect(waiting.status).toBe(403);
    expect(waiting.text).toContain('approv');
    expect(sim.writesReceived()).toEqual([]);
    // The operator may not approve (her role), the approver may.
    expect((await alice.post(`/plans/${made.sha}/approve`)).status).toBe(403);
    expect((await bob.get(`/plans/${made.sha}`)).text).toContain('Approve');
    expect((await bob.post(`/plans/${made.sha}/approve`)).status).toBe(303);
    expect((await bob.get(`/plans/${made.sha}`)).text).toContain('bob');
    expect(sim.writesReceived()).toEqual([]);

    const started = await alice.post(`/plans/${made.sha}/apply`);
    expect(started.status).toBe(303);
    const runPath = location(started);
    expect((await alice.get(`${runPath}/events`)).text).toContain('event: end');
    expect(sim.writesReceived().length).toBeGreaterThan(0);
    const results = await alice.get(`${runPath}/results.xlsx`);
    expect(results.status).toBe(200);
    const summary = await summaryOf(results.body);
    expect(summary.get('Planned by')).toMatch(/^alice@\S+ \(operator\) at /);
    expect(summary.get('Approved by')).toMatch(/^bob@\S+ \(approver\) at /);
    expect(summary.get('Applied by')).toMatch(/^alice@\S+ \(operator\) at /);
    expect(log.lines.some((l) => l.message.includes('apply refused') && l.fields.user === 'alice')).toBe(
      true,
    );
  }, 60_000);

  it('the audit trail names each account as who on the entries its actions made; audit verify is green', async () => {
    const statePath = join(dir, 'state.db');
    const out = join(dir, 'trail.jsonl');
    await run.auditExport({ statePath, out });
    const entries = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(JSON.parse(line).content) as { kind: string; data: Record<string, unknown> });
    const who = (kind: string) =>
      entries.filter((e) => e.kind === kind).map((e) => [e.data.user, e.data.role]);
    expect(who('plan')).toEqual([['alice', 'operator']]);
    expect(who('approval')).toEqual([['bob', 'approver']]);
    expect(who('run-start')).toEqual([['alice', 'operator']]);
    // The server's OS user stays beside the account: who started lpsync serve.
    expect(entries.find((e) => e.kind === 'run-start')!.data.osUser).toBe('tester');
    const verdict = await run.auditVerify({ statePath });
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    const runs = await run.history({ statePath });
    made.runId = runs.kind === 'runs' ? runs.runs[0]!.runId : '';
    expect(made.runId).not.toBe('');
  });
});

describe('an auditor', () => {
  it('reads the runs, a run’s page and its report, the search, Audit, its export, Doctor and Drift', async () => {
    const audrey = await web.as('audrey');
    const runs = await audrey.get('/history');
    expect(runs.status).toBe(200);
    expect(runs.text).toContain(made.runId);
    expect(runs.text).toContain('alice');
    const one = await audrey.get(`/history/${made.runId}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain('BradSB1E1');
    const report = await audrey.get(`/history/${made.runId}/report.xlsx`);
    expect(report.status).toBe(200);
    expect((await summaryOf(report.body)).get('Approved by')).toMatch(/^bob@/);
    const search = await audrey.get('/search?customer=SaraTest1');
    expect(search.status).toBe(200);
    expect(search.text).toContain(made.runId);
    expect(search.text).toContain('alice');
    const audit = await audrey.get('/audit');
    expect(audit.status).toBe(200);
    expect(audit.text).toMatch(/[0-9a-f]{64}/);
    expect(audit.text).not.toMatch(/was edited|broken/i);
    expect((await audrey.get('/audit/export')).status).toBe(200);
    expect((await audrey.get('/doctor')).status).toBe(200);
    expect((await audrey.get('/drift')).status).toBe(200);
    // Nothing on her pages offers a change.
    for (const page of [runs, one, search, audit])
      expect(page.text).not.toMatch(/action="\/(uploads|plans)|>Apply|>Approve</);
  });

  it('every change route of the route table answers 403 to the auditor’s session', async () => {
    const audrey = await web.as('audrey');
    const changes = web.console.routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    // Only signing in and out are changes an auditor may make.
    const hers = changes.filter((r) => r.need === 'session').map((r) => `${r.method} ${r.url}`);
    expect(hers.sort()).toEqual(['POST /login', 'POST /logout']);
    const guarded = changes.filter((r) => r.need !== 'session');
    expect(guarded.length).toBeGreaterThanOrEqual(6);
    for (const route of guarded) {
      for (const path of [filled(route.url), route.url.replace(':sha', made.sha)]) {
        const answer = await audrey.post(path, {}, { headers: { 'X-Csrf-Token': audrey.csrf } });
        expect(answer.status, `${route.method} ${path}`).toBe(403);
        expect(answer.text).toContain('audrey (auditor) may not');
      }
    }
    // The GETs are hers to read: none refused by role.
    const reads = web.console.routes.filter((r) => r.method === 'GET' && !r.open);
    for (const route of reads) expect((await audrey.get(filled(route.url))).status).not.toBe(403);
    expect(log.lines.filter((l) => l.message.includes('the role may not')).length).toBeGreaterThan(6);
  });
});

describe('the approval row edited in SQLite', () => {
  it('is named by audit verify, on the Audit page', async () => {
    const db = new Database(join(dir, 'state.db'));
    db.prepare("UPDATE approvals SET approved_by = 'mallory'").run();
    db.close();
    const audit = await (await web.as('audrey')).get('/audit');
    expect(audit.text).toContain(`approvals row 1 (plan ${made.sha}, approved by bob) was edited`);
  });
});
