import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/model/redact.js';
import { digestOf } from '../../src/plan/digest.js';
import { planActions } from '../../src/plan/plan-actions.js';
import { countsLine, renderPlan } from '../../src/plan/plan-view.js';
import type { Plan, PlannedAction } from '../../src/plan/types.js';
import {
  planFileOf,
  appliedFrom,
  customerRow,
  details,
  noneApplied,
  observed,
  service,
  siteRow,
  VENDOR_PASSWORD,
  vendorReadBack,
  vendorSiteRow,
} from './fixtures.js';

const G1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const S3 = '33333333-3333-4333-8333-333333333333';

function only(plan: Plan, id: string): PlannedAction {
  const found = plan.actions.filter((a) => a.id === id);
  expect(found).toHaveLength(1);
  return found[0] as PlannedAction;
}

const essentialsSite = { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 };

describe('planActions: creating', () => {
  it('plans create-customer for an Essentials customer not on the platform, with the v2 body', () => {
    const row = customerRow({
      shortName: 'BradSB1E1',
      fullName: 'BradSB1E1',
      msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
      site: { ...essentialsSite, ovocCustomerType: 'IPGROUP_TYPE', customVariables: {} },
    });
    const plan = planActions({ customers: [row], sites: [] }, observed([]), noneApplied());
    const action = only(plan, 'customer:BradSB1E1');
    expect(action.kind).toBe('create-customer');
    expect(action.rows).toEqual([row.origin]);
    expect(action.request).toEqual({
      endpoint: 'createCustomer',
      method: 'POST',
      path: '/api/v2/customer',
      body: {
        shortName: 'BradSB1E1',
        fullName: 'BradSB1E1',
        siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
        ovocCustomerType: 'IPGROUP_TYPE',
        msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
      },
    });
    expect(action.reasons[0]?.message).toMatch(/not found on the Live Platform/);
    expect(action.record.map((r) => r.siteName)).toEqual([undefined, 'BradSB1E1']);
    expect(action.followUp).toBeUndefined();
    expect(plan.counts['create-customer']).toBe(1);
  });

  it('plans create-oc-service for an OC Essentials customer, licenseType 3 and no siteLocation unless given', () => {
    const row = customerRow({
      shortName: 'Bradx35340067',
      license: 'OC Essentials',
      fullName: 'Bradx35340067',
      msTenantId: 'f9f53ee0-56e1-43f6-8fe3-5fb322986657',
      site: { proxySet: 'SIPTrunk', onlinePstnGateway: 'oc1.sandbox2.audiocodes.be', customVariables: {} },
      oc: { configurationName: 'OcEssential_IPGROUP_TYPE', teamsQosApplicationPassword: 'TeamsSecret-123' },
    });
    const plan = planActions({ customers: [row], sites: [] }, observed([]), noneApplied());
    const action = only(plan, 'customer:Bradx35340067');
    expect(action.kind).toBe('create-oc-service');
    expect(action.request?.body).toEqual({
      configurationName: 'OcEssential_IPGROUP_TYPE',
      customerShortName: 'Bradx35340067',
      customerFullName: 'Bradx35340067',
      msTenantId: 'f9f53ee0-56e1-43f6-8fe3-5fb322986657',
      licenseType: 3,
      teamsQos: { applicationPassword: 'TeamsSecret-123' },
      scriptParameters: { ProxySet: 'SIPTrunk', OnlinePstnGateway: 'oc1.sandbox2.audiocodes.be' },
    });
    expect(JSON.stringify(action.record)).not.toContain('TeamsSecret-123');
  });

  it('is a conflict when an Essentials customer lacks what the create requires', () => {
    const row = customerRow({ shortName: 'NoSbc1' });
    const plan = planActions({ customers: [row], sites: [] }, observed([]), noneApplied());
    const action = only(plan, 'customer:NoSbc1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons[0]?.message).toContain('sbcId');
  });

  it('adds a second site of a customer created in the same run after the create (dependsOn, customerGuid null)', () => {
    const customer = customerRow({ shortName: 'NewCo1', site: { ...essentialsSite, customVariables: {} } });
    const second = siteRow('NewCo1', 'Branch2', {
      sbcId: 5,
      ovocCustomerType: 'IPGROUP_TYPE',
      phones: ['+3212345678', '+3212345679'],
      enableCAC: true,
    });
    const plan = planActions({ customers: [customer], sites: [second] }, observed([]), noneApplied());
    const add = only(plan, 'site:NewCo1/Branch2');
    expect(add.kind).toBe('add-site');
    expect(add.dependsOn).toEqual(['customer:NewCo1']);
    expect(add.request).toMatchObject({
      endpoint: 'addSite',
      customerGuid: null,
      path: '/api/v2/customer/{customerGuid}/sitelocation/',
      body: { siteLocationName: 'Branch2', OvocCustomerType: 'IPGROUP_TYPE', sbcId: 5 },
    });
    // Add SIP Connection cannot carry phones or enableCAC: a follow-up Modify does.
    expect(add.followUp?.body).toEqual({
      siteLocationName: 'Branch2',
      sbcSiteName: 'Branch2',
      enableCAC: true,
      phones: '+3212345678,+3212345679',
    });
    expect(add.record[0]?.fields && Object.keys(add.record[0].fields)).toEqual(['ovocCustomerType']);
    expect(add.followUp?.record[0]?.fields && Object.keys(add.followUp.record[0].fields).sort()).toEqual([
      'enableCAC',
      'ovocCustomerType',
      'phones',
    ]);
    expect(plan.counts).toMatchObject({ 'create-customer': 1, 'add-site': 1 });
  });

  it('adds a site missing from an existing service with its GUID', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'Branch9', { sbcId: 5 })] },
      observed([service('Old1', G1)]),
      noneApplied(),
    );
    const add = only(plan, 'site:Old1/Branch9');
    expect(add.kind).toBe('add-site');
    expect(add.customerGuid).toBe(G1);
    expect(add.dependsOn).toEqual([]);
    expect(add.request).toMatchObject({ customerGuid: G1, path: `/api/v2/customer/${G1}/sitelocation/` });
  });
});

describe('planActions: matching', () => {
  it('is a conflict naming both spellings when a short name differs only in letter case', () => {
    const row = customerRow({ shortName: 'bradtest3', site: { ...essentialsSite, customVariables: {} } });
    const plan = planActions(
      { customers: [row], sites: [] },
      observed([service('BradTest3', G1)]),
      noneApplied(),
    );
    const action = only(plan, 'customer:bradtest3');
    expect(action.kind).toBe('conflict');
    expect(action.reasons[0]?.message).toContain('"BradTest3"');
    expect(action.reasons[0]?.message).toContain('"bradtest3"');
    expect(action.reasons[0]?.message).toMatch(/letter case/);
    expect(plan.drift).toEqual([]);
  });

  it('is a conflict when a site name differs only in letter case', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'branch2')] },
      observed([
        service('Old1', G1, [
          { id: G1, name: 'Old1' },
          { id: S2, name: 'Branch2' },
        ]),
      ]),
      noneApplied(),
    );
    const action = only(plan, 'site:Old1/branch2');
    expect(action.kind).toBe('conflict');
    expect(action.reasons[0]?.message).toContain('"Branch2"');
    expect(action.reasons[0]?.message).toContain('"branch2"');
  });

  it('matches after trimming', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow(' Old1 ', ' Branch2 ', { cacProfile: '5 sessions' })] },
      observed(
        [
          service('Old1', G1, [
            { id: G1, name: 'Old1' },
            { id: S2, name: 'Branch2' },
          ]),
        ],
        [details(S2, 'Branch2', { cacProfile: '5 sessions' })],
      ),
      noneApplied(),
    );
    expect(only(plan, 'site:Old1/Branch2').kind).toBe('unchanged');
  });

  it('is a conflict when a site names a customer neither in the sheet nor on the platform', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Ghost1', 'S1')] },
      observed([]),
      noneApplied(),
    );
    const action = only(plan, 'site:Ghost1/S1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons[0]?.message).toMatch(/neither in the Customers sheet nor on the Live Platform/);
  });

  it('is a conflict when a site names a sheet customer in another letter case', () => {
    const customer = customerRow({ shortName: 'NewCo1', site: { ...essentialsSite, customVariables: {} } });
    const plan = planActions(
      { customers: [customer], sites: [siteRow('newco1', 'S1')] },
      observed([]),
      noneApplied(),
    );
    const action = only(plan, 'site:newco1/S1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons[0]?.message).toContain('"NewCo1"');
  });

  it('is a conflict for a site whose customer row is itself a conflict', () => {
    const customer = customerRow({ shortName: 'NoSbc2' });
    const plan = planActions(
      { customers: [customer], sites: [siteRow('NoSbc2', 'S1')] },
      observed([]),
      noneApplied(),
    );
    expect(only(plan, 'site:NoSbc2/S1').kind).toBe('conflict');
  });

  it("is a conflict when a SipConnections row repeats a customer's primary site", () => {
    const customer = customerRow({ shortName: 'NewCo2', site: { ...essentialsSite, customVariables: {} } });
    const plan = planActions(
      { customers: [customer], sites: [siteRow('NewCo2', 'NewCo2', { sbcId: 6 })] },
      observed([]),
      noneApplied(),
    );
    expect(plan.actions.map((a) => [a.id, a.kind])).toEqual([
      ['customer:NewCo2', 'create-customer'],
      [`site:NewCo2/NewCo2@SipConnections!${plan.actions[1]?.rows[0]?.row}`, 'conflict'],
    ]);
    expect(plan.actions[1]?.reasons[0]?.message).toContain(`Customers row ${customer.origin.row}`);
  });

  it('plans the same key twice in the sheet only once; the second is a conflict', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'Branch9'), siteRow('Old1', 'Branch9')] },
      observed([service('Old1', G1)]),
      noneApplied(),
    );
    expect(plan.actions.map((a) => a.kind)).toEqual(['add-site', 'conflict']);
    expect(new Set(plan.actions.map((a) => a.id)).size).toBe(2);
    expect(plan.actions[1]?.reasons[0]?.message).toMatch(/same key is already in the sheet/);
  });
});

describe('planActions: existing services', () => {
  const existing = (sites: Parameters<typeof details>[2] = {}) =>
    observed(
      [
        service('Old1', G1, [
          { id: G1, name: 'Old1' },
          { id: S2, name: 'Branch2' },
        ]),
      ],
      [
        details(G1, 'Old1', { sbcId: 5, onboardingScript: 7, cleanupScript: 700, ...sites }),
        details(S2, 'Branch2', { cacProfile: '5 sessions' }),
      ],
    );
  const customer = (site: object = {}) =>
    customerRow({ shortName: 'Old1', site: { ...essentialsSite, customVariables: {}, ...site } });

  it('leaves a customer whose primary site reads back as the sheet wants unchanged', () => {
    const plan = planActions({ customers: [customer()], sites: [] }, existing(), noneApplied());
    const action = only(plan, 'customer:Old1');
    expect(action.kind).toBe('unchanged');
    expect(action.customerGuid).toBe(G1);
    expect(action.siteGuid).toBe(G1);
    expect(action.request).toBeUndefined();
    expect(action.record).toEqual([]);
  });

  it("plans modify-site on a customer's primary site, naming the field, read-back → sheet", () => {
    const plan = planActions(
      { customers: [customer({ proxySet: 'SIPTrunk', sbcConfigurationType: 1 })], sites: [] },
      existing({ carrierId: 'OtherTrunk', sbcConfigurationType: 2 }),
      noneApplied(),
    );
    const action = only(plan, 'customer:Old1');
    expect(action.kind).toBe('modify-site');
    expect(action.reasons).toEqual([
      {
        field: 'sbcConfigurationType',
        before: '2 (IPPBX)',
        after: '1 (SipTrunk)',
        message: 'sbcConfigurationType differs from the Live Platform',
      },
      {
        field: 'proxySet',
        before: 'OtherTrunk',
        after: 'SIPTrunk',
        message: 'proxySet differs from the Live Platform',
      },
    ]);
    expect(action.request).toEqual({
      endpoint: 'modifySite',
      method: 'PATCH',
      path: `/api/v2/customer/${G1}/sitelocation/?sbcSiteGuid=${G1}`,
      customerGuid: G1,
      siteGuid: G1,
      body: {
        siteLocationName: 'Old1',
        sbcSiteName: 'Old1',
        sbcId: 5,
        sbcOnboardingScript: 7,
        sbcCleanupScript: 700,
        SbcConfigurationType: 1,
        scriptParameters: { ProxySet: 'SIPTrunk' },
      },
    });
  });

  it('compares every readable field with its read-back', () => {
    const row = siteRow('Old1', 'Branch2', {
      sbcId: 9,
      sbcOnboardingScript: 17,
      sbcCleanupScript: 170,
      sbcConfigurationType: 3,
      cacProfile: '10 sessions',
      proxySet: 'P',
      onlinePstnGateway: 'gw.example',
      carrierUserName: 'u',
      carrierMainLine: 'ml',
      carrierHostName: 'hn',
      carrierUserPassword: 'Pw-Sheet-1',
      flagConfigureSbc: false,
      m365: { flagConfigureM365Routing: true, onboardingScript: 30, cleanupScript: 31 },
      customVariables: { 'CustomVar.Variable1': 'x' },
    });
    const plan = planActions({ customers: [], sites: [row] }, existing(), noneApplied());
    const action = only(plan, 'site:Old1/Branch2');
    expect(action.kind).toBe('modify-site');
    expect(action.reasons.map((r) => r.field)).toEqual([
      'sbcId',
      'sbcOnboardingScript',
      'sbcCleanupScript',
      'sbcConfigurationType',
      'cacProfile',
      'proxySet',
      'onlinePstnGateway',
      'carrierUserName',
      'carrierMainLine',
      'carrierHostName',
      'carrierUserPassword',
      'flagConfigureSbc',
      'm365.flagConfigureM365Routing',
      'm365.onboardingScript',
      'm365.cleanupScript',
      'customVariables.CustomVar.Variable1',
    ]);
    const body = action.request?.body as unknown as Record<string, unknown>;
    expect(body).toMatchObject({
      flagConfigureSbc: false,
      m365Scripts: { flagConfigureM365Routing: true, OnboardingScript: 30, CleanupScript: 31 },
      scriptParameters: { CarrierUserPassword: 'Pw-Sheet-1', 'CustomVar.Variable1': 'x' },
    });
  });

  it('shows a differing secret only as "differs"', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'Branch2', { carrierUserPassword: 'Sheet-Secret-9' })] },
      observed(
        [
          service('Old1', G1, [
            { id: G1, name: 'Old1' },
            { id: S2, name: 'Branch2' },
          ]),
        ],
        [details(S2, 'Branch2', { customerVariables: { CarrierUserPassword: 'Portal-Secret-8' } })],
      ),
      noneApplied(),
    );
    const action = only(plan, 'site:Old1/Branch2');
    expect(action.reasons).toEqual([
      {
        field: 'carrierUserPassword',
        before: 'differs',
        after: 'differs',
        message: 'carrierUserPassword differs from the Live Platform',
      },
    ]);
    expect(renderPlan(plan)).toContain('carrierUserPassword: differs (secret, not shown)');
    const redactor = createRedactor(['Sheet-Secret-9', 'Portal-Secret-8']);
    const shown = renderPlan(plan, { showUnchanged: true }) + planFileOf(plan, redactor);
    expect(shown).not.toContain('Sheet-Secret-9');
    expect(shown).not.toContain('Portal-Secret-8');
    // Masked even without knowing the value: by key.
    expect(planFileOf(plan, createRedactor())).not.toContain('Sheet-Secret-9');
    expect(JSON.stringify(action.reasons) + JSON.stringify(action.record)).not.toContain('Secret');
  });

  it('is busy while the site has pending tasks', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'Branch2', { cacProfile: '9 sessions' })] },
      observed(
        [
          service('Old1', G1, [
            { id: G1, name: 'Old1' },
            { id: S2, name: 'Branch2' },
          ]),
        ],
        [details(S2, 'Branch2', { pendingTasks: [{ id: 't1', type: 'ModifySite', status: 'InProgress' }] })],
      ),
      noneApplied(),
    );
    const action = only(plan, 'site:Old1/Branch2');
    expect(action.kind).toBe('busy');
    expect(action.request).toBeUndefined();
    expect(action.reasons[0]?.message).toMatch(/retried next run/);
  });

  it('is a conflict when the service exists with another license kind', () => {
    const plan = planActions(
      { customers: [customer()], sites: [] },
      observed([service('Old1', G1, undefined, { licenseType: 3 })], [details(G1, 'Old1')]),
      noneApplied(),
    );
    const action = only(plan, 'customer:Old1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons[0]?.field).toBe('license');
    expect(action.reasons[0]?.message).toMatch(/another license kind/);
  });

  it('is a conflict naming full name and MS tenant id, which the API cannot modify', () => {
    const row = customerRow({
      shortName: 'Old1',
      fullName: 'New Name',
      msTenantId: 'AAAAAAAA-0000-4000-8000-000000000000',
      site: { ...essentialsSite, customVariables: {} },
    });
    const plan = planActions(
      { customers: [row], sites: [] },
      observed(
        [
          service('Old1', G1, undefined, {
            fullName: 'Old Name',
            msTenantId: 'bbbbbbbb-0000-4000-8000-000000000000',
          }),
        ],
        [details(G1, 'Old1')],
      ),
      noneApplied(),
    );
    const action = only(plan, 'customer:Old1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons.map((r) => [r.field, r.before, r.after])).toEqual([
      ['fullName', 'Old Name', 'New Name'],
      ['msTenantId', 'bbbbbbbb-0000-4000-8000-000000000000', 'AAAAAAAA-0000-4000-8000-000000000000'],
    ]);
    expect(action.request).toBeUndefined();
  });

  it('ignores the letter case of an MS tenant id', () => {
    const row = customerRow({
      shortName: 'Old1',
      msTenantId: 'BBBBBBBB-0000-4000-8000-000000000000',
      site: { ...essentialsSite, customVariables: {} },
    });
    const plan = planActions(
      { customers: [row], sites: [] },
      observed(
        [service('Old1', G1, undefined, { msTenantId: 'bbbbbbbb-0000-4000-8000-000000000000' })],
        [details(G1, 'Old1', { sbcId: 5, onboardingScript: 7, cleanupScript: 700 })],
      ),
      noneApplied(),
    );
    expect(only(plan, 'customer:Old1').kind).toBe('unchanged');
  });

  it('is a conflict naming lcCustomerId / channelId / ovocCustomerType when they differ from what was applied', () => {
    const applied = appliedFrom([
      digestOf('Old1', undefined, {
        lcCustomerId: '1317027',
        channelId: 'ch-1',
        ovocCustomerType: 'IPGROUP_TYPE',
      }),
    ]);
    const row = customerRow({
      shortName: 'Old1',
      lcCustomerId: '999',
      channelId: 'ch-1',
      site: { ...essentialsSite, ovocCustomerType: 'TENANT_TYPE', customVariables: {} },
    });
    const plan = planActions({ customers: [row], sites: [] }, existing(), applied);
    const action = only(plan, 'customer:Old1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons.map((r) => r.field)).toEqual(['lcCustomerId', 'ovocCustomerType']);
    expect(action.reasons[0]?.message).toMatch(/cannot modify/);
  });

  it('names an OC secret only as "differs" in a customer-level conflict', () => {
    const applied = appliedFrom([
      digestOf('Oc1', undefined, { teamsQosApplicationPassword: 'Old-Teams-Secret' }),
    ]);
    const row = customerRow({
      shortName: 'Oc1',
      license: 'OC Essentials',
      oc: { teamsQosApplicationPassword: 'New-Teams-Secret' },
    });
    const plan = planActions(
      { customers: [row], sites: [] },
      observed([service('Oc1', G1, undefined, { licenseType: 3 })], [details(G1, 'Oc1')]),
      applied,
    );
    const action = only(plan, 'customer:Oc1');
    expect(action.kind).toBe('conflict');
    expect(action.reasons).toEqual([
      expect.objectContaining({ field: 'teamsQosApplicationPassword', before: 'differs', after: 'differs' }),
    ]);
    expect(planFileOf(plan, createRedactor())).not.toMatch(/Teams-Secret/);
  });

  it('is a conflict when Get SIP Connection gave nothing for a listed site', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'Branch2')] },
      observed([
        service('Old1', G1, [
          { id: G1, name: 'Old1' },
          { id: S2, name: 'Branch2' },
        ]),
      ]),
      noneApplied(),
    );
    expect(only(plan, 'site:Old1/Branch2').kind).toBe('conflict');
  });
});

describe('planActions: fields that cannot be read back', () => {
  const platform = observed(
    [
      service('Old1', G1, [
        { id: G1, name: 'Old1' },
        { id: S2, name: 'Branch2' },
      ]),
    ],
    [details(S2, 'Branch2', { cacProfile: '5 sessions' })],
  );
  const row = () =>
    siteRow('Old1', 'Branch2', {
      cacProfile: '5 sessions',
      phones: ['+3212345678'],
      enableCAC: true,
      carrierPasswordDPI: 'Dpi-Secret-77',
    });
  const desired = { phones: ['+3212345678'], enableCAC: true, carrierPasswordDPI: 'Dpi-Secret-77' };

  it('plans modify-site "not applied by lpsync before" for a site created outside lpsync', () => {
    const plan = planActions({ customers: [], sites: [row()] }, platform, noneApplied());
    const action = only(plan, 'site:Old1/Branch2');
    expect(action.kind).toBe('modify-site');
    expect(action.reasons.map((r) => r.field)).toEqual(['enableCAC', 'carrierPasswordDPI', 'phones']);
    for (const r of action.reasons) expect(r.message).toMatch(/^not applied by lpsync before/);
    expect(action.reasons.find((r) => r.field === 'carrierPasswordDPI')).toMatchObject({
      before: 'differs',
      after: 'differs',
    });
    expect(action.request?.body).toMatchObject({
      phones: '+3212345678',
      enableCAC: true,
      carrierPasswordDPI: 'Dpi-Secret-77',
    });
    expect(action.record).toEqual([digestOf('Old1', 'Branch2', desired)]);
    expect(JSON.stringify(action.record)).not.toContain('Dpi-Secret-77');
  });

  it('with adopt, plans unchanged and marks the record to store for adoption', () => {
    const plan = planActions({ customers: [], sites: [row()] }, platform, noneApplied(), { adopt: true });
    const action = only(plan, 'site:Old1/Branch2');
    expect(action.kind).toBe('unchanged');
    expect(action.request).toBeUndefined();
    expect(action.record).toEqual([{ ...digestOf('Old1', 'Branch2', desired), adopted: true }]);
  });

  it('with adopt, records the customer-level values of a service lpsync did not create', () => {
    const row = customerRow({
      shortName: 'Old1',
      lcCustomerId: '1317027',
      site: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700, customVariables: {} },
    });
    const platformWithPrimary = observed(
      [service('Old1', G1)],
      [details(G1, 'Old1', { sbcId: 5, onboardingScript: 7, cleanupScript: 700 })],
    );
    const plain = only(
      planActions({ customers: [row], sites: [] }, platformWithPrimary, noneApplied()),
      'customer:Old1',
    );
    expect(plain).toMatchObject({ kind: 'unchanged', record: [] });
    expect(plain.reasons.map((r) => r.message)).toEqual([
      "lcCustomerId cannot be read back and lpsync has no record of this service: not compared (--adopt records the sheet's values)",
    ]);
    const adopted = only(
      planActions({ customers: [row], sites: [] }, platformWithPrimary, noneApplied(), { adopt: true }),
      'customer:Old1',
    );
    expect(adopted.kind).toBe('unchanged');
    expect(adopted.record).toEqual([
      { ...digestOf('Old1', undefined, { lcCustomerId: '1317027' }), adopted: true },
    ]);
    // Once recorded, a different value in the sheet is a conflict naming the field.
    const applied = appliedFrom(adopted.record);
    const changed = customerRow({ ...row, lcCustomerId: '42' });
    const conflict = only(
      planActions({ customers: [changed], sites: [] }, platformWithPrimary, applied),
      'customer:Old1',
    );
    expect(conflict.kind).toBe('conflict');
    expect(conflict.reasons.map((r) => [r.field, r.before, r.after])).toEqual([
      ['lcCustomerId', '(as last applied)', '42'],
    ]);
  });

  it('with adopt, still modifies what reads back differently', () => {
    const plan = planActions(
      {
        customers: [],
        sites: [siteRow('Old1', 'Branch2', { cacProfile: '7 sessions', phones: ['+3212345678'] })],
      },
      platform,
      noneApplied(),
      { adopt: true },
    );
    const action = only(plan, 'site:Old1/Branch2');
    expect(action.kind).toBe('modify-site');
    expect(action.reasons.map((r) => r.field)).toEqual(['cacProfile']);
  });

  it('is unchanged when the applied digest matches, and names the field that changed since', () => {
    const applied = appliedFrom([digestOf('Old1', 'Branch2', desired)]);
    expect(
      only(planActions({ customers: [], sites: [row()] }, platform, applied), 'site:Old1/Branch2').kind,
    ).toBe('unchanged');
    const changed = siteRow('Old1', 'Branch2', { ...row().site, phones: ['+3212345678', '+3212345670'] });
    const action = only(
      planActions({ customers: [], sites: [changed] }, platform, applied),
      'site:Old1/Branch2',
    );
    expect(action.kind).toBe('modify-site');
    expect(action.reasons).toEqual([
      {
        field: 'phones',
        before: '(as last applied)',
        after: '+3212345670, +3212345678',
        message: 'phones differs from what lpsync last applied (phones cannot be read back)',
      },
    ]);
  });

  it('compares the record digest first: a match is unchanged without reading the per-field hashes', () => {
    const stored = digestOf('Old1', 'Branch2', desired);
    // Per-field hashes that match nothing: only the record digest can make this row unchanged.
    const garbled = Object.fromEntries(Object.keys(stored.fields ?? {}).map((f) => [f, 'not-a-hash']));
    const applied = appliedFrom([{ ...stored, fields: garbled }]);
    expect(
      only(planActions({ customers: [], sites: [row()] }, platform, applied), 'site:Old1/Branch2').kind,
    ).toBe('unchanged');
    // A record digest that differs falls back to the fields, which name what changed.
    const changed = siteRow('Old1', 'Branch2', { ...row().site, enableCAC: false });
    const action = only(
      planActions({ customers: [], sites: [changed] }, platform, appliedFrom([stored])),
      'site:Old1/Branch2',
    );
    expect(action.kind).toBe('modify-site');
    expect(action.reasons.map((r) => [r.field, r.before, r.after])).toEqual([
      ['enableCAC', '(as last applied)', 'false'],
    ]);
    // What it stores has both: the fields to name a change, the record digest to compare first.
    const now = { ...desired, enableCAC: false };
    expect(action.record).toEqual([digestOf('Old1', 'Branch2', now)]);
    expect(action.record[0]?.recordDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(action.record[0]?.recordDigest).not.toBe(stored.recordDigest);
  });

  it('gives the same record digest whatever the order of the values', () => {
    const entries = Object.entries(desired);
    const reversed = Object.fromEntries([...entries].reverse());
    expect(digestOf('Old1', 'Branch2', reversed).recordDigest).toBe(
      digestOf('Old1', 'Branch2', desired).recordDigest,
    );
    // Salted with the key: the same values of another SIP connection digest differently.
    expect(digestOf('Old1', 'Branch3', desired).recordDigest).not.toBe(
      digestOf('Old1', 'Branch2', desired).recordDigest,
    );
  });

  it('names a secret that changed since it was applied only as "differs"', () => {
    const applied = appliedFrom([digestOf('Old1', 'Branch2', desired)]);
    const changed = siteRow('Old1', 'Branch2', { ...row().site, carrierPasswordDPI: 'Dpi-Secret-78' });
    const action = only(
      planActions({ customers: [], sites: [changed] }, platform, applied),
      'site:Old1/Branch2',
    );
    expect(action.reasons).toEqual([
      expect.objectContaining({ field: 'carrierPasswordDPI', before: 'differs', after: 'differs' }),
    ]);
  });

  it('does not modify when only the order of the phones changes', () => {
    const applied = appliedFrom([digestOf('Old1', 'Branch2', { phones: ['+3212345670', '+3212345678'] })]);
    const reordered = siteRow('Old1', 'Branch2', { phones: ['+3212345678', '+3212345670'] });
    expect(
      only(planActions({ customers: [], sites: [reordered] }, platform, applied), 'site:Old1/Branch2').kind,
    ).toBe('unchanged');
  });

  it('does not modify when the sheet stops managing a field', () => {
    const applied = appliedFrom([digestOf('Old1', 'Branch2', desired)]);
    const fewer = siteRow('Old1', 'Branch2', { cacProfile: '5 sessions', phones: ['+3212345678'] });
    expect(
      only(planActions({ customers: [], sites: [fewer] }, platform, applied), 'site:Old1/Branch2').kind,
    ).toBe('unchanged');
  });

  it('compares a record stored without per-field hashes by its digest', () => {
    const { digest } = digestOf('Old1', 'Branch2', desired);
    const applied = appliedFrom([{ shortName: 'Old1', siteName: 'Branch2', digest }]);
    expect(
      only(planActions({ customers: [], sites: [row()] }, platform, applied), 'site:Old1/Branch2').kind,
    ).toBe('unchanged');
    const changed = siteRow('Old1', 'Branch2', { ...row().site, enableCAC: false });
    const action = only(
      planActions({ customers: [], sites: [changed] }, platform, applied),
      'site:Old1/Branch2',
    );
    expect(action.kind).toBe('modify-site');
    expect(action.reasons[0]?.message).toMatch(/differ from what lpsync last applied/);
  });
});

describe("planActions: the vendor's read-back example", () => {
  const platform = () =>
    observed(
      [
        service('Old1', G1, [
          { id: G1, name: 'Old1' },
          { id: S3, name: 'DR94Site2' },
        ]),
      ],
      [vendorReadBack(S3)],
    );

  it('plans unchanged for the Add SIP Connection example row against its Get SIP Connection read-back', () => {
    const row = vendorSiteRow('Old1');
    const applied = appliedFrom([digestOf('Old1', 'DR94Site2', { ovocCustomerType: 'IPGROUP_TYPE' })]);
    const plan = planActions({ customers: [], sites: [row] }, platform(), applied);
    expect(only(plan, 'site:Old1/DR94Site2')).toMatchObject({ kind: 'unchanged', reasons: [], record: [] });
  });

  it('plans unchanged without any applied record when the row sets no unreadable field', () => {
    const plan = planActions(
      { customers: [], sites: [vendorSiteRow('Old1', { withType: false })] },
      platform(),
      noneApplied(),
    );
    expect(only(plan, 'site:Old1/DR94Site2').kind).toBe('unchanged');
  });

  it('finds the type not applied before when nothing is recorded', () => {
    const plan = planActions({ customers: [], sites: [vendorSiteRow('Old1')] }, platform(), noneApplied());
    const action = only(plan, 'site:Old1/DR94Site2');
    expect(action.kind).toBe('modify-site');
    expect(action.reasons.map((r) => r.field)).toEqual(['ovocCustomerType']);
  });

  it('would modify if the row set carrierMainLine (it reads back null: the example misspelt it)', () => {
    const row = vendorSiteRow('Old1', { withType: false });
    row.site.carrierMainLine = 'Site2MainLine123';
    const action = only(
      planActions({ customers: [], sites: [row] }, platform(), noneApplied()),
      'site:Old1/DR94Site2',
    );
    expect(action.reasons).toEqual([
      {
        field: 'carrierMainLine',
        before: '(not set)',
        after: 'Site2MainLine123',
        message: 'carrierMainLine differs from the Live Platform',
      },
    ]);
    expect(
      renderPlan({ ...planActions({ customers: [], sites: [row] }, platform(), noneApplied()) }),
    ).not.toContain(VENDOR_PASSWORD);
  });
});

describe('planActions: drift, counts and the view', () => {
  it('lists services and sites the sheet does not name, and never plans anything for them', () => {
    const plan = planActions(
      { customers: [], sites: [siteRow('Old1', 'Branch2')] },
      observed(
        [
          service('Old1', G1, [
            { id: G1, name: 'Old1' },
            { id: S2, name: 'Branch2' },
          ]),
          service('Other1', S3, [{ id: S3, name: 'Other1' }]),
        ],
        [details(S2, 'Branch2')],
      ),
      noneApplied(),
    );
    expect(plan.actions.map((a) => a.id)).toEqual(['site:Old1/Branch2']);
    expect(plan.drift).toEqual([
      expect.objectContaining({ kind: 'site', customerShortName: 'Old1', siteName: 'Old1', siteId: G1 }),
      expect.objectContaining({ kind: 'service', customerShortName: 'Other1', customerGuid: S3 }),
    ]);
    expect(renderPlan(plan)).toMatch(/Drift: 2 on the Live Platform but not in the sheet/);
  });

  it('counts every kind and prints the counts line and a table of what changes and why', () => {
    const rows = {
      customers: [
        customerRow({ shortName: 'New1', site: { ...essentialsSite, customVariables: {} } }),
        customerRow({ shortName: 'Old1', site: { ...essentialsSite, customVariables: {} } }),
      ],
      sites: [
        siteRow('New1', 'B1'),
        siteRow('Old1', 'Branch2', { cacProfile: '6 sessions' }),
        siteRow('Ghost', 'X'),
      ],
    };
    const plan = planActions(
      rows,
      observed(
        [
          service('Old1', G1, [
            { id: G1, name: 'Old1' },
            { id: S2, name: 'Branch2' },
          ]),
        ],
        [details(G1, 'Old1', { sbcId: 5, onboardingScript: 7, cleanupScript: 700 }), details(S2, 'Branch2')],
      ),
      noneApplied(),
    );
    expect(plan.counts).toEqual({
      'create-customer': 1,
      'create-oc-service': 0,
      'add-site': 1,
      'modify-site': 1,
      unchanged: 1,
      busy: 0,
      conflict: 1,
      // Set later by --mode / --only (src/plan/shape.ts), never by planActions.
      excluded: 0,
      'not-selected': 0,
    });
    expect(countsLine(plan)).toBe(
      'Plan: 1 to create, 1 to add, 1 to modify, 1 unchanged, 0 busy, 1 conflict',
    );
    const text = renderPlan(plan);
    expect(text).toContain('modify SIP connection');
    expect(text).toContain('cacProfile: (not set) → 6 sessions');
    expect(text).toContain('after customer:New1');
    expect(text).toContain('POST /api/v2/customer/{customerGuid}/sitelocation/');
    expect(text).toContain(`PATCH /api/v2/customer/${G1}/sitelocation/?sbcSiteGuid=${S2}`);
    expect(text).not.toMatch(/^\s+unchanged/m);
    const json = JSON.parse(planFileOf(plan, createRedactor())) as { counts: unknown; actions: unknown[] };
    expect(json.counts).toEqual(plan.counts);
    expect(json.actions).toHaveLength(5);
  });
});

describe('planActions: a conflicting customer row still names its site', () => {
  it('does not list the primary site of a customer row in conflict as drift', () => {
    const plan = planActions(
      {
        customers: [
          customerRow({
            shortName: 'Old1',
            fullName: 'Old One Renamed',
            site: { ...essentialsSite, customVariables: {} },
          }),
        ],
        sites: [],
      },
      observed(
        [{ ...service('Old1', G1, [{ id: G1, name: 'Old1' }]), fullName: 'Old One' }],
        [details(G1, 'Old1', { sbcId: 5, onboardingScript: 7, cleanupScript: 700 })],
      ),
      noneApplied(),
    );
    expect(only(plan, 'customer:Old1').kind).toBe('conflict');
    expect(plan.drift).toEqual([]);
  });
});
