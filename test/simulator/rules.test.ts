import { describe, expect, it } from 'vitest';
import { client, essentialsBody, start, TRACE_ID } from './helpers.js';

/** Sends the body and expects a 400 problem whose `errors` names exactly `field` (and maybe others listed). */
async function expectRefused(
  answer: Promise<{ status: number; body: { errors?: Record<string, string[]> } }>,
  field: string,
) {
  const res = await answer;
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ type: 'https://httpstatuses.com/400', status: 400 });
  expect((res.body as { traceId: string }).traceId).toMatch(TRACE_ID);
  expect(Object.keys(res.body.errors ?? {})).toContain(field);
  expect(res.body.errors?.[field]?.[0]).toEqual(expect.any(String));
  return res.body.errors?.[field] ?? [];
}

describe('Create customer (v2) rules', () => {
  it.each([
    ['too short', 'ab', '3-15'],
    ['too long', 'A'.repeat(16), '3-15'],
    ['a dot', 'Brad.Test', 'dot'],
    ['a blank space', 'Brad Test', 'blank'],
    ...['\\', '/', ':', '*', '?', '"', '<', '>', '|'].map((ch) => [`the character ${ch}`, `Brad${ch}X`, ch]),
  ])('shortName with %s → 400 naming shortName', async (_what, shortName, hint) => {
    const sim = await start();
    const messages = await expectRefused(
      client(sim).post('/api/v2/customer', essentialsBody(shortName)),
      'shortName',
    );
    expect(messages.join(' ')).toContain(hint);
    expect(sim.snapshot().services).toEqual([]);
  });

  it('accepts the limits: 3 and 15 characters, special characters other than the forbidden ones', async () => {
    const c = client(await start());
    expect((await c.post('/api/v2/customer', essentialsBody('abc'))).status).toBe(200);
    expect((await c.post('/api/v2/customer', essentialsBody('A'.repeat(15)))).status).toBe(200);
    expect((await c.post('/api/v2/customer', essentialsBody('Brad_x-1#&'))).status).toBe(200);
  });

  it('a duplicate short name (in any casing) → 400 naming shortName, nothing created twice', async () => {
    const sim = await start();
    const c = client(sim);
    expect((await c.post('/api/v2/customer', essentialsBody('BradSB1E1'))).status).toBe(200);
    await expectRefused(c.post('/api/v2/customer', essentialsBody('BradSB1E1')), 'shortName');
    await expectRefused(c.post('/api/v2/customer', essentialsBody('bradsb1e1')), 'shortName');
    const { counters, services } = sim.snapshot();
    expect(services).toHaveLength(1);
    expect(counters.creates).toEqual({ BradSB1E1: 1 });
    expect(counters.createAttempts).toEqual({ BradSB1E1: 2, bradsb1e1: 1 });
  });

  it('shortName missing → 400 naming shortName', async () => {
    const body: Record<string, unknown> = essentialsBody('x');
    delete body.shortName;
    await expectRefused(client(await start()).post('/api/v2/customer', body), 'shortName');
  });

  it('ovocCustomerType outside IPGROUP_TYPE/TENANT_TYPE → 400 naming it as sent', async () => {
    const c = client(await start());
    await expectRefused(
      c.post('/api/v2/customer', essentialsBody('Brad1', { ovocCustomerType: 'IPGROUP' })),
      'ovocCustomerType',
    );
    const body: Record<string, unknown> = essentialsBody('Brad2');
    delete body.ovocCustomerType;
    body.OvocCustomerType = 'tenant_type';
    await expectRefused(c.post('/api/v2/customer', body), 'OvocCustomerType');
    body.OvocCustomerType = 'TENANT_TYPE';
    expect((await c.post('/api/v2/customer', body)).status).toBe(200);
  });

  it('siteLocation missing → 400 naming siteLocation', async () => {
    const body: Record<string, unknown> = essentialsBody('Brad1');
    delete body.siteLocation;
    await expectRefused(client(await start()).post('/api/v2/customer', body), 'siteLocation');
  });

  it.each(['sbcId', 'sbcOnboardingScript', 'sbcCleanupScript'])(
    'siteLocation.%s missing → 400 naming it',
    async (field) => {
      const siteLocation: Record<string, unknown> = {
        sbcId: 5,
        sbcOnboardingScript: 7,
        sbcCleanupScript: 700,
      };
      delete siteLocation[field];
      const c = client(await start());
      await expectRefused(
        c.post('/api/v2/customer', essentialsBody('Brad1', { siteLocation })),
        `siteLocation.${field}`,
      );
    },
  );

  it('siteLocation.sbcId as a numeric string → 400 (the pages type it as integer); `sbcid` casing is accepted', async () => {
    const c = client(await start());
    const stringId = { sbcId: '5', sbcOnboardingScript: 7, sbcCleanupScript: 700 };
    const messages = await expectRefused(
      c.post('/api/v2/customer', essentialsBody('Brad1', { siteLocation: stringId })),
      'siteLocation.sbcId',
    );
    expect(messages).toEqual(['must be an integer']);
    const lowerCase = { sbcid: 6, sbcOnboardingScript: 7, sbcCleanupScript: 700 };
    const ok = await c.post('/api/v2/customer', essentialsBody('Brad2', { siteLocation: lowerCase }));
    expect(ok.status).toBe(200);
    const site = await c.get(`/api/v2/sitelocation/${ok.body.id}`);
    expect(site.body.sbcInfo.sbcId).toBe(6);
  });

  it('CarrierUserName longer than 60 → 400; 60 is fine', async () => {
    const c = client(await start());
    await expectRefused(
      c.post(
        '/api/v2/customer',
        essentialsBody('Brad1', { scriptParameters: { CarrierUserName: 'u'.repeat(61) } }),
      ),
      'scriptParameters.CarrierUserName',
    );
    const ok = await c.post(
      '/api/v2/customer',
      essentialsBody('Brad2', { scriptParameters: { CarrierUserName: 'u'.repeat(60) } }),
    );
    expect(ok.status).toBe(200);
  });

  it('CarrierUserPassword longer than 50 → 400; 50 is fine', async () => {
    const c = client(await start());
    await expectRefused(
      c.post(
        '/api/v2/customer',
        essentialsBody('Brad1', { scriptParameters: { CarrierUserPassword: 'p'.repeat(51) } }),
      ),
      'scriptParameters.CarrierUserPassword',
    );
    const ok = await c.post(
      '/api/v2/customer',
      essentialsBody('Brad2', { scriptParameters: { CarrierUserPassword: 'p'.repeat(50) } }),
    );
    expect(ok.status).toBe(200);
  });

  it.each(['pässwörd', '密码密码', 'pass😀word'])(
    'CarrierUserPassword with wide characters (%s) → 400',
    async (password) => {
      const c = client(await start());
      const messages = await expectRefused(
        c.post(
          '/api/v2/customer',
          essentialsBody('Brad1', { scriptParameters: { CarrierUserPassword: password } }),
        ),
        'scriptParameters.CarrierUserPassword',
      );
      expect(messages.join(' ')).toContain('wide');
    },
  );

  it('SbcConfigurationType is ignored, as the page says ("currently not supported"): the site is Unknown (0)', async () => {
    const sim = await start();
    const c = client(sim);
    const made = await c.post('/api/v2/customer', essentialsBody('Brad1', { SbcConfigurationType: 4 }));
    expect(made.status).toBe(200);
    const site = await c.get(`/api/v2/sitelocation/${made.body.id}`);
    expect(site.body.sbcInfo.sbcConfigurationType).toBe(0);
  });

  it('with configurationTypeOnCreate (lenient) it is read and checked: outside 0–3 → 400; 0 and 3 are fine', async () => {
    const c = client(await start({ configurationTypeOnCreate: true }));
    await expectRefused(
      c.post('/api/v2/customer', essentialsBody('Brad1', { SbcConfigurationType: 4 })),
      'SbcConfigurationType',
    );
    await expectRefused(
      c.post('/api/v2/customer', essentialsBody('Brad1', { SbcConfigurationType: -1 })),
      'SbcConfigurationType',
    );
    expect(
      (await c.post('/api/v2/customer', essentialsBody('Brad2', { SbcConfigurationType: 0 }))).status,
    ).toBe(200);
    const made = await c.post('/api/v2/customer', essentialsBody('Brad3', { sbcConfigurationType: 3 }));
    expect(made.status).toBe(200);
    expect((await c.get(`/api/v2/sitelocation/${made.body.id}`)).body.sbcInfo.sbcConfigurationType).toBe(3);
  });

  it('a script parameter that is not a string → 400 naming it', async () => {
    const c = client(await start());
    await expectRefused(
      c.post('/api/v2/customer', essentialsBody('Brad1', { scriptParameters: { 'CustomVar.Variable1': 5 } })),
      'scriptParameters.CustomVar.Variable1',
    );
  });

  it('names every broken field at once', async () => {
    const res = await client(await start()).post('/api/v2/customer', {
      shortName: 'a.b',
      siteLocation: { sbcId: 5 },
      ovocCustomerType: 'X',
      scriptParameters: { CarrierUserPassword: 'é' },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(
      [
        'ovocCustomerType',
        'scriptParameters.CarrierUserPassword',
        'shortName',
        'siteLocation.sbcCleanupScript',
        'siteLocation.sbcOnboardingScript',
      ].sort(),
    );
  });
});

describe('Create OC service (v3) rules', () => {
  const ocBody = (extra: Record<string, unknown> = {}) => ({
    configurationName: 'OcEssential_IPGROUP_TYPE',
    msTenantId: 'f9f53ee0-56e1-43f6-8fe3-5fb322986657',
    customerShortName: 'Bradx35340067',
    customerFullName: 'Bradx35340067',
    ...extra,
  });

  it('licenseType other than 3 → 400; 3 is fine', async () => {
    const c = client(await start());
    await expectRefused(c.post('/api/v3/customer', ocBody({ licenseType: 2 })), 'licenseType');
    expect((await c.post('/api/v3/customer', ocBody({ licenseType: 3 }))).status).toBe(200);
  });

  it('invitationEmail that is not an e-mail → 400', async () => {
    const c = client(await start());
    await expectRefused(
      c.post('/api/v3/customer', ocBody({ invitationEmail: 'admin.contoso.com' })),
      'invitationEmail',
    );
    expect((await c.post('/api/v3/customer', ocBody({ invitationEmail: 'admin@contoso.com' }))).status).toBe(
      200,
    );
  });

  it('customerShortName rules, named as sent (CustomerShortName)', async () => {
    const c = client(await start());
    const body: Record<string, unknown> = ocBody();
    delete body.customerShortName;
    body.CustomerShortName = 'Brad x';
    await expectRefused(c.post('/api/v3/customer', body), 'CustomerShortName');
  });

  it('ovocCustomerType, carrier fields and siteLocation integers follow the same rules', async () => {
    const c = client(await start());
    await expectRefused(
      c.post('/api/v3/customer', ocBody({ ovocCustomerType: 'OTHER' })),
      'ovocCustomerType',
    );
    await expectRefused(
      c.post('/api/v3/customer', ocBody({ scriptParameters: { CarrierUserName: 'n'.repeat(61) } })),
      'scriptParameters.CarrierUserName',
    );
    await expectRefused(
      c.post('/api/v3/customer', ocBody({ siteLocation: { siteLocationName: 'Main', sbcId: 'five' } })),
      'siteLocation.sbcId',
    );
  });

  it('a blank siteLocation.siteLocationName → 400 naming it', async () => {
    const c = client(await start());
    await expectRefused(
      c.post('/api/v3/customer', ocBody({ siteLocation: { siteLocationName: '  ' } })),
      'siteLocation.siteLocationName',
    );
  });

  it('accepts the page’s spelling CustomerFulName and stores it', async () => {
    const sim = await start({ taskDurationMs: 0 });
    const c = client(sim);
    const body: Record<string, unknown> = ocBody();
    delete body.customerFullName;
    body.CustomerFulName = 'Brad Company';
    expect((await c.post('/api/v3/customer', body)).status).toBe(200);
    const list = await c.get('/api/v3/customer');
    expect(list.body[0].CustomerFullName).toBe('Brad Company');
  });
});

describe('Add SIP Connection rules', () => {
  async function withCustomer() {
    const sim = await start();
    const c = client(sim);
    const customer = await c.post('/api/v2/customer', essentialsBody('BradSB1E1'));
    return { sim, c, path: `/api/v2/customer/${customer.body.id}/sitelocation/` };
  }

  it('siteLocationName missing → 400 naming it', async () => {
    const { c, path } = await withCustomer();
    await expectRefused(c.post(path, { sbcId: 8 }), 'siteLocationName');
  });

  it('a site name already used in the customer (any casing) → 400; the primary site counts too', async () => {
    const { sim, c, path } = await withCustomer();
    expect((await c.post(path, { siteLocationName: 'DR94Site2' })).status).toBe(200);
    await expectRefused(c.post(path, { siteLocationName: 'dr94site2' }), 'siteLocationName');
    await expectRefused(c.post(path, { siteLocationName: 'BradSB1E1' }), 'siteLocationName');
    expect(sim.snapshot().counters.siteAdds).toEqual({ 'BradSB1E1/DR94Site2': 1 });
  });

  it('the same site name in another customer is fine', async () => {
    const { c, path } = await withCustomer();
    const other = await c.post('/api/v2/customer', essentialsBody('Other1'));
    expect((await c.post(path, { siteLocationName: 'Branch' })).status).toBe(200);
    expect(
      (await c.post(`/api/v2/customer/${other.body.id}/sitelocation/`, { siteLocationName: 'Branch' }))
        .status,
    ).toBe(200);
  });

  it('OvocCustomerType, integers, SbcConfigurationType and carrier fields are checked', async () => {
    const { c, path } = await withCustomer();
    await expectRefused(
      c.post(path, { siteLocationName: 'S1', OvocCustomerType: 'BAD' }),
      'OvocCustomerType',
    );
    await expectRefused(
      c.post(path, { siteLocationName: 'S1', sbcOnboardingScript: 7.5 }),
      'sbcOnboardingScript',
    );
    await expectRefused(
      c.post(path, { siteLocationName: 'S1', scriptParameters: { CarrierUserPassword: 'x'.repeat(51) } }),
      'scriptParameters.CarrierUserPassword',
    );
  });

  it('SbcConfigurationType is not an Add SIP Connection parameter: ignored (the site keeps the default, 1)', async () => {
    const { c, path } = await withCustomer();
    const added = await c.post(path, { siteLocationName: 'S1', SbcConfigurationType: 9 });
    expect(added.status).toBe(200);
    expect(
      (await c.get(`/api/v2/sitelocation/${added.body.siteGuid}`)).body.sbcInfo.sbcConfigurationType,
    ).toBe(1);
  });
});

describe('Modify SIP Connection rules', () => {
  async function withSites() {
    const sim = await start();
    const c = client(sim);
    const customer = await c.post('/api/v2/customer', essentialsBody('BradSB1E1'));
    const base = `/api/v2/customer/${customer.body.id}/sitelocation/`;
    const added = await c.post(base, { siteLocationName: 'Branch1' });
    return {
      sim,
      c,
      base,
      path: `${base}?sbcSiteGuid=${added.body.siteGuid}`,
      siteId: added.body.siteGuid as string,
    };
  }

  it('sbcSiteGuid missing → 400 naming sbcSiteGuid', async () => {
    const { c, base } = await withSites();
    await expectRefused(c.patch(base, { CacProfile: '3 sessions' }), 'sbcSiteGuid');
  });

  it('sbcSiteGuid in the body (instead of the query) names the site too', async () => {
    const { c, base, siteId } = await withSites();
    const res = await c.patch(base, { sbcSiteGuid: siteId, CacProfile: '3 sessions' });
    expect(res.status).toBe(200);
    expect(res.body.siteGuid).toBe(siteId);
    expect((await c.get(`/api/v2/sitelocation/${siteId}`)).body.sbcInfo.cacProfile).toBe('3 sessions');
  });

  it('renaming onto another site’s name → 400 naming the field as sent; a free name is fine', async () => {
    const { c, path } = await withSites();
    await expectRefused(c.patch(path, { sbcSiteName: 'bradsb1e1' }), 'sbcSiteName');
    await expectRefused(c.patch(path, { sbcSiteName: ' ' }), 'sbcSiteName');
    await expectRefused(c.patch(path, { siteLocationName: 'BradSB1E1' }), 'siteLocationName');
    expect((await c.patch(path, { sbcSiteName: 'Branch1' })).status).toBe(200);
    expect((await c.patch(path, { sbcSiteName: 'Branch2' })).status).toBe(200);
  });

  it('flat carrier fields, flags, configuration type and nested scripts are checked', async () => {
    const { sim, c, path, siteId } = await withSites();
    await expectRefused(c.patch(path, { CarrierUserName: 'n'.repeat(61) }), 'CarrierUserName');
    await expectRefused(c.patch(path, { CarrierUserPassword: 'ü' }), 'CarrierUserPassword');
    await expectRefused(c.patch(path, { enableCAC: 'yes' }), 'enableCAC');
    await expectRefused(c.patch(path, { sbcConfigurationType: 7 }), 'sbcConfigurationType');
    await expectRefused(c.patch(path, { ovocCustomerType: 'X' }), 'ovocCustomerType');
    await expectRefused(
      c.patch(path, { sbcScripts: { customerVariables: { CarrierUserPassword: '密' } } }),
      'sbcScripts.customerVariables.CarrierUserPassword',
    );
    await expectRefused(
      c.patch(path, { m365Scripts: { OnboardingScript: '3' } }),
      'm365Scripts.OnboardingScript',
    );
    await expectRefused(c.patch(path, { dialPlanPrefixes: [{ index: 1 }] }), 'dialPlanPrefixes[0].prefix');
    await expectRefused(c.patch(path, { phones: 5 }), 'phones');
    expect(sim.snapshot().counters.siteModifies[siteId]).toBeUndefined();
  });

  it('a dial plan prefix item may name its prefix dialPlanName, as the page lists the fields', async () => {
    const { sim, c, path, siteId } = await withSites();
    const res = await c.patch(path, {
      dialPlanName: 'Brussels',
      dialPlanPrefixes: [{ dialPlanName: '+3222', index: 0, active: true }, { prefix: '+3223' }],
    });
    expect(res.status).toBe(200);
    const site = sim.snapshot().services[0]?.sites.find((s) => s.id === siteId);
    expect(site?.dialPlanName).toBe('Brussels');
    expect(site?.dialPlanPrefixes).toEqual([
      { prefix: '+3222', index: 0, active: true },
      { prefix: '+3223', index: 1, active: true },
    ]);
  });
});
