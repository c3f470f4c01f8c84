/**
 * A create whose read-back finds the customer but not its SIP connection (renamed in the portal meanwhile,
 * say) keeps the site's GUID empty: the customer's GUID is never stored as the site's, and the follow-up is
 * not sent to a guessed GUID.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshRecord } from '../../src/apply/continue.js';
import { applyPlan, ocCustomer, planFor, startRig, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('read back after a lost answer: the customer is there, its SIP connection is not', () => {
  it('an OC create stores no site GUID, sends no follow-up, and says why', async () => {
    rig = await startRig({ taskDurationMs: 50 });
    const { client, store, sim } = rig;
    // A configuration type the create cannot carry: the plan adds a follow-up Modify for it.
    const row = ocCustomer('NoSiteOc');
    const rows = { customers: [{ ...row, site: { ...row.site, sbcConfigurationType: 1 } }], sites: [] };
    const plan = await planFor(client, store, rows);
    const action = plan.actions[0]!;
    expect(action).toMatchObject({ kind: 'create-oc-service', followUp: expect.anything() });
    if (action.request?.endpoint !== 'createOcService') throw new Error('expected an OC create');

    // The create reached the platform and its answer was lost; its task finished …
    const job = await client.createOcService(action.request.body);
    if (job.kind !== 'ok') throw new Error('setup OC create failed');
    const task = await client.waitForTask(job.value.jobId);
    const customerGuid = task.customerGuid!;
    const made = (await client.getService(customerGuid))!;
    // … and someone renamed its SIP connection in the portal before lpsync read back.
    const renamed = await client.modifySite(customerGuid, made.sites[0]!.id, {
      siteLocationName: 'Renamed-In-Portal',
      sbcSiteName: 'Renamed-In-Portal',
    });
    if (renamed.kind !== 'ok') throw new Error('setup rename failed');
    const writesBefore = sim.writesReceived().length;

    const left = { ...freshRecord('r-nosite', action), status: 'in-flight' as const, attempts: 1 };
    const result = await applyPlan({
      plan,
      client,
      store,
      runId: 'r-nosite',
      continuing: new Map([[left.actionId, left]]),
    });
    const record = result.records[0]!;
    expect(record.customerGuid).toBe(customerGuid);
    expect(record.siteGuid).toBeNull();
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(
      /created, but its SIP connection "NoSiteOc" was not found on the platform, so the remaining fields \(SbcConfigurationType\) were not sent/,
    );
    expect(record.messages.join('\n')).toContain('its SIP connection "NoSiteOc" is not on the platform');
    // Nothing was written: the portal's name stands, and the journal holds no site GUID.
    expect(sim.writesReceived().slice(writesBefore)).toEqual([]);
    expect((await client.getService(customerGuid))!.sites.map((s) => s.name)).toEqual(['Renamed-In-Portal']);
    expect(store.journal('r-nosite')[0]).toMatchObject({ customerGuid, siteGuid: null });
    expect(sim.snapshot().counters.createAttempts).toEqual({ NoSiteOc: 1 });
  });
});
