/**
 * Blank means keep, on the simulator: on rows that match an existing service or SIP connection, blank
 * secrets and blank optional fields are not compared and never sent (also against what the state store
 * recorded of fields the platform does not return), and plan says so once per column with its count; on a
 * create, a required field is still an error naming it, and a blank secret is simply not sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantState } from '../../bench/tenant.js';
import { createRedactor } from '../../src/model/redact.js';
import * as run from '../../src/run/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import {
  applyTenant,
  exportTenant,
  planTenant,
  rowsByHeader,
  workbookCells,
  writesOf,
  writeWorkbook,
} from '../support/tenant-runs.js';

const SERVICES = 6;
const SITES = 15;
const dir = mkdtempSync(join(tmpdir(), 'lpsync-blank-'));
const statePath = join(dir, 'state.db');
let sim: RunningSimulator;
const tenant = tenantState(SERVICES, SITES);
const exported = join(dir, 'tenant.xlsx');

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, initialState: tenantState(SERVICES, SITES) });
  await exportTenant(sim, exported);
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('blank means keep', () => {
  it('blank secrets and optional fields on existing rows: 0 actions, and plan names each column once', async () => {
    const result = await planTenant(sim, { kind: 'xlsx', path: exported }, statePath);
    expect(writesOf(result.change.plan)).toBe(0);
    const lines = run.blankKeptText(result.kept).split('\n');
    expect(lines).toContain(
      `  SipConnections: Carrier Password blank on ${SITES - SERVICES} existing SIP connections: kept as they are`,
    );
    expect(lines).toContain(
      `  Customers: Carrier Password blank on ${SERVICES} existing services: kept as they are`,
    );
    expect(lines).toContain(
      `  SipConnections: Phones blank on ${SITES - SERVICES} existing SIP connections: kept as they are`,
    );
    // Once per column: no column twice.
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('rows naming existing SIP connections, every other column blank: 0 actions, apply sends nothing', async () => {
    const keysOnly = join(dir, 'keys-only.xlsx');
    await writeWorkbook(keysOnly, {
      SipConnections: tenant.services.flatMap((service) =>
        service.sites.slice(1).map((site) => ({
          'Customer Short Name': service.shortName,
          'Site Name': site.name,
          'Carrier Password': '',
          'CAC Profile': '',
          'Proxy Set': '',
          'SBC Id': '',
          'Carrier User Name': '',
          'CustomVar.Variable1': '',
        })),
      ),
    });
    const keysState = join(dir, 'keys-only.db');
    const planned = await planTenant(sim, { kind: 'xlsx', path: keysOnly }, keysState);
    expect(writesOf(planned.change.plan)).toBe(0);
    expect(planned.change.plan.counts.unchanged).toBe(SITES - SERVICES);
    const kept = run.blankKeptText(planned.kept);
    for (const column of [
      'Carrier Password',
      'CAC Profile',
      'Proxy Set',
      'SBC Id',
      'Carrier User Name',
      'CustomVar.Variable1',
    ])
      expect(kept).toContain(
        `SipConnections: ${column} blank on ${SITES - SERVICES} existing SIP connections`,
      );
    const from = sim.writesReceived().length;
    const applied = await applyTenant(
      sim,
      { kind: 'xlsx', path: keysOnly },
      { statePath: keysState, reportPath: join(dir, 'keys-only.results.xlsx') },
    );
    expect(applied.result.records.every((r) => r.kind === 'unchanged')).toBe(true);
    expect(sim.writesReceived().slice(from)).toEqual([]);
  });

  it('fields lpsync applied and cannot read back, then left blank: not a change, nothing sent', async () => {
    // A change that sets, on two existing SIP connections, a password, phones, a dial plan and flags.
    const service = tenant.services[1]!;
    const sites = service.sites.slice(1, 3);
    const change = join(dir, 'change.xlsx');
    await writeWorkbook(change, {
      SipConnections: sites.map((site, k) => ({
        'Customer Short Name': service.shortName,
        'Site Name': site.name,
        'Carrier Password': `New!Secret${k}`,
        Phones: `+3222999000${k}`,
        'Dial Plan Name': `DP-new-${k}`,
        'Dial Plan Prefixes': `+3222999:1:TRUE`,
        'Enable CAC': 'FALSE',
        'Carrier Registration': 'TRUE',
      })),
    });
    const applied = await applyTenant(
      sim,
      { kind: 'xlsx', path: change },
      { statePath, reportPath: join(dir, 'change.results.xlsx') },
    );
    expect(applied.result.records.map((r) => [r.kind, r.status])).toEqual([
      ['modify-site', 'succeeded'],
      ['modify-site', 'succeeded'],
    ]);
    const before = sim.writesReceived().length;
    // The export leaves every one of those blank: with the state store's records, still 0 actions.
    const planned = await planTenant(sim, { kind: 'xlsx', path: exported }, statePath);
    expect(writesOf(planned.change.plan)).toBe(0);
    const again = await applyTenant(
      sim,
      { kind: 'xlsx', path: exported },
      { statePath, reportPath: join(dir, 'again.results.xlsx') },
    );
    expect(again.result.records.filter((r) => r.kind !== 'unchanged')).toEqual([]);
    expect(sim.writesReceived().length).toBe(before);
    // And the platform still has what the change set.
    const stored = sim.snapshot().services[1]!.sites.find((s) => s.name === sites[0]!.name)!;
    expect(stored.phones).toEqual(['+32229990000']);
    expect(stored.customerVariables.CarrierUserPassword).toBe('New!Secret0');
  });

  it('a modify sends only the fields the row fills: a blank one is never in the request', async () => {
    const site = tenant.services[2]!.sites[1]!;
    const cells = rowsByHeader((await workbookCells(exported)).SipConnections!);
    const row = cells.find((r) => r['Site Name'] === site.name)!;
    const change = join(dir, 'one-field.xlsx');
    await writeWorkbook(change, {
      SipConnections: [
        {
          'Customer Short Name': String(row['Customer Short Name']),
          'Site Name': site.name,
          'CAC Profile': '99 sessions',
          'Carrier Password': '',
        },
      ],
    });
    const from = sim.writesReceived().length;
    await applyTenant(
      sim,
      { kind: 'xlsx', path: change },
      { statePath, reportPath: join(dir, 'one.results.xlsx') },
    );
    const sent = sim.writesReceived().slice(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({
      siteLocationName: site.name,
      sbcSiteName: site.name,
      scriptParameters: { CacProfile: '99 sessions' },
    });
  });

  it('on a create, a required field is still an error naming it; a blank secret is just not sent', async () => {
    const missing = join(dir, 'create-missing.xlsx');
    await writeWorkbook(missing, {
      Customers: [
        {
          License: 'Essentials',
          'Short Name': 'NewCust01',
          'SBC Onboarding Script': 7,
          'SBC Cleanup Script': 700,
          'Carrier Password': '',
        },
      ],
    });
    const invalid = await run.validate({
      source: { kind: 'xlsx', path: missing },
      redactor: createRedactor(),
    });
    expect(invalid.document.ok).toBe(false);
    expect(invalid.loaded.issues).toContainEqual(
      expect.objectContaining({ severity: 'error', rule: 'required', column: 'SBC Id', row: 2 }),
    );
    const complete = join(dir, 'create.xlsx');
    await writeWorkbook(complete, {
      Customers: [
        {
          License: 'Essentials',
          'Short Name': 'NewCust02',
          'SBC Id': 5,
          'SBC Onboarding Script': 7,
          'SBC Cleanup Script': 700,
          'Carrier Password': '',
        },
      ],
    });
    const checked = await run.validate({
      source: { kind: 'xlsx', path: complete },
      redactor: createRedactor(),
    });
    expect(checked.document.ok).toBe(true);
    expect(checked.notes).toEqual([
      'Carrier Password is blank on 1 row of Customers: where the service or SIP connection exists, the Live Platform keeps its value (blank means keep; nothing is sent); a new one is created without it.',
    ]);
    const from = sim.writesReceived().length;
    await applyTenant(
      sim,
      { kind: 'xlsx', path: complete },
      { statePath, reportPath: join(dir, 'create.results.xlsx') },
    );
    const [create] = sim.writesReceived().slice(from);
    expect(create!.path).toBe('/api/v2/customer');
    expect(create!.body).not.toHaveProperty('scriptParameters');
  });
});
