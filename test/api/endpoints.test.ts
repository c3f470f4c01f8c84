import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TASK_SUCCESS, taskFailure } from '../../src/api/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import {
  addSiteBody,
  clientCredentials,
  clientFor,
  customerBody,
  modifySiteBody,
  ocBody,
} from './helpers.js';
import { useSimulator } from './simulator-fixture.js';

describe('every endpoint against the simulator, base URL ending in /tenantui', () => {
  const fixture = useSimulator({ seed: 4, taskDurationMs: 150 }, { per: 'file' });
  let sim: RunningSimulator;
  let client: ReturnType<typeof clientFor>['client'];
  beforeAll(() => {
    sim = fixture.sim;
    client = fixture.client({ auth: clientCredentials(sim) }).client;
  });

  let customerGuid = '';
  let siteGuid = '';

  it('createCustomer (v2) answers the new GUID, the short name and the primary site', async () => {
    const result = await client.createCustomer(customerBody('BradSB1E1'));
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    customerGuid = result.value.customerGuid;
    expect(customerGuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.value.shortName).toBe('BradSB1E1');
    expect(result.value.siteLocationIds).toEqual([customerGuid]);
    expect(result.value.deploymentState).toBe('Deployed');
    expect(result.attempts).toBe(1);
  });

  it('listServices and getService read the service back; an unknown GUID is null', async () => {
    const brief = await client.listServices({ allDetails: false });
    const listed = brief.find((s) => s.shortName === 'BradSB1E1');
    expect(listed?.customerGuid).toBe(customerGuid);
    expect(listed?.licenseType).toBe(2);
    expect(listed?.sites).toEqual([]);

    const full = await client.listServices({ allDetails: true });
    const site = full.find((s) => s.customerGuid === customerGuid)?.sites[0];
    expect(site?.id).toBe(customerGuid);
    expect(site?.name).toBe('BradSB1E1');
    expect(site?.sbcId).toBe(5);

    const one = await client.getService(customerGuid);
    expect(one?.shortName).toBe('BradSB1E1');
    expect(one?.sites.map((s) => s.id)).toContain(customerGuid);
    expect(await client.getService('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('addSite then getSite: written fields come back where the vendor example puts them', async () => {
    const result = await client.addSite(customerGuid, addSiteBody());
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    siteGuid = result.value.siteGuid;
    expect(result.value.customerGuid).toBe(customerGuid);
    expect(siteGuid).not.toBe(customerGuid);

    const site = await client.getSite(siteGuid);
    expect(site).not.toBeNull();
    expect(site?.id).toBe(siteGuid);
    expect(site?.siteName).toBe('DR94Site2');
    expect(site?.carrierId).toBe('SIPTrunk');
    expect(site?.cacProfile).toBe('10 sessions');
    expect(site?.carrierUserName).toBe('Site2Carrier');
    expect(site?.carrierHostName).toBe('Site2Hostname123');
    expect(site?.carrierMainLine).toBeNull();
    expect(site?.onlinePstnGateway).toBe('DR94Site2.sandbox2.audiocodes.be');
    expect(site?.sbcId).toBe(8);
    expect(site?.onboardingScript).toBe(7);
    expect(site?.customerVariables['CustomVar.Variable1']).toBe('variable4');
    expect(site?.customerVariables.CarierMailLine).toBe('Site2MainLine123');
    expect(typeof site?.sbcDeploymentState).toBe('number');
  });

  it('modifySite (PATCH ?sbcSiteGuid=) changes the site; getSite of an unknown id is null', async () => {
    const result = await client.modifySite(customerGuid, siteGuid, modifySiteBody('DR94Site2'));
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.value.siteGuid).toBe(siteGuid);
    const site = await client.getSite(siteGuid);
    expect(site?.carrierMainLine).toBe('brad1');
    expect(site?.sbcConfigurationType).toBe(1);
    expect(site?.sbcId).toBe(5);
    expect(await client.getSite('00000000-0000-4000-8000-000000000000')).toBeNull();
    const listed = (await client.listServices({ allDetails: true })).find(
      (s) => s.customerGuid === customerGuid,
    );
    expect(listed?.sites.find((s) => s.id === siteGuid)?.sbcConfigurationType).toBe(1);
  });

  it('createOcService (v3) answers a job id; waitForTask polls it to CompletedSuccess with the GUID', async () => {
    const result = await client.createOcService(ocBody('Bradx35340067'));
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.value.jobId).toMatch(/^wst_/);
    const first = await client.getTask(result.value.jobId);
    expect(first.id).toBe(result.value.jobId);
    expect(first.status).toBe('InProgress');
    expect(first.customerGuid).toBeNull();

    const done = await client.waitForTask(result.value.jobId);
    expect(done.status).toBe(TASK_SUCCESS);
    expect(done.customerGuid).toMatch(/^[0-9a-f-]{36}$/);
    const service = await client.getService(done.customerGuid ?? '');
    expect(service?.shortName).toBe('Bradx35340067');
    expect(service?.licenseType).toBe(3);
  });

  it('a v3 task that fails (duplicate short name) ends in a failed status with the reason', async () => {
    const result = await client.createOcService(ocBody('Bradx35340067'));
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    const done = await client.waitForTask(result.value.jobId);
    expect(done.status).not.toBe(TASK_SUCCESS);
    expect(done.executionMessages.some((m) => m.level === 'Error')).toBe(true);
    const error = taskFailure(done);
    expect(error.code).toBe('task-failed');
    expect(error.message).toContain(done.status);
  });

  it('waitForTask gives up after its timeout with ApiError task-timeout', async () => {
    sim.setFaults({ taskDurationMs: 60_000 });
    try {
      const result = await client.createOcService(ocBody('SlowTask1'));
      if (result.kind !== 'ok') throw new Error('create failed');
      const error = await client.waitForTask(result.value.jobId, { timeoutMs: 150 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('task-timeout');
    } finally {
      sim.setFaults({ taskDurationMs: 150 });
    }
  });

  it('a rule violation is a definite failure with the field errors, not retried', async () => {
    const result = await client.createCustomer(customerBody('x'));
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') return;
    const error = result.error as ApiError;
    expect(error.code).toBe('http');
    expect(error.status).toBe(400);
    expect(Object.keys(error.fieldErrors)).toContain('shortName');
    expect(error.traceId).toBeTruthy();
    expect(error.message).toContain('POST /api/v2/customer');
    expect(error.message).toContain('shortName');
    expect(sim.snapshot().counters.createAttempts.x).toBe(1);
    expect(sim.snapshot().counters.requests['POST /api/v2/customer']).toBe(2);
  });

  it('counts what it did', () => {
    const stats = client.stats();
    expect(stats.requests).toBeGreaterThan(10);
    expect(stats.retries).toBe(0);
    expect(stats.tokenRefreshes).toBe(0);
    expect(sim.snapshot().counters.tokensIssued).toBe(1);
  });
});

describe('a base URL that is not the API', () => {
  const fixture = useSimulator({ seed: 4 });

  it('listServices answered 404 says to check --base-url, not that a customer is missing', async () => {
    const { sim } = fixture;
    const { client } = fixture.client({ baseUrl: `${sim.url}/lp/tenantui` });
    const error = await client.listServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).hint).toContain('Check --base-url');
    expect((error as ApiError).message).toContain('this is not the Live Platform API');
    expect((error as ApiError).hint).toContain(`Check --base-url (${sim.url}/lp/tenantui)`);
    expect((error as ApiError).hint).toContain('/tenantui, e.g. https://lp.example.com/tenantui');
    expect(sim.snapshot().counters.requests['GET (unknown route)']).toBe(1);
  });
});
