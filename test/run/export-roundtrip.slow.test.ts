/**
 * The round trip at scale, on the simulator (real HTTP on a port the OS chose, real files): a tenant of 1,000
 * services and 3,000 SIP connections of every licence kind, with custom variables, secrets, fields the
 * platform never returns and odd names (spaces and accents in full names, non-ASCII site names, leading
 * zeros), given to the simulator as its initial state. Export, then plan of that file: 0 actions; the same
 * after LibreOffice re-saved the file (`soffice --headless --convert-to xlsx`, a private profile). The CSV
 * files' round trip, odd names included, is test/run/export.test.ts's at a smaller size: this file stays
 * near 25 s. Needs LibreOffice Calc (`.ci/run` installs it): without it this test fails, never skipped.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantLicense, tenantState } from '../../bench/tenant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { exportTenant, planTenant, rowsByHeader, workbookCells, writesOf } from '../support/tenant-runs.js';
import { libreOfficeConvert } from '../support/libreoffice.js';

const SERVICES = 1_000;
const SITES = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'lpsync-roundtrip-'));
const statePath = join(dir, 'state.db');
const exported = join(dir, 'tenant.xlsx');
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, initialState: tenantState(SERVICES, SITES) });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The plan of a file against the tenant: nothing to send, nothing in conflict, every row unchanged. */
async function expectNoChange(source: Parameters<typeof planTenant>[1]): Promise<void> {
  const { change } = await planTenant(sim, source, statePath);
  expect(writesOf(change.plan)).toBe(0);
  expect(change.plan.counts.conflict).toBe(0);
  expect(change.plan.counts.unchanged).toBe(SITES);
  expect(sim.writesReceived()).toEqual([]);
}

describe('export round trip: 1,000 services, 3,000 SIP connections', () => {
  it('the tenant holds what the test says: every licence kind, odd names, variables, secrets', () => {
    const state = tenantState(SERVICES, SITES);
    expect(new Set(state.services.map((_, i) => tenantLicense(i)))).toEqual(
      new Set(['Essentials', 'Hosted Essentials', 'OC Essentials']),
    );
    expect(state.services.reduce((n, s) => n + s.sites.length, 0)).toBe(SITES);
    expect(state.services.some((s) => /^00/.test(s.shortName))).toBe(true);
    expect(state.services.some((s) => / .* /.test(s.fullName ?? '') && /[^ -~]/.test(s.fullName ?? ''))).toBe(
      true,
    );
  });

  it('export, then plan of that file: 0 actions', async () => {
    const result = await exportTenant(sim, exported);
    expect([result.customers, result.sites]).toEqual([SERVICES, SITES - SERVICES]);
    await expectNoChange({ kind: 'xlsx', path: exported });
  });

  it('the same after LibreOffice re-saved the file', async () => {
    const out = join(dir, 'libreoffice');
    mkdirSync(out);
    await libreOfficeConvert(exported, 'xlsx', out, join(dir, 'lo-profile'));
    const resaved = join(out, 'tenant.xlsx');
    // LibreOffice wrote the file itself: the same rows, and its values as it keeps them.
    const rows = rowsByHeader((await workbookCells(resaved)).Customers!);
    expect(rows).toHaveLength(SERVICES);
    expect(
      rows
        .filter((r) => /^00/.test(String(r['Short Name'])))
        .every((r) => typeof r['Short Name'] === 'string'),
    ).toBe(true);
    await expectNoChange({ kind: 'xlsx', path: resaved });
  }, 180_000);
});
