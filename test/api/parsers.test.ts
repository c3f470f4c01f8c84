import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isTaskInProgress,
  parseCreateCustomer,
  parseJobId,
  parseRetryAfter,
  parseService,
  parseServiceList,
  parseSiteDetails,
  parseSiteWrite,
  parseTask,
  sbcConfigurationTypeCode,
  TASK_SUCCESS,
} from '../../src/api/index.js';
import {
  addSipConnectionResponse,
  createEssentialsCustomerResponse,
  createOcServiceFromLeadJobResponse,
  createOcServiceFromLeadTaskResponse,
  exampleJson,
  modifyPageService,
  modifySipConnectionResponse,
  vendorServiceList,
  vendorSiteReadBack,
} from '../support/vendor-examples.js';

const vendorList = vendorServiceList;
const vendorSite = vendorSiteReadBack;

describe('case-insensitive response parsing', () => {
  it('reads the vendor list (PascalCase, configuration type as a name)', () => {
    const parsed = parseServiceList(vendorList);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [service] = parsed.value;
    expect(service).toEqual({
      customerGuid: '806664bf-5380-44b6-b7ee-ab9c443cc284',
      shortName: 'BradTest3',
      fullName: 'BradTest3',
      licenseType: 2,
      msTenantId: '4bf50a33-a383-4d3f-9403-220c898bc1b2',
      licensedUsersCount: 0,
      sites: [
        {
          id: '0ce9ce2f-04e2-4746-b436-f68b8ad82a9a',
          name: 'GSBGHDLVPZBSS',
          sbcId: 5,
          sbcDeploymentState: 'Deployed',
          sbcConfigurationType: 1,
        },
        {
          id: '548b7e8f-9a27-47f4-8c5b-382d4e4c5a3b',
          name: 'Brad1010',
          sbcId: 5,
          sbcDeploymentState: 'Deployed',
          sbcConfigurationType: 3,
        },
      ],
    });
  });

  it('reads the same list in camelCase and with customerGuid, and the modify page variant with Id', () => {
    const camel = parseServiceList([
      {
        customerGuid: 'g-1',
        customerShortName: 'Camel1',
        licenseType: '3',
        siteLocation: [{ ID: 's-1', Name: 'Camel1', SBCID: '7', sbcconfigurationtype: 2 }],
      },
    ]);
    expect(camel.ok && camel.value[0]).toMatchObject({
      customerGuid: 'g-1',
      shortName: 'Camel1',
      fullName: null,
      licenseType: 3,
      sites: [{ id: 's-1', name: 'Camel1', sbcId: 7, sbcConfigurationType: 2 }],
    });
    const variant = parseService(modifyPageService);
    expect(variant.ok && variant.value.customerGuid).toBe('806664bf-5380-44b6-b7ee-ab9c443cc284');
    expect(variant.ok && variant.value.shortName).toBe('BradTest3');
    expect(variant.ok && variant.value.sites[0]?.sbcConfigurationType).toBeNull();
    const wrapped = parseServiceList({ value: vendorList });
    expect(wrapped.ok && wrapped.value).toHaveLength(1);
    // A tenant with nothing in it may answer an empty body (read as null) instead of [].
    expect(parseServiceList(null)).toEqual({ ok: true, value: [] });
  });

  it('maps configuration type names and integers onto the integer', () => {
    expect(sbcConfigurationTypeCode('SipTrunk')).toBe(1);
    expect(sbcConfigurationTypeCode('SIP Trunk')).toBe(1);
    expect(sbcConfigurationTypeCode('ippbx')).toBe(2);
    expect(sbcConfigurationTypeCode(3)).toBe(3);
    expect(sbcConfigurationTypeCode('0')).toBe(0);
    expect(sbcConfigurationTypeCode('Teams')).toBeNull();
    expect(sbcConfigurationTypeCode(7)).toBeNull();
    expect(sbcConfigurationTypeCode(undefined)).toBeNull();
  });

  it('flattens the vendor Get SIP Connection read-back, keeping variable names as sent', () => {
    const parsed = parseSiteDetails(vendorSite, '68d85372-f854-4dca-a466-47c876e30892');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual({
      id: '68d85372-f854-4dca-a466-47c876e30892',
      siteName: 'DR94Site2',
      tenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
      sbcDeploymentState: 3,
      m365DeploymentState: null,
      onlinePstnGateway: 'DR94Site2.sandbox2.audiocodes.be',
      sbcConfigurationType: 1,
      cacProfile: '10 sessions',
      carrierHostName: 'Site2Hostname123',
      carrierId: 'SIPTrunk',
      carrierMainLine: null,
      carrierUserName: 'Site2Carrier',
      flagConfigureSbc: true,
      sbcId: 8,
      onboardingScript: 7,
      cleanupScript: 700,
      customerVariables: {
        CarrierUserPassword: 'Site2#%00500',
        CarierMailLine: 'Site2MainLine123',
        'CustomVar.Variable1': 'variable4',
      },
      m365: {
        flagConfigureM365Routing: true,
        onboardingScript: null,
        cleanupScript: null,
        customerVariables: {},
      },
      pendingTasks: [],
    });
  });

  it('reads a PascalCase Get SIP Connection with the configuration type as a name', () => {
    const parsed = parseSiteDetails(
      {
        Id: 'site-9',
        SiteName: 'Pascal',
        SbcDeploymentState: 'Deployed',
        SbcInfo: {
          SbcConfigurationType: 'IPPBX',
          CarrierId: 'Proxy1',
          FlagConfigureSbc: 'false',
          SbcScripts: { OnboardingScript: '10007', CustomerVariables: { additionalProp1: 'x', Count: 3 } },
        },
        PendingTasks: [{ id: 1 }],
      },
      'ignored',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      id: 'site-9',
      siteName: 'Pascal',
      sbcDeploymentState: 'Deployed',
      sbcConfigurationType: 2,
      carrierId: 'Proxy1',
      flagConfigureSbc: false,
      onboardingScript: 10007,
      customerVariables: { additionalProp1: 'x', Count: '3' },
      pendingTasks: [{ id: 1 }],
    });
    expect(parsed.value.m365.customerVariables).toEqual({});
  });

  it('reads tasks: in-progress spellings, success spelt with a space, the GUID from outputData', () => {
    const done = parseTask(
      {
        Id: 'wst_1',
        Status: 'Completed Success',
        Details: ['Converted'],
        ExecutionMessages: [{ Level: 'Information', Message: 'Site created in Ovoc' }],
        OutputData: { UmpCustomerGuid: 'g-9' },
      },
      'wst_1',
    );
    expect(done.ok && done.value).toEqual({
      id: 'wst_1',
      status: TASK_SUCCESS,
      details: ['Converted'],
      executionMessages: [{ level: 'Information', message: 'Site created in Ovoc' }],
      outputData: { UmpCustomerGuid: 'g-9' },
      customerGuid: 'g-9',
    });
    const running = parseTask({ status: 'In Progress', outputData: {} }, 'wst_2');
    expect(running.ok && running.value.id).toBe('wst_2');
    expect(running.ok && running.value.customerGuid).toBeNull();
    for (const s of ['InProgress', 'In Progress', 'Pending', 'Queued', 'NotStarted', 'Running', 'Created']) {
      expect(isTaskInProgress(s)).toBe(true);
    }
    for (const s of ['CompletedSuccess', 'CompletedFailure', 'Failed', 'Cancelled']) {
      expect(isTaskInProgress(s)).toBe(false);
    }
  });

  it('reads write answers: the vendor create example, site writes, job ids in every documented form', () => {
    const created = parseCreateCustomer(exampleJson(createEssentialsCustomerResponse), 'sent');
    expect(created.ok && created.value).toEqual({
      customerGuid: '182f496c-0aaa-4023-bdd4-03b9cf8f68b9',
      shortName: 'BradSB1E1',
      siteLocationIds: ['e61d2f11-87ef-49f9-8771-730ec0b2507b'],
      deploymentState: 'Deployed',
      errorDetails: null,
      progressDetails:
        '(Information, MsTenantid is valid);(Information, Customer data created!);(Information, SBC sbc-onboarding done for site BradSB1E1.);(Information, Site created in Ovoc)',
    });
    // Numbers read as text; a field of another type is refused with the field named, as zod words it.
    expect(parseCreateCustomer({ id: 42, siteLocationIds: [7, 'x'], deploymentState: 3 }, 's')).toEqual({
      ok: true,
      value: {
        customerGuid: '42',
        shortName: 's',
        siteLocationIds: ['7', 'x'],
        deploymentState: '3',
        errorDetails: null,
        progressDetails: null,
      },
    });
    const wrongType = parseCreateCustomer({ id: 'g', errorDetails: { a: 1 } }, 's');
    expect(wrongType.ok).toBe(false);
    if (!wrongType.ok) expect(wrongType.problem).toMatch(/^errordetails: /);
    const wrongIds = parseCreateCustomer({ id: 'g', siteLocationIds: [null] }, 's');
    expect(wrongIds.ok).toBe(false);
    if (!wrongIds.ok) expect(wrongIds.problem).toMatch(/^sitelocationids\.0: /);
    const byGuid = parseCreateCustomer({ CustomerGuid: 'g-2' }, 'Sent2');
    expect(byGuid.ok && byGuid.value).toMatchObject({
      customerGuid: 'g-2',
      shortName: 'Sent2',
      siteLocationIds: [],
    });

    const site = parseSiteWrite(exampleJson(addSipConnectionResponse), 'sent-guid');
    expect(site.ok && site.value.siteGuid).toBe('68d85372-f854-4dca-a466-47c876e30892');
    expect(site.ok && site.value.customerGuid).toBe('b11a3f8a-9220-457a-938f-cae531f79d67');
    expect(site.ok && site.value.executionMessages).toHaveLength(5);
    const modified = parseSiteWrite(exampleJson(modifySipConnectionResponse), 'sent-guid');
    expect(modified.ok && modified.value.siteGuid).toBe('a344470f-e54e-4897-b28e-d1c2c0c404f0');
    expect(modified.ok && modified.value.executionMessages[0]).toEqual({
      level: 'Information',
      message: 'Skipping SBC CheckIpGroupProgramming.',
    });
    expect(parseSiteWrite({ SiteGuid: 's-3' }, 'g-3')).toEqual({
      ok: true,
      value: { customerGuid: 'g-3', siteGuid: 's-3', executionMessages: [] },
    });

    expect(parseJobId(exampleJson(createOcServiceFromLeadJobResponse))).toEqual({
      ok: true,
      value: 'wst_80b54f45-6643-4fdf-960a-638c18edb787',
    });
    expect(parseJobId({ jobId: 'wst_80b54f45' })).toEqual({ ok: true, value: 'wst_80b54f45' });
    expect(parseJobId({ JobId: 'wst_a' })).toEqual({ ok: true, value: 'wst_a' });
    expect(parseJobId({ id: 'wst_b' })).toEqual({ ok: true, value: 'wst_b' });
    expect(parseJobId('wst_c')).toEqual({ ok: true, value: 'wst_c' });
    expect(parseJobId(JSON.parse('"wst_d"'))).toEqual({ ok: true, value: 'wst_d' });
  });

  it('reads the vendor task example (outputData empty there: no GUID, still a success)', () => {
    const task = parseTask(exampleJson(createOcServiceFromLeadTaskResponse), 'wst_x');
    expect(task.ok && task.value).toEqual({
      id: 'wst_80b54f45-6643-4fdf-960a-638c18edb787',
      status: TASK_SUCCESS,
      details: ['Converted'],
      executionMessages: [
        { level: 'Information', message: 'SBC sbc-onboarding done for site Bradx35340067.' },
        { level: 'Information', message: 'Site created in Ovoc' },
      ],
      outputData: {},
      customerGuid: null,
    });
  });

  it('says what does not fit', () => {
    const noGuid = parseServiceList([{ CustomerShortName: 'x' }]);
    expect(noGuid.ok).toBe(false);
    if (!noGuid.ok) expect(noGuid.problem).toMatch(/UmpCustomerGuid/);
    expect(parseServiceList({ message: 'Internal' }).ok).toBe(false);
    expect(parseSiteDetails({ tenantId: 'x' }, 'id').ok).toBe(false);
    expect(parseTask({ id: 'x' }, 'x').ok).toBe(false);
    expect(parseJobId({}).ok).toBe(false);
    expect(parseJobId('').ok).toBe(false);
    expect(parseCreateCustomer({ customerId: 'x' }, 'x').ok).toBe(false);
    const badSite = parseServiceList([
      { UmpCustomerGuid: 'g', CustomerShortName: 's', SiteLocation: [{ name: 'n' }] },
    ]);
    expect(badSite.ok).toBe(false);
  });
});

describe('retry arithmetic', () => {
  const settings = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 10_000 };

  it('full jitter: uniform up to base · 2^(attempt−1), capped', () => {
    expect(backoffDelay(1, settings, () => 0.999999)).toBe(250);
    expect(backoffDelay(3, settings, () => 0.999999)).toBe(1000);
    expect(backoffDelay(10, settings, () => 0.999999)).toBe(10_000);
    expect(backoffDelay(3, settings, () => 0)).toBe(0);
    expect(backoffDelay(3, settings, () => 0.5)).toBe(500);
  });

  it('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
  });
});
