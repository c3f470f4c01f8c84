/**
 * Export and backout through the real CLI against the simulator (a tenant given as its initial state, real
 * HTTP on a port the OS chose, real files): apply a workbook that modifies 50 SIP connections, then apply the
 * before-image it wrote: an export after equals the export before, cell for cell. `report --run` writes the
 * same before-image again from the store; the options are checked before anything is read.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantState } from '../../bench/tenant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { rowsByHeader, workbookCells } from '../support/tenant-runs.js';
import { runCli } from './cli-helpers.js';

const SERVICES = 40;
const SITES = 120;
let work: string;
let sim: RunningSimulator;
/** The run that made the change (the first test's), whose before-image the second rebuilds. */
let changeRun: string;
/** The CLI in the work folder; every command that keeps a state store keeps it in one file there. */
const cli = (args: string[]) =>
  runCli(args[0] === 'export' ? args : [...args, '--state', join(work, 'state.db')], {
    cwd: work,
    baseUrl: sim.url,
  });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lpsync-e2e-export-'));
  sim = await startSimulator({ port: 0, seed: 25, initialState: tenantState(SERVICES, SITES) });
});
afterAll(async () => {
  await sim?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** 50 SIP connections of the export, each with five fields changed from what the platform has. */
async function writeChange(exported: string, path: string): Promise<void> {
  const rows = rowsByHeader((await workbookCells(exported)).SipConnections!).slice(0, 50);
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('SipConnections');
  const headers = [
    'Customer Short Name',
    'Site Name',
    'CAC Profile',
    'Carrier User Name',
    'Online PSTN Gateway',
    'SBC Configuration Type',
    'CustomVar.Variable1',
  ];
  ws.addRow(headers);
  rows.forEach((r, k) => {
    const type = ['Unknown', 'SIP Trunk', 'IPPBX', 'BYOC'];
    ws.addRow([
      r['Customer Short Name'],
      r['Site Name'],
      `${50 + k} sessions`,
      `changed-${k}`,
      `changed${k}.gw.example`,
      type[(type.indexOf(String(r['SBC Configuration Type'])) + 1) % 4],
      `X${k}`,
    ]);
  });
  await book.xlsx.writeFile(path);
}

describe('export and backout, through the CLI', () => {
  it('applying the before-image of a change puts back every field the platform returns, cell for cell', async () => {
    const before = await cli(['export', '--out', 'before.xlsx']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain(
      `Exported ${SERVICES} service(s) (Customers) and ${SITES - SERVICES} further SIP connection(s)`,
    );
    await writeChange(join(work, 'before.xlsx'), join(work, 'change.xlsx'));

    const change = await cli(['apply', 'change.xlsx', '--report', 'reports/change.results.xlsx']);
    expect(change.code, change.stderr).toBe(0);
    expect(change.stdout).toContain('0 created, 0 added, 50 modified, 0 failed');
    changeRun = /Run: (run-\S+)/.exec(change.stdout)![1]!;
    expect(change.stdout).toContain(
      'Before-image (apply it to back out): reports/change.results.before.xlsx',
    );
    const summary = rowsByHeader((await workbookCells(join(work, 'reports/change.results.xlsx'))).Summary!);
    expect(summary).toContainEqual({
      Item: 'Before-image (apply it to back out)',
      Value: 'reports/change.results.before.xlsx',
      Count: null,
    });
    const changed = await cli(['export', '--out', 'changed.xlsx']);
    expect(changed.code).toBe(0);
    expect(await workbookCells(join(work, 'changed.xlsx'))).not.toEqual(
      await workbookCells(join(work, 'before.xlsx')),
    );

    // The before-image holds the 50 as they were, blank where the platform returns nothing (kept).
    const image = join(work, 'reports/change.results.before.xlsx');
    const imageRows = rowsByHeader((await workbookCells(image)).SipConnections!);
    expect(imageRows).toHaveLength(50);
    expect(imageRows.every((r) => r['Carrier Password'] === null && r.Phones === null)).toBe(true);
    const plan = await cli(['plan', image]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to add, 50 to modify');
    const backout = await cli(['apply', image, '--report', 'reports/backout.results.xlsx']);
    expect(backout.code, backout.stderr).toBe(0);
    expect(backout.stdout).toContain('50 modified');

    const after = await cli(['export', '--out', 'after.xlsx']);
    expect(after.code).toBe(0);
    expect(await workbookCells(join(work, 'after.xlsx'))).toEqual(
      await workbookCells(join(work, 'before.xlsx')),
    );
    // And the fields the platform never returns are as the change left them: the change set none.
    const state = tenantState(SERVICES, SITES);
    const stored = sim.snapshot().services.flatMap((s) => s.sites.map((site) => site.phones.join(',')));
    expect(stored).toEqual(state.services.flatMap((s) => s.sites.map((site) => site.phones.join(','))));
  });

  it('report --run writes the same before-image again, from the state store alone', async () => {
    const runId = changeRun;
    const rebuilt = await cli(['report', '--run', runId, '--out', 'rebuilt/change.results.xlsx']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain(
      'Before-image (apply it to back out): rebuilt/change.results.before.xlsx',
    );
    expect(await workbookCells(join(work, 'rebuilt/change.results.before.xlsx'))).toEqual(
      await workbookCells(join(work, 'reports/change.results.before.xlsx')),
    );
    const verify = await cli(['audit', 'verify']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('checks its options before it reads anything: exit 2, nothing written', async () => {
    const csv = await cli(['export', '--format', 'csv', '--out', 'tenant.csv']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('with --format csv, --out is a folder');
    const wave = await cli(['export', '--out', 'wave.xlsx', '--only', 'action:add-site']);
    expect(wave.code).toBe(2);
    expect(wave.stderr).toContain('export selects services by name only');
    expect(existsSync(join(work, 'wave.xlsx'))).toBe(false);
  });
});
