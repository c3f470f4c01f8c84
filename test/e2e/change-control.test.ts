/**
 * Change control through the real CLI against the simulator: a saved plan is applied exactly (request by
 * request), refused when stale, when the workbook changed or when applied before; modes and waves send
 * exactly what they allow.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { createRedactor } from '../../src/model/redact.js';
import type { SavedPlan } from '../../src/plan/plan-file.js';
import { sha256Hex } from '../../src/model/hashing.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { sampleSheets, writeWorkbook } from '../fixtures/build-samples.js';
import { readResults, reportPathOf, runCli, SAMPLE } from './cli-helpers.js';

let work: string;
let sim: RunningSimulator | undefined;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lpsync-change-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setUp(name: string) {
  sim = await startSimulator({ port: 0, seed: 11, taskDurationMs: 100 });
  const cwd = mkdtempSync(join(work, name));
  const book = join(cwd, 'customers.xlsx');
  copyFileSync(SAMPLE, book);
  const s = sim;
  const cli = (args: string[]) =>
    runCli([...args, '--state', join(cwd, 'state.db')], { cwd, baseUrl: s.url });
  return { sim: s, cwd, book, cli };
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A request as the plan file shows it: GUIDs (not known when planning a create) and secrets masked. */
const shown = (method: string, path: string, body: unknown) =>
  JSON.stringify([
    method,
    path.replace(GUID, '{guid}').replace('{customerGuid}', '{guid}'),
    createRedactor().value(body),
  ]);

const readPlan = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SavedPlan;
const creates = (s: RunningSimulator) => Object.keys(s.snapshot().counters.createAttempts).sort();

describe('saved plans', () => {
  it('apply --plan sends exactly the plan, request by request; the same plan a second time is refused', async () => {
    const { sim, cwd, book, cli } = await setUp('exact');
    const planned = await cli(['plan', book, '--out', 'change.plan.json']);
    expect(planned.code, planned.stderr).toBe(0);
    const text = readFileSync(join(cwd, 'change.plan.json'), 'utf8');
    const sha = sha256Hex(text);
    expect(planned.stdout).toContain(`SHA-256: ${sha}`);
    const plan = readPlan(join(cwd, 'change.plan.json'));
    const input = await loadWorkbook({ kind: 'xlsx', path: book });
    for (const secret of input.secrets) expect(text).not.toContain(secret);
    expect(plan.inputs.map((i) => i.sha256)).toEqual([sha256Hex(readFileSync(book))]);
    expect(sim.writesReceived()).toEqual([]);

    const applied = await cli(['apply', '--plan', 'change.plan.json', book]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Plan applied: ${join(cwd, 'change.plan.json')} (SHA-256 ${sha})`);
    const expected = plan.actions.flatMap((a) => [
      ...(a.request ? [shown(a.request.method, a.request.path, a.request.body)] : []),
      ...(a.followUp ? [shown('PATCH', '', a.followUp)] : []),
    ]);
    const received = sim
      .writesReceived()
      .map((w) => shown(w.method, w.method === 'PATCH' ? '' : w.path, w.body));
    expect(received.sort()).toEqual(expected.sort());
    // The results workbook's summary ties the run to the approved plan.
    const summary = JSON.parse(
      readFileSync(reportPathOf(applied.stdout, cwd).replace(/\.xlsx$/, '.summary.json'), 'utf8'),
    );
    expect(summary.plan).toEqual({
      file: join(cwd, 'change.plan.json'),
      sha256: sha,
      planned: { by: userInfo().username, role: null, host: hostname(), at: plan.createdAt },
      approvals: [],
    });

    const twice = await cli(['apply', '--plan', 'change.plan.json', book]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/was already applied by run run-\S+/);
    expect(sim.writesReceived()).toHaveLength(received.length);
  }, 90_000);

  it('a portal change after the plan makes apply --plan exit 2 naming the SIP connection and field; nothing is sent', async () => {
    const { sim, book, cli } = await setUp('stale');
    expect((await cli(['apply', book])).code).toBe(0);
    expect((await cli(['plan', book, '--out', 'p.plan.json'])).code).toBe(0);
    const site = sim
      .snapshot()
      .services.flatMap((s) => s.sites)
      .find((x) => x.name === 'DR94Site2')!;
    const portal = await fetch(`${sim.url}/_sim/sites/${site.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ CacProfile: '77 sessions' }),
    });
    expect(portal.status).toBe(200);
    const before = sim.writesReceived().length;
    const stale = await cli(['apply', '--plan', 'p.plan.json', book]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('The plan is stale');
    expect(stale.stderr).toContain('SIP connection DR94Site2 changed since the plan (cacProfile)');
    expect(sim.writesReceived()).toHaveLength(before);
  }, 90_000);

  it('a workbook changed since the plan is refused; so is another platform', async () => {
    const { sim, cwd, book, cli } = await setUp('changed');
    expect((await cli(['plan', book, '--out', 'p.plan.json'])).code).toBe(0);
    const sheets = sampleSheets();
    sheets[0]!.rows[0]!['Full Name'] = 'BradSB1E1 Renamed';
    await writeWorkbook(book, sheets);
    const changed = await cli(['apply', '--plan', 'p.plan.json', book]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/The workbook is not the one p\.plan\.json was made from/);
    const other = await runCli(['apply', '--plan', 'p.plan.json', book, '--state', join(cwd, 'state.db')], {
      cwd,
      baseUrl: `${sim.url}/tenantui`,
    });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /was made for the Live Platform at http:\/\/127\.0\.0\.1:\d+; this run is connected to/,
    );
    expect(sim.writesReceived()).toEqual([]);
  }, 90_000);
});

describe('modes and waves', () => {
  it('update-only on an empty platform sends no create: every row is skipped as not found', async () => {
    const { sim, cwd, book, cli } = await setUp('update-only');
    const run = await cli(['apply', book, '--mode', 'update-only']);
    expect(run.code, run.stderr).toBe(0);
    expect(sim.writesReceived()).toEqual([]);
    const results = await readResults(reportPathOf(run.stdout, cwd));
    for (const sheet of results.values()) expect(new Set(sheet.statuses)).toEqual(new Set(['skipped']));
  }, 90_000);

  it('create-only leaves what exists as it is: a difference is listed, no PATCH is sent', async () => {
    const { sim, book, cli } = await setUp('create-only');
    expect((await cli(['apply', book])).code).toBe(0);
    const site = sim
      .snapshot()
      .services.flatMap((s) => s.sites)
      .find((x) => x.name === 'DR94Site2')!;
    await fetch(`${sim.url}/_sim/sites/${site.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ CacProfile: '77 sessions' }),
    });
    const before = sim.writesReceived().length;
    const plan = await cli(['plan', book, '--mode', 'create-only']);
    expect(plan.stdout).toMatch(/1 excluded by --mode/);
    expect(plan.stdout).toMatch(/exists \(create-only\): its differences are listed, not sent/);
    const run = await cli(['apply', book, '--mode', 'create-only']);
    expect(run.code, run.stderr).toBe(0);
    expect(sim.writesReceived()).toHaveLength(before);
  }, 90_000);

  it('--only sends exactly the selected customers and their SIP connections; the rest is not selected, exit 0', async () => {
    const { sim, cwd, book, cli } = await setUp('only');
    const run = await cli(['apply', book, '--only', 'customer:Brad*']);
    expect(run.code, run.stderr).toBe(0);
    expect(creates(sim).every((n) => n.startsWith('Brad'))).toBe(true);
    expect(creates(sim).length).toBeGreaterThan(1);
    const adds = Object.keys(sim.snapshot().counters.siteAdds);
    expect(adds.length).toBeGreaterThan(0);
    expect(adds.every((k) => k.startsWith('Brad'))).toBe(true);
    const results = await readResults(reportPathOf(run.stdout, cwd));
    const statuses = [...results.values()].flatMap((s) => s.statuses);
    expect(statuses).toContain('not-selected');
    expect(new Set(statuses)).toEqual(new Set(['succeeded', 'not-selected']));
  }, 90_000);

  it('--limit sends at most N write actions, never a SIP connection without its customer', async () => {
    const { sim, cli, book } = await setUp('limit');
    const run = await cli(['apply', book, '--limit', '3']);
    expect(run.code, run.stderr).toBe(0);
    const { createAttempts, siteAdds } = sim.snapshot().counters;
    expect(Object.keys(createAttempts).length + Object.keys(siteAdds).length).toBe(3);
    const all = sim.snapshot().services.map((s) => s.shortName);
    for (const site of Object.keys(siteAdds)) expect(all).toContain(site.split('/')[0]);
  }, 90_000);
});

describe('the review workbook', () => {
  it('has one row per change, prints A4 landscape one page wide, and rows as tall as their text', async () => {
    const { cwd, book, cli } = await setUp('review');
    const run = await cli(['plan', book, '--out', 'review.xlsx', '--out', 'p.plan.json']);
    expect(run.code, run.stderr).toBe(0);
    const sha = sha256Hex(readFileSync(join(cwd, 'p.plan.json'), 'utf8'));
    const zip = await JSZip.loadAsync(readFileSync(join(cwd, 'review.xlsx')));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet).toMatch(/<pageSetup[^>]*orientation="landscape"/);
    expect(sheet).toMatch(/<pageSetup[^>]*paperSize="9"/);
    expect(sheet).toMatch(/<pageSetup[^>]*fitToWidth="1"/);
    expect(sheet).toMatch(/<pageSetup[^>]*fitToHeight="0"/);
    expect(sheet).toMatch(/<pageSetUpPr[^>]*fitToPage="1"/);
    const heights = [...sheet.matchAll(/<row [^>]*\sht="(\d+(?:\.\d+)?)"/g)].map((m) => Number(m[1]));
    expect(heights.length).toBeGreaterThan(5);
    expect(Math.max(...heights)).toBeGreaterThan(100); // a request body's lines
    const summary = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
    expect(summary).toContain(sha);
    const input = await loadWorkbook({ kind: 'xlsx', path: book });
    const all = Object.values(await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join(
      '',
    );
    for (const secret of input.secrets) expect(all).not.toContain(secret);
  }, 90_000);
});
