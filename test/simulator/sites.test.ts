import { describe, expect, it } from 'vitest';
import { manualClock } from '../support/manual-clock.js';
import { client, essentialsBody, start } from './helpers.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import {
  addSipConnectionExample as addSipConnectionExampleText,
  exampleJson,
  vendorSiteReadBack,
} from '../support/vendor-examples.js';

// The Add SIP Connection page's example body, as sent (typos included).
const addSipConnectionExample = exampleJson(addSipConnectionExampleText);

async function withSite(sim: RunningSimulator) {
  const c = client(sim);
  const customer = await c.post('/api/v2/customer', essentialsBody('BradSB1E1'));
  const added = await c.post(`/api/v2/customer/${customer.body.id}/sitelocation/`, addSipConnectionExample);
  const siteId = added.body.siteGuid as string;
  return {
    c,
    customerGuid: customer.body.id as string,
    siteId,
    modifyPath: `/api/v2/customer/${customer.body.id}/sitelocation/?sbcSiteGuid=${siteId}`,
  };
}

describe('Get SIP Connection', () => {
  it("reads back the Add SIP Connection example as the vendor's notes on the read endpoints describe it", async () => {
    const { c, siteId } = await withSite(await start());
    const site = await c.get(`/api/v2/sitelocation/${siteId}`);
    expect(site.status).toBe(200);
    // The misspelt CarierMailLine is not recognised: it lands in customerVariables, carrierMainLine stays null.
    expect(site.body).toEqual({ id: siteId, ...vendorSiteReadBack });
  });

  it('maps the spellings Cac Profile / CACProfile and lower-case keys onto the same fields', async () => {
    const sim = await start();
    const c = client(sim);
    const customer = await c.post('/api/v2/customer', essentialsBody('Brad1'));
    const base = `/api/v2/customer/${customer.body.id}/sitelocation/`;
    const a = await c.post(base, {
      siteLocationName: 'A',
      scriptParameters: { 'Cac Profile': '2 sessions' },
    });
    const b = await c.post(base, {
      siteLocationName: 'B',
      scriptParameters: { CACProfile: '4 sessions', proxyset: 'PS', carriermainline: 'main' },
    });
    expect((await c.get(`/api/v2/sitelocation/${a.body.siteGuid}`)).body.sbcInfo.cacProfile).toBe(
      '2 sessions',
    );
    const read = (await c.get(`/api/v2/sitelocation/${b.body.siteGuid}`)).body;
    expect(read.sbcInfo).toMatchObject({
      cacProfile: '4 sessions',
      carrierId: 'PS',
      carrierMainLine: 'main',
    });
    expect(read.sbcInfo.sbcScripts.customerVariables).toEqual({});
  });

  it('reports a non-empty pendingTasks for pendingTaskMs after add and after modify', async () => {
    const clock = manualClock();
    const sim = await start({ pendingTaskMs: 300, clock: clock.now });
    const { c, siteId, modifyPath } = await withSite(sim);
    const pending = async () => (await c.get(`/api/v2/sitelocation/${siteId}`)).body.pendingTasks;
    expect(await pending()).toEqual([{ id: expect.any(String), type: 'AddSite', status: 'InProgress' }]);
    clock.advance(299);
    expect(await pending()).toHaveLength(1);
    clock.advance(1);
    expect(await pending()).toEqual([]);

    await c.patch(modifyPath, { CacProfile: '3 sessions' });
    const again = await c.get(`/api/v2/sitelocation/${siteId}`);
    expect(again.body.pendingTasks).toEqual([
      { id: expect.any(String), type: 'ModifySite', status: 'InProgress' },
    ]);
  });

  it('pendingTasks stays empty with the default pendingTaskMs 0', async () => {
    const { c, siteId } = await withSite(await start());
    expect((await c.get(`/api/v2/sitelocation/${siteId}`)).body.pendingTasks).toEqual([]);
  });
});

describe('Modify SIP Connection', () => {
  it('accepts the parameter table’s flat shape and merges: fields not sent stay as they were', async () => {
    const sim = await start();
    const { c, siteId, modifyPath } = await withSite(sim);
    const res = await c.patch(modifyPath, {
      sbcSiteName: 'DR94Site2',
      CacProfile: '20 sessions',
      enableCAC: false,
      flagConfigureSbc: false,
      flagCarrierRegistration: false,
      CarrierUserName: 'NewUser',
      CarrierUserPassword: 'NewPass1',
      carrierPasswordDPI: 'dpi-secret',
      CarrierMainLine: 'Main1',
      phones: '+3212345678, +3212345679;+3212345680',
      dialPlanName: 'DP1',
      dialPlanPrefixes: [{ prefix: '+3212', index: 1, active: true }],
      sbcConfigurationType: 2,
      sbcScripts: { sbcOnboardingScript: 17, customerVariables: { additionalProp1: 'Region1' } },
      m365Scripts: { flagConfigureM365Routing: false, OnboardingScript: 30, CleanupScript: 31 },
      OnlinePstnGateway: 'gw2.example.test',
    });
    expect(res.status).toBe(200);
    const site = (await c.get(`/api/v2/sitelocation/${siteId}`)).body;
    expect(site).toMatchObject({
      siteName: 'DR94Site2',
      onlinePstnGateway: 'gw2.example.test',
      sbcInfo: {
        sbcConfigurationType: 2,
        cacProfile: '20 sessions',
        carrierUserName: 'NewUser',
        carrierMainLine: 'Main1',
        flagConfigureSbc: false,
        // Not sent: kept.
        carrierId: 'SIPTrunk',
        carrierHostName: 'Site2Hostname123',
        sbcId: 8,
        sbcScripts: {
          onboardingScript: 17,
          cleanupScript: 700,
          customerVariables: {
            CarrierUserPassword: 'NewPass1',
            CarierMailLine: 'Site2MainLine123',
            'CustomVar.Variable1': 'variable4',
            additionalProp1: 'Region1',
          },
        },
      },
      m365Info: {
        m365Scripts: { flagConfigureM365Routing: false, onboardingScript: 30, cleanupScript: 31 },
      },
    });
    // The vendor's Get SIP Connection does not show these; the simulator stores them (visible in /_sim/state).
    for (const hidden of [
      'phones',
      'dialPlanPrefixes',
      'enableCAC',
      'flagCarrierRegistration',
      'carrierPasswordDPI',
    ]) {
      expect(JSON.stringify(site)).not.toContain(hidden);
    }
    const stored = (await client(sim, null).get('/_sim/state')).body.services[0].sites[1];
    expect(stored).toMatchObject({
      enableCAC: false,
      flagCarrierRegistration: false,
      carrierPasswordDPI: 'dpi-secret',
      phones: ['+3212345678', '+3212345679', '+3212345680'],
      dialPlanName: 'DP1',
      dialPlanPrefixes: [{ prefix: '+3212', index: 1, active: true }],
    });
    expect(sim.snapshot().counters.siteModifies).toEqual({ [siteId]: 1 });
  });

  it('accepts phones as an array, and renames a site when the new name is free', async () => {
    const sim = await start();
    const { c, siteId, modifyPath } = await withSite(sim);
    expect(
      (await c.patch(modifyPath, { phones: ['+1555', '+1556'], siteLocationName: 'Renamed1' })).status,
    ).toBe(200);
    expect((await c.get(`/api/v2/sitelocation/${siteId}`)).body.siteName).toBe('Renamed1');
    expect(sim.snapshot().services[0]?.sites[1]?.phones).toEqual(['+1555', '+1556']);
  });

  it('a customer variable sent in another casing replaces the stored one', async () => {
    const { c, siteId, modifyPath } = await withSite(await start());
    await c.patch(modifyPath, { scriptParameters: { carrieruserpassword: 'Other#1' } });
    const vars = (await c.get(`/api/v2/sitelocation/${siteId}`)).body.sbcInfo.sbcScripts.customerVariables;
    expect(vars).toEqual({
      carrieruserpassword: 'Other#1',
      CarierMailLine: 'Site2MainLine123',
      'CustomVar.Variable1': 'variable4',
    });
  });

  it('the site must belong to the customer in the path', async () => {
    const sim = await start();
    const { c, siteId } = await withSite(sim);
    const other = await c.post('/api/v2/customer', essentialsBody('Other1'));
    const res = await c.patch(`/api/v2/customer/${other.body.id}/sitelocation/?sbcSiteGuid=${siteId}`, {
      CacProfile: '1 session',
    });
    expect(res.status).toBe(404);
  });
});

describe('portal changes behind lpsync’s back', () => {
  it('PATCH /_sim/sites/{id} changes the site as Get SIP Connection reads it; no API counters, no pending task', async () => {
    const sim = await start({ pendingTaskMs: 60_000 });
    const { c, siteId } = await withSite(sim);
    const before = sim.snapshot().counters;
    const changed = await client(sim, null).patch(`/_sim/sites/${siteId}`, {
      CacProfile: '99 sessions',
      scriptParameters: { ProxySet: 'ChangedInPortal' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.sbcInfo).toMatchObject({ cacProfile: '99 sessions', carrierId: 'ChangedInPortal' });
    const site = (await c.get(`/api/v2/sitelocation/${siteId}`)).body;
    expect(site.sbcInfo).toMatchObject({ cacProfile: '99 sessions', carrierId: 'ChangedInPortal' });
    const after = sim.snapshot().counters;
    expect(after.siteModifies).toEqual(before.siteModifies);
    // Still the AddSite task from withSite, not a new ModifySite one.
    expect(site.pendingTasks).toEqual([{ id: expect.any(String), type: 'AddSite', status: 'InProgress' }]);
  });

  it('PATCH /_sim/sites/{id} for an unknown site → 404; a broken rule → 400', async () => {
    const sim = await start();
    const { siteId } = await withSite(sim);
    const c = client(sim, null);
    expect((await c.patch('/_sim/sites/00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
    const bad = await c.patch(`/_sim/sites/${siteId}`, { CarrierUserName: 'x'.repeat(61) });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('CarrierUserName');
  });
});

describe('test endpoints', () => {
  it('/_sim/state counts requests per route pattern; /_sim/reset forgets everything', async () => {
    const sim = await start();
    const { c, siteId } = await withSite(sim);
    await c.get(`/api/v2/sitelocation/${siteId}`);
    await c.get(`/tenantui/api/v2/sitelocation/${siteId}`);
    const state = (await client(sim, null).get('/_sim/state')).body;
    expect(state.counters.requests).toEqual({
      'POST /api/v2/customer': 1,
      'POST /api/v2/customer/{customerGuid}/sitelocation': 1,
      'GET /api/v2/sitelocation/{siteId}': 2,
    });
    expect(state.counters.creates).toEqual({ BradSB1E1: 1 });
    expect(state.counters.siteAdds).toEqual({ 'BradSB1E1/DR94Site2': 1 });
    expect(state).toEqual(sim.snapshot());

    expect((await client(sim, null).post('/_sim/reset')).status).toBe(200);
    expect(sim.snapshot().services).toEqual([]);
    expect(sim.snapshot().counters.requests).toEqual({});
    expect((await c.get('/api/v3/customer')).body).toEqual([]);
  });

  it('/_sim/faults changes knobs at run time and refuses invalid ones', async () => {
    const sim = await start();
    const c = client(sim, null);
    const ok = await c.post('/_sim/faults', { errorRate: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.errorRate).toBe(1);
    expect((await client(sim).get('/api/v3/customer')).status).toBe(500);
    const bad = await c.post('/_sim/faults', { errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('errorRate');
    sim.setFaults({ errorRate: 0 });
    expect((await client(sim).get('/api/v3/customer')).status).toBe(200);
  });
});
