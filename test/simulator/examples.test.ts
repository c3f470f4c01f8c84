import { describe, expect, it } from 'vitest';
import { client, finishedTask, start, TRACE_ID } from './helpers.js';
import {
  addSipConnectionExample,
  addSipConnectionResponse,
  createEssentialsCustomerExample,
  createEssentialsCustomerResponse,
  createHostedEssentialsServiceExample,
  createHostedEssentialsServiceResponse,
  createHostedEssentialsServiceWithLcCustomerIdExample,
  createOcServiceFromLeadExample,
  createOcServiceFromLeadJobResponse,
  createOcServiceFromLeadTaskResponse,
  exampleJson,
  modifySipConnectionExample,
  modifySipConnectionResponse,
  problemJsonExample,
} from '../support/vendor-examples.js';

/** The keys of a page's example response, in the page's order. */
const keysOf = (example: string) => Object.keys(exampleJson(example));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectCreateResponse(body: Record<string, unknown>, shortName: string) {
  expect(Object.keys(body).sort()).toEqual(
    ['customerId', 'deploymentState', 'errorDetails', 'id', 'progressDetails', 'siteLocationIds'].sort(),
  );
  expect(Object.keys(body)).toEqual(keysOf(createEssentialsCustomerResponse));
  expect(Object.keys(body)).toEqual(keysOf(createHostedEssentialsServiceResponse));
  expect(body.id).toMatch(GUID);
  expect(body.customerId).toBe(shortName);
  // Single location: the site id is the customer GUID (the page's "identical to the customerGuid").
  expect(body.siteLocationIds).toEqual([body.id]);
  expect(body.deploymentState).toBe('Deployed');
  expect(body.errorDetails).toBeNull();
  expect(body.progressDetails).toContain(`(Information, SBC sbc-onboarding done for site ${shortName}.)`);
}

describe('the vendor pages’ example bodies get the documented response shapes', () => {
  it('Create Essentials Customer', async () => {
    const c = client(await start());
    const res = await c.post('/api/v2/customer', createEssentialsCustomerExample);
    expect(res.status).toBe(200);
    expectCreateResponse(res.body, 'BradSB1E1');
  });

  it('Create Hosted Essentials Service, without and with lcCustomerId', async () => {
    const sim = await start();
    const c = client(sim);
    const first = await c.post('/api/v2/customer', createHostedEssentialsServiceExample);
    expect(first.status).toBe(200);
    expectCreateResponse(first.body, 'SaraTest1');
    const second = await c.post('/api/v2/customer', createHostedEssentialsServiceWithLcCustomerIdExample);
    expect(second.status).toBe(200);
    expectCreateResponse(second.body, 'BradTest3');
    const stored = sim.snapshot().services.find((s) => s.shortName === 'BradTest3');
    expect(stored?.lcCustomerId).toBe('1317027');
    expect(stored?.licenseType).toBe(2);

    const site = await c.get(`/api/v2/sitelocation/${first.body.id}`);
    expect(site.body.sbcInfo.carrierId).toBe('SIPTrunk');
    expect(site.body.sbcInfo.cacProfile).toBe('5 sessions');
    expect(site.body.onlinePstnGateway).toBe('BradDRService.sandbox2.audiocodes.be');
    expect(site.body.sbcInfo.sbcScripts).toEqual({
      onboardingScript: 10007,
      cleanupScript: 10700,
      customerVariables: { additionalProp1: 'Service Provider2 SBC' },
    });
  });

  it('Create OC Essentials Service from Lead: a wst_ job id, then the task', async () => {
    const c = client(await start({ taskDurationMs: 0 }));
    const res = await c.post('/api/v3/customer', createOcServiceFromLeadExample);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['jobId']);
    expect(Object.keys(res.body)).toEqual(keysOf(createOcServiceFromLeadJobResponse));
    expect(res.body.jobId).toMatch(/^wst_[0-9a-f-]{36}$/);
    const task = await finishedTask(c, res.body.jobId);
    expect(task.body).toMatchObject({
      id: res.body.jobId,
      status: 'CompletedSuccess',
      details: ['Converted'],
      executionMessages: [
        { level: 'Information', message: 'SBC sbc-onboarding done for site Bradx35340067.' },
        { level: 'Information', message: 'Site created in Ovoc' },
      ],
    });
    expect(task.body.outputData.UmpCustomerGuid).toMatch(GUID);
    expect(Object.keys(task.body)).toEqual(keysOf(createOcServiceFromLeadTaskResponse));
  });

  it('Add SIP Connection', async () => {
    const c = client(await start());
    const customer = await c.post('/api/v2/customer', createEssentialsCustomerExample);
    const res = await c.post(`/api/v2/customer/${customer.body.id}/sitelocation/`, addSipConnectionExample);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['customerGuid', 'siteGuid', 'executionMessages']);
    expect(Object.keys(res.body)).toEqual(keysOf(addSipConnectionResponse));
    expect(res.body.executionMessages).toEqual(exampleJson(addSipConnectionResponse).executionMessages);
    expect(res.body.customerGuid).toBe(customer.body.id);
    expect(res.body.siteGuid).toMatch(GUID);
    expect(res.body.siteGuid).not.toBe(customer.body.id);
    expect(res.body.executionMessages.map((m: { message: string }) => m.message)).toEqual([
      'Checking SBC IP Group Programming.',
      'SBC not programmed yet.',
      'Starting SBC Programming.',
      'Sbc is programmed',
      'Site location information saved.',
    ]);
    for (const m of res.body.executionMessages) expect(m.level).toBe('Information');
  });

  it('Modify SIP Connection (sbcSiteGuid as query parameter and as path segment)', async () => {
    const c = client(await start());
    const customer = await c.post('/api/v2/customer', createHostedEssentialsServiceExample);
    const added = await c.post(`/api/v2/customer/${customer.body.id}/sitelocation/`, {
      siteLocationName: 'SaraSite4',
    });
    const viaQuery = await c.patch(
      `/api/v2/customer/${customer.body.id}/sitelocation/?sbcSiteGuid=${added.body.siteGuid}`,
      modifySipConnectionExample,
    );
    expect(viaQuery.status).toBe(200);
    expect(Object.keys(viaQuery.body)).toEqual(['customerGuid', 'siteGuid', 'executionMessages']);
    expect(Object.keys(viaQuery.body)).toEqual(keysOf(modifySipConnectionResponse));
    expect(viaQuery.body.executionMessages).toEqual(
      exampleJson(modifySipConnectionResponse).executionMessages,
    );
    expect(viaQuery.body).toMatchObject({ customerGuid: customer.body.id, siteGuid: added.body.siteGuid });
    expect(viaQuery.body.executionMessages[0]).toEqual({
      level: 'Information',
      message: 'Skipping SBC CheckIpGroupProgramming.',
    });
    const viaPath = await c.patch(
      `/api/v2/customer/${customer.body.id}/sitelocation/${added.body.siteGuid}`,
      modifySipConnectionExample,
    );
    expect(viaPath.status).toBe(200);

    const site = await c.get(`/api/v2/sitelocation/${added.body.siteGuid}`);
    expect(site.body).toMatchObject({
      siteName: 'SaraSite4',
      onlinePstnGateway: 'sandbox1.audiocodes.be',
      sbcInfo: {
        sbcConfigurationType: 1,
        cacProfile: '5 sessions',
        carrierHostName: 'brad.com',
        carrierId: 'SIPTrunk',
        carrierMainLine: 'brad1',
        carrierUserName: '1000',
        sbcId: 5,
        sbcScripts: {
          onboardingScript: 10007,
          cleanupScript: 10700,
          customerVariables: { CarrierUserPassword: '12345678' },
        },
      },
    });
  });

  it('the list and the one-service read answer PascalCase, SiteLocation only with allDetails=true', async () => {
    const c = client(await start());
    const customer = await c.post('/api/v2/customer', createEssentialsCustomerExample);
    await c.post(`/api/v2/customer/${customer.body.id}/sitelocation/`, addSipConnectionExample);
    const brief = await c.get('/api/v3/customer?allDetails=false');
    expect(brief.status).toBe(200);
    expect(brief.body).toEqual([
      {
        UmpCustomerGuid: customer.body.id,
        CustomerShortName: 'BradSB1E1',
        CustomerFullName: 'BradSB1E1',
        LicenseType: 2,
        LicensedUsersCount: 0,
        MsTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
        ActiveUserCount: 0,
      },
    ]);
    const full = await c.get(`/tenantui/api/v3/customer/${customer.body.id}?allDetails=true`);
    expect(full.status).toBe(200);
    expect(full.body.SiteLocation).toEqual([
      {
        id: customer.body.id,
        name: 'BradSB1E1',
        sbcId: 5,
        sbcDeploymentState: 'Deployed',
        // A v2 create does not set the type ("currently not supported"): Unknown until a Modify sets it.
        sbcConfigurationType: 'Unknown',
      },
      {
        id: expect.stringMatching(GUID),
        name: 'DR94Site2',
        sbcId: 8,
        sbcDeploymentState: 'Deployed',
        sbcConfigurationType: 'SipTrunk',
      },
    ]);
    const listed = await c.get('/api/v3/customer?allDetails=true');
    expect(listed.body[0].SiteLocation).toEqual(full.body.SiteLocation);
  });
});

describe('routes and problem JSON', () => {
  it('unknown route → 404, wrong method → 405 with Allow, both problem JSON with a traceId', async () => {
    const c = client(await start());
    const missing = await c.get('/api/v2/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({
      type: 'https://httpstatuses.com/404',
      title: 'Not Found',
      status: 404,
    });
    expect(missing.body.traceId).toMatch(TRACE_ID);
    expect(Object.keys(missing.body)).toEqual(keysOf(problemJsonExample));

    const wrong = await c.call('DELETE', '/api/v2/customer');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    expect(wrong.body.traceId).toMatch(TRACE_ID);
  });

  it('404 for an unknown customer, site, service or task', async () => {
    const c = client(await start());
    const nobody = '00000000-0000-4000-8000-000000000000';
    const add = await c.post(`/api/v2/customer/${nobody}/sitelocation/`, { siteLocationName: 'X1' });
    expect(add.status).toBe(404);
    expect(add.body.traceId).toMatch(TRACE_ID);
    expect((await c.patch(`/api/v2/customer/${nobody}/sitelocation/?sbcSiteGuid=${nobody}`, {})).status).toBe(
      404,
    );
    expect((await c.get(`/api/v2/sitelocation/${nobody}`)).status).toBe(404);
    expect((await c.get(`/api/v3/customer/${nobody}`)).status).toBe(404);
    expect((await c.get(`/api/v2/task/wst_${nobody}`)).status).toBe(404);
    expect((await c.get('/api/v2/sitelocation/%zz')).status).toBe(404);

    const customer = await c.post('/api/v2/customer', createEssentialsCustomerExample);
    const unknownSite = await c.patch(
      `/api/v2/customer/${customer.body.id}/sitelocation/?sbcSiteGuid=${nobody}`,
      {
        CacProfile: '3 sessions',
      },
    );
    expect(unknownSite.status).toBe(404);
  });

  it('a 400 names every broken field in errors and says it in one sentence in detail', async () => {
    const c = client(await start());
    const body = exampleJson(createEssentialsCustomerExample);
    const res = await c.post('/api/v2/customer', {
      ...body,
      shortName: 'Brad SB1E1.',
      scriptParameters: { CarrierUserPassword: 'p'.repeat(51) },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'https://httpstatuses.com/400', status: 400 });
    expect(res.body.traceId).toMatch(TRACE_ID);
    expect(res.body.errors).toEqual({
      shortName: ['must not contain a dot (.)', 'must not contain blank spaces'],
      'scriptParameters.CarrierUserPassword': ['must be at most 50 characters'],
    });
    expect(res.body.detail).toBe(
      'shortName must not contain a dot (.) and must not contain blank spaces; scriptParameters.CarrierUserPassword must be at most 50 characters',
    );
  });

  it('a body that is not JSON → 400 problem JSON', async () => {
    const c = client(await start());
    const res = await c.post('/api/v2/customer', '{"shortName": ');
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('$');
  });
});

describe('bodies pasted from the vendor pages', () => {
  it('accepts the pages’ non-breaking-space indentation (as copied from the page) on every endpoint', async () => {
    const c = client(await start());
    for (const example of [createEssentialsCustomerExample, modifySipConnectionExample]) {
      expect(example).toContain('\u00a0');
    }
    const created = await c.post('/api/v2/customer', createEssentialsCustomerExample);
    expect(created.status).toBe(200);
    const path = `/api/v2/customer/${created.body.id}/sitelocation/?sbcSiteGuid=${created.body.id}`;
    const modified = await c.patch(path, modifySipConnectionExample);
    expect(modified.status).toBe(200);
    const site = await c.get(`/api/v2/sitelocation/${created.body.id}`);
    expect(site.body.siteName).toBe('SaraSite4');
    expect(site.body.sbcInfo.carrierHostName).toBe('brad.com');
  });

  it('a non-breaking space inside a value is kept as sent (and breaks the no-blank rule)', async () => {
    const c = client(await start());
    const body = createEssentialsCustomerExample.replace('"BradSB1E1",\n', '"Brad\u00a0SB1",\n');
    const res = await c.post('/api/v2/customer', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.shortName).toEqual(['must not contain blank spaces']);
  });
});
