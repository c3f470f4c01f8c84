import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePlatformClient, parseSiteDetails, type LivePlatformClient } from '../../src/api/index.js';
import { TASK_SUCCESS } from '../../src/api/types.js';
import { silentLogger } from '../../src/cli/logging.js';
import { loadWorkbook } from '../../src/input/index.js';
import { createRedactor } from '../../src/model/redact.js';
import type { WorkbookRows } from '../../src/model/types.js';
import { makePlan } from '../../src/run/plan.js';
import { planActions } from '../../src/plan/plan-actions.js';
import { renderPlan } from '../../src/plan/plan-view.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import type { AppliedDigest, Plan, PlannedAction } from '../../src/plan/types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { vendorSiteReadBack } from '../support/vendor-examples.js';
import { customerRow, noneApplied, planFileOf, siteRow, VENDOR_PASSWORD, vendorSiteRow } from './fixtures.js';

/**
 * Convergence against the simulator through the real client: apply a plan's actions with a
 * small sequential loop, re-plan, and nothing is left to do; then one cell, then one portal change.
 */

let sim: RunningSimulator;
let client: LivePlatformClient;
let store: StateStore;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, taskDurationMs: 30 });
  client = createLivePlatformClient({
    baseUrl: `${sim.url}/tenantui`,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    task: { pollIntervalMs: 10, maxPollIntervalMs: 20, timeoutMs: 10_000 },
  });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-converge-'));
  store = openStateStore(join(dir, '.lpsync', 'state.db'));
});

afterAll(async () => {
  store?.close();
  client?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CARRIER_PASSWORD = 'Conv-Carrier-Pw1';
const DPI = 'Conv-Dpi-Secret2';
const TEAMS = 'Conv-Teams-Secret3';

function sheet(): WorkbookRows {
  return {
    customers: [
      customerRow({
        shortName: 'ConvA1',
        fullName: 'Convergence A',
        msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
        lcCustomerId: '1317027',
        channelId: 'channel-7',
        site: {
          sbcId: 5,
          sbcOnboardingScript: 10007,
          sbcCleanupScript: 10700,
          ovocCustomerType: 'IPGROUP_TYPE',
          sbcConfigurationType: 1,
          cacProfile: '5 sessions',
          proxySet: 'SIPTrunk',
          onlinePstnGateway: 'sandbox1.audiocodes.be',
          carrierUserName: 'conv-a',
          carrierUserPassword: CARRIER_PASSWORD,
          carrierMainLine: 'main-a',
          carrierHostName: 'a.example.com',
          customVariables: { additionalProp1: 'Service Provider2 SBC' },
        },
      }),
      customerRow({
        shortName: 'ConvOc1',
        license: 'OC Essentials',
        fullName: 'Convergence OC',
        msTenantId: 'f9f53ee0-56e1-43f6-8fe3-5fb322986657',
        site: {
          proxySet: 'SIPTrunk',
          onlinePstnGateway: 'oc1.sandbox2.audiocodes.be',
          sbcConfigurationType: 1,
          customVariables: {},
        },
        oc: {
          configurationName: 'OcEssential_IPGROUP_TYPE',
          licensedUsersCount: 10,
          teamsQosApplicationId: '3f1b2c4d-0000-4000-8000-000000000001',
          teamsQosApplicationPassword: TEAMS,
        },
      }),
    ],
    sites: [
      vendorSiteRow('ConvA1'),
      siteRow('ConvA1', 'Branch3', {
        ovocCustomerType: 'IPGROUP_TYPE',
        sbcId: 5,
        sbcOnboardingScript: 10007,
        sbcCleanupScript: 10700,
        sbcConfigurationType: 2,
        cacProfile: '5 sessions',
        proxySet: 'SIPTrunk',
        carrierUserName: '1000',
        carrierPasswordDPI: DPI,
        enableCAC: true,
        flagConfigureSbc: true,
        flagCarrierRegistration: true,
        phones: ['+3212345678', '+3212345679'],
        dialPlanName: 'DP-Branch3',
        dialPlanPrefixes: [
          { prefix: '+3212', index: 1, active: true },
          { prefix: '+3213', index: 2, active: false },
        ],
        m365: { flagConfigureM365Routing: true, onboardingScript: 30, cleanupScript: 31 },
        customVariables: { 'CustomVar.Variable2': 'region-eu' },
      }),
      siteRow('ConvOc1', 'OcBranch2', {
        sbcId: 6,
        sbcOnboardingScript: 7,
        sbcCleanupScript: 700,
        cacProfile: '10 sessions',
        onlinePstnGateway: 'oc2.sandbox2.audiocodes.be',
      }),
    ],
  };
}

function withGuids(records: AppliedDigest[], customerGuid: string, siteGuid: string) {
  return records.map((r) => ({ ...r, customerGuid, siteGuid: r.siteName === undefined ? null : siteGuid }));
}

function must<T>(result: { kind: string; value?: T; error?: Error }, what: string): T {
  if (result.kind !== 'ok') throw new Error(`${what}: ${result.kind} ${result.error?.message ?? ''}`);
  return result.value as T;
}

/** The smallest executor: one action after another, in plan order (creates come first). */
async function applySequentially(plan: Plan, runId: string): Promise<void> {
  const created = new Map<string, string>();
  for (const action of plan.actions) {
    const request = action.request;
    if (!request) continue;
    let customerGuid: string;
    let siteGuid: string;
    switch (request.endpoint) {
      case 'createCustomer': {
        const result = must(await client.createCustomer(request.body), action.id);
        customerGuid = result.customerGuid;
        siteGuid = result.siteLocationIds[0] ?? customerGuid;
        break;
      }
      case 'createOcService': {
        const { jobId } = must(await client.createOcService(request.body), action.id);
        const task = await client.waitForTask(jobId);
        expect(task.status).toBe(TASK_SUCCESS);
        customerGuid = task.customerGuid as string;
        const service = await client.getService(customerGuid);
        siteGuid = service?.sites.find((s) => s.name === action.siteName)?.id ?? customerGuid;
        break;
      }
      case 'addSite': {
        customerGuid = request.customerGuid ?? (created.get(action.customerShortName) as string);
        siteGuid = must(await client.addSite(customerGuid, request.body), action.id).siteGuid;
        break;
      }
      case 'modifySite': {
        customerGuid = request.customerGuid;
        siteGuid = request.siteGuid;
        must(await client.modifySite(customerGuid, siteGuid, request.body), action.id);
        break;
      }
    }
    if (action.kind === 'create-customer' || action.kind === 'create-oc-service') {
      created.set(action.customerShortName, customerGuid);
    }
    store.recordApplied(runId, withGuids(action.record, customerGuid, siteGuid));
    if (action.followUp) {
      must(await client.modifySite(customerGuid, siteGuid, action.followUp.body), `${action.id} follow-up`);
      store.recordApplied(runId, withGuids(action.followUp.record, customerGuid, siteGuid));
    }
  }
}

async function plan(rows: WorkbookRows): Promise<Plan> {
  return (
    await makePlan({ rows, client, applied: store.loadApplied(), concurrency: 4, baseUrl: 'http://sim' })
  ).plan;
}

function changing(p: Plan): PlannedAction[] {
  return p.actions.filter((a) => a.kind !== 'unchanged');
}

describe('convergence against the simulator', () => {
  it('applies a plan, then re-plans every row unchanged', async () => {
    const rows = sheet();
    const first = await plan(rows);
    expect(first.counts).toMatchObject({
      'create-customer': 1,
      'create-oc-service': 1,
      'add-site': 3,
      conflict: 0,
    });
    expect(first.actions.find((a) => a.id === 'site:ConvA1/DR94Site2')?.dependsOn).toEqual([
      'customer:ConvA1',
    ]);
    await applySequentially(first, 'run-1');

    const second = await plan(rows);
    expect(changing(second).map((a) => [a.id, a.kind, a.reasons])).toEqual([]);
    expect(second.counts.unchanged).toBe(5);
    expect(second.drift).toEqual([]);
  });

  it('reads the vendor example site back as sent: unchanged, and the read-back holds the password', async () => {
    const services = await client.listServices({ allDetails: true });
    const site = services.find((s) => s.shortName === 'ConvA1')?.sites.find((s) => s.name === 'DR94Site2');
    const details = await client.getSite(site?.id as string);
    expect(details?.carrierMainLine).toBeNull();
    expect(details?.customerVariables).toMatchObject({ CarierMailLine: 'Site2MainLine123' });
    expect(details?.customerVariables.CarrierUserPassword).toBe(VENDOR_PASSWORD);
  });

  it('plans exactly one modify-site when one cell changes (readable or not), and converges again', async () => {
    const rows = sheet();
    (rows.sites[2] as (typeof rows.sites)[number]).site.cacProfile = '20 sessions';
    const onePlan = await plan(rows);
    const changed = changing(onePlan);
    expect(changed.map((a) => [a.id, a.kind])).toEqual([['site:ConvOc1/OcBranch2', 'modify-site']]);
    expect(changed[0]?.reasons).toEqual([
      {
        field: 'cacProfile',
        before: '10 sessions',
        after: '20 sessions',
        message: 'cacProfile differs from the Live Platform',
      },
    ]);
    await applySequentially(onePlan, 'run-2');
    expect(changing(await plan(rows))).toEqual([]);

    (rows.sites[1] as (typeof rows.sites)[number]).site.phones = ['+3212345678'];
    const phonesPlan = await plan(rows);
    expect(changing(phonesPlan).map((a) => [a.id, a.kind, a.reasons.map((r) => r.field)])).toEqual([
      ['site:ConvA1/Branch3', 'modify-site', ['phones']],
    ]);
    await applySequentially(phonesPlan, 'run-3');
    expect(changing(await plan(rows))).toEqual([]);
    const stored = sim.snapshot().services.find((s) => s.shortName === 'ConvA1');
    expect(JSON.stringify(stored)).toContain('DP-Branch3');
  });

  it('plans modify-site naming the field for exactly the site changed in the portal', async () => {
    const rows = sheet();
    (rows.sites[2] as (typeof rows.sites)[number]).site.cacProfile = '20 sessions';
    (rows.sites[1] as (typeof rows.sites)[number]).site.phones = ['+3212345678'];
    const services = await client.listServices({ allDetails: true });
    const target = services.find((s) => s.shortName === 'ConvA1')?.sites.find((s) => s.name === 'Branch3');
    const response = await fetch(`${sim.url}/_sim/sites/${target?.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scriptParameters: { ProxySet: 'PortalTrunk' } }),
    });
    expect(response.ok).toBe(true);

    const portalPlan = await plan(rows);
    const changed = changing(portalPlan);
    expect(changed.map((a) => [a.id, a.kind])).toEqual([['site:ConvA1/Branch3', 'modify-site']]);
    expect(changed[0]?.reasons).toEqual([
      {
        field: 'proxySet',
        before: 'PortalTrunk',
        after: 'SIPTrunk',
        message: 'proxySet differs from the Live Platform',
      },
    ]);
    await applySequentially(portalPlan, 'run-4');
    expect(changing(await plan(rows))).toEqual([]);
  });

  it('never shows a secret in the plan text or the plan file', () => {
    const rows = sheet();
    const p = planActions(rows, { services: [], sites: new Map() }, noneApplied());
    const file = planFileOf(p, createRedactor());
    expect(file).toContain('***');
    const text = renderPlan(p, { showUnchanged: true }) + file;
    for (const secret of [CARRIER_PASSWORD, DPI, TEAMS, VENDOR_PASSWORD]) expect(text).not.toContain(secret);
  });

  it('is busy while the platform reports pending tasks, and lists what the sheet does not name as drift', async () => {
    sim.setFaults({ pendingTaskMs: 60_000 });
    const rows = sheet();
    (rows.sites[1] as (typeof rows.sites)[number]).site.phones = ['+3212345678'];
    (rows.sites[2] as (typeof rows.sites)[number]).site.cacProfile = '30 sessions';
    await applySequentially(await plan(rows), 'run-5');
    must(await client.createCustomer({ ...customerBodyFor('Outside1') }), 'outside create');

    const p = await plan(rows);
    expect(changing(p).map((a) => [a.id, a.kind])).toEqual([['site:ConvOc1/OcBranch2', 'busy']]);
    expect(p.drift.map((d) => [d.kind, d.customerShortName])).toEqual([['service', 'Outside1']]);
    sim.setFaults({ pendingTaskMs: 0 });
  });

  it("parses the vendor's Get SIP Connection shape and plans the example row unchanged", () => {
    const parsed = parseSiteDetails(vendorSiteReadBack, '68d85372-f854-4dca-a466-47c876e30892');
    if (!parsed.ok) throw new Error(parsed.problem);
    const site = parsed.value;
    const p = planActions(
      { customers: [], sites: [vendorSiteRow('BradTest3', { withType: false })] },
      {
        services: [
          {
            customerGuid: 'b11a3f8a-9220-457a-938f-cae531f79d67',
            shortName: 'BradTest3',
            fullName: 'BradTest3',
            licenseType: 2,
            msTenantId: null,
            licensedUsersCount: null,
            sites: [
              {
                id: site.id,
                name: 'DR94Site2',
                sbcId: 8,
                sbcDeploymentState: 'Deployed',
                sbcConfigurationType: 1,
              },
            ],
          },
        ],
        sites: new Map([[site.id, site]]),
      },
      noneApplied(),
    );
    expect(p.actions.map((a) => a.kind)).toEqual(['unchanged']);
  });
});

describe('convergence of the sample workbook', () => {
  it('applies samples/customers.xlsx on a fresh platform, then every row is unchanged', async () => {
    sim.reset();
    const loaded = await loadWorkbook({ kind: 'xlsx', path: 'samples/customers.xlsx' });
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const fresh = openStateStore(':memory:');
    try {
      const planSamples = async (): Promise<Plan> =>
        (
          await makePlan({
            rows: loaded.rows,
            client,
            applied: fresh.loadApplied(),
            concurrency: 4,
            baseUrl: 'http://sim',
          })
        ).plan;
      const first = await planSamples();
      expect(first.counts.conflict).toBe(0);
      const saved = store;
      store = fresh;
      try {
        await applySequentially(first, 'run-samples');
      } finally {
        store = saved;
      }
      const again = await planSamples();
      expect(changing(again).map((a) => [a.id, a.kind, a.reasons])).toEqual([]);
      expect(again.counts.unchanged).toBe(loaded.rows.customers.length + loaded.rows.sites.length);
    } finally {
      fresh.close();
    }
  });
});

function customerBodyFor(shortName: string) {
  return {
    shortName,
    fullName: shortName,
    siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
    ovocCustomerType: 'IPGROUP_TYPE',
  };
}
