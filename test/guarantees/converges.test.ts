/**
 * Guarantee: one apply converges on a platform that does only what its pages promise. Right after
 * `apply`, `plan` has nothing to do — for every license kind (Essentials, Hosted Essentials under an
 * Operation Center customer, OC Essentials from a lead) and for SIP connections added to customers
 * that already existed. The simulator runs as the pages describe it: SbcConfigurationType is not
 * read by the creates or by Add SIP Connection, only by Modify SIP Connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { reportPathOf, runCli, xlsxText } from '../e2e/cli-helpers.js';
import { sampleSheets, writeWorkbook, type SampleSheet } from '../fixtures/build-samples.js';

const running: RunningSimulator[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The sample workbook with every row's SBC Configuration Type set to BYOC: neither platform default (Unknown, SIP Trunk). */
function byocSheets(): SampleSheet[] {
  return sampleSheets().map((sheet) =>
    sheet.name === 'Instructions'
      ? sheet
      : {
          ...sheet,
          headers: sheet.headers.includes('SBC Configuration Type')
            ? sheet.headers
            : [...sheet.headers, 'SBC Configuration Type'],
          rows: sheet.rows.map((row) => ({ ...row, 'SBC Configuration Type': 'BYOC' })),
        },
  );
}

async function setUp() {
  const sim = await startSimulator({ port: 0, seed: 23, taskDurationMs: 100 });
  running.push(sim);
  const cwd = mkdtempSync(join(tmpdir(), 'lpsync-converges-'));
  dirs.push(cwd);
  const state = join(cwd, 'state.db');
  const cli = (args: string[]) =>
    runCli([...args, '--state', state], { cwd, baseUrl: `${sim.url}/tenantui` });
  return { sim, cwd, cli };
}

const planLine = (stdout: string) => /^Plan: .*$/m.exec(stdout)?.[0];

describe('apply, then plan: nothing left to do', () => {
  it('for every license kind and their SIP connections, on the platform as the pages describe it', async () => {
    const { sim, cwd, cli } = await setUp();
    const book = join(cwd, 'byoc.xlsx');
    await writeWorkbook(book, byocSheets());
    const input = await loadWorkbook({ kind: 'xlsx', path: book });
    expect(input.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // Every license kind is there, each with a configuration type to set.
    const kinds = new Set(
      input.rows.customers.map((c) => `${c.license}${c.lcCustomerId ? ' under an OC customer' : ''}`),
    );
    expect([...kinds].sort()).toEqual(['Essentials', 'Essentials under an OC customer', 'OC Essentials']);
    expect(input.rows.customers.every((c) => c.site.sbcConfigurationType === 3)).toBe(true);
    expect(input.rows.sites.every((s) => s.site.sbcConfigurationType === 3)).toBe(true);

    const applied = await cli(['apply', book]);
    expect(applied.code, applied.stderr).toBe(0);
    const total = input.rows.customers.length + input.rows.sites.length;
    // The report says the type was set by the Modify, and why it was not in the first request.
    const report = await xlsxText(reportPathOf(applied.stdout, cwd));
    for (const page of [
      'Create Hosted Essentials Service',
      'Create OC Essentials Service from Lead',
      'Add SIP Connection',
    ])
      expect(report).toContain(`set with Modify SIP Connection: SbcConfigurationType (${page}`);
    const plan = await cli(['plan', book]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(planLine(plan.stdout)).toBe(
      `Plan: 0 to create, 0 to add, 0 to modify, ${total} unchanged, 0 busy, 0 conflicts`,
    );
    // The platform holds the type the sheet asked for, on every SIP connection lpsync made.
    const types = sim.snapshot().services.flatMap((s) => s.sites.map((site) => site.sbcConfigurationType));
    expect(types.length).toBe(total);
    expect(new Set(types)).toEqual(new Set([3]));
  }, 90_000);

  it('for SIP connections added to customers that already existed', async () => {
    const { cwd, cli } = await setUp();
    const [customers, sites] = byocSheets();
    const first = join(cwd, 'customers-only.xlsx');
    await writeWorkbook(first, [customers!]);
    const firstRun = await cli(['apply', first]);
    expect(firstRun.code, firstRun.stderr).toBe(0);

    const book = join(cwd, 'byoc.xlsx');
    await writeWorkbook(book, [customers!, sites!]);
    const second = await cli(['apply', book]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`0 created, ${sites!.rows.length} added, 0 modified, 0 failed`));
    const plan = await cli(['plan', book]);
    expect(planLine(plan.stdout)).toMatch(
      /^Plan: 0 to create, 0 to add, 0 to modify, \d+ unchanged, 0 busy, 0 conflicts$/,
    );
  }, 90_000);
});
