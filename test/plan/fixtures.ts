import type { AddSiteBody, ServiceSummary, SiteDetails } from '../../src/api/types.js';
import type { CustomerRow, SipConnectionRow, SiteSettings } from '../../src/model/types.js';
import type {
  AppliedDigest,
  AppliedRecord,
  AppliedState,
  ObservedState,
  Plan,
} from '../../src/plan/types.js';
import { appliedSiteKey } from '../../src/plan/types.js';
import type { Redactor } from '../../src/model/redact.js';
import { planFileText, savedPlan } from '../../src/plan/plan-file.js';
import { WHOLE_PLAN } from '../../src/plan/shape.js';
import { addSipConnectionExample, exampleJson } from '../support/vendor-examples.js';

/** Rows and observed state built by hand, the shapes validation and the client produce. */

let nextRow = 2;

export function customerRow(partial: Partial<CustomerRow> & { shortName: string }): CustomerRow {
  return {
    kind: 'customer',
    origin: { file: 'sheet.xlsx', sheet: 'Customers', row: nextRow++ },
    license: 'Essentials',
    siteName: partial.shortName,
    ...partial,
    site: { customVariables: {}, ...partial.site },
  };
}

export function siteRow(
  customerShortName: string,
  siteName: string,
  site: Partial<SiteSettings> = {},
): SipConnectionRow {
  return {
    kind: 'site',
    origin: { file: 'sheet.xlsx', sheet: 'SipConnections', row: nextRow++ },
    customerShortName,
    siteName,
    site: { customVariables: {}, ...site },
  };
}

export function service(
  shortName: string,
  guid: string,
  sites: Array<{ id: string; name: string }> = [{ id: guid, name: shortName }],
  partial: Partial<ServiceSummary> = {},
): ServiceSummary {
  return {
    customerGuid: guid,
    shortName,
    fullName: shortName,
    licenseType: 2,
    msTenantId: null,
    licensedUsersCount: null,
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      sbcId: null,
      sbcDeploymentState: 'Deployed',
      sbcConfigurationType: 1,
    })),
    ...partial,
  };
}

export function details(id: string, siteName: string, partial: Partial<SiteDetails> = {}): SiteDetails {
  return {
    id,
    siteName,
    tenantId: null,
    sbcDeploymentState: 3,
    m365DeploymentState: null,
    onlinePstnGateway: null,
    sbcConfigurationType: null,
    cacProfile: null,
    carrierHostName: null,
    carrierId: null,
    carrierMainLine: null,
    carrierUserName: null,
    flagConfigureSbc: null,
    sbcId: null,
    onboardingScript: null,
    cleanupScript: null,
    customerVariables: {},
    m365: {
      flagConfigureM365Routing: null,
      onboardingScript: null,
      cleanupScript: null,
      customerVariables: {},
    },
    pendingTasks: [],
    ...partial,
  };
}

export function observed(services: ServiceSummary[], sites: SiteDetails[] = []): ObservedState {
  return { services, sites: new Map(sites.map((s) => [s.id, s])) };
}

export function noneApplied(): AppliedState {
  return { customers: new Map(), sites: new Map() };
}

/** The applied state a store would hold after recording these digests. */
export function appliedFrom(records: AppliedDigest[]): AppliedState {
  const state = noneApplied();
  for (const r of records) {
    const record: AppliedRecord = {
      shortName: r.shortName,
      siteName: r.siteName ?? null,
      customerGuid: null,
      siteGuid: null,
      digest: r.digest,
      fields: r.fields ?? null,
      recordDigest: r.recordDigest ?? null,
      runId: 'run-0',
      appliedAt: '2026-01-01T00:00:00.000Z',
    };
    if (r.siteName === undefined) state.customers.set(r.shortName, record);
    else state.sites.set(appliedSiteKey(r.shortName, r.siteName), record);
  }
  return state;
}

// ---------------------------------------------------------------- the vendor's examples

/** The Add SIP Connection example body, as the page has it (test/support/vendor-examples.ts). */
export const VENDOR_ADD_SITE_BODY = exampleJson<AddSiteBody>(addSipConnectionExample);

export const VENDOR_PASSWORD = 'Site2#%00500';

/** The row that produced it: the misspelt key as a custom variable (a `Var:CarierMailLine` column). */
export function vendorSiteRow(
  customerShortName: string,
  options: { withType?: boolean } = {},
): SipConnectionRow {
  return siteRow(customerShortName, 'DR94Site2', {
    ...(options.withType === false ? {} : { ovocCustomerType: 'IPGROUP_TYPE' as const }),
    sbcOnboardingScript: 7,
    sbcCleanupScript: 700,
    sbcId: 8,
    onlinePstnGateway: 'DR94Site2.sandbox2.audiocodes.be',
    proxySet: 'SIPTrunk',
    carrierUserName: 'Site2Carrier',
    carrierUserPassword: VENDOR_PASSWORD,
    carrierHostName: 'Site2Hostname123',
    cacProfile: '10 sessions',
    customVariables: { CarierMailLine: 'Site2MainLine123', 'CustomVar.Variable1': 'variable4' },
  });
}

/**
 * Get SIP Connection for that site as the vendor's notes on the read endpoints describes the vendor's example:
 * ProxySet → carrierId, carrierMainLine null, the password and the other keys in customerVariables.
 */
export function vendorReadBack(id: string): SiteDetails {
  return details(id, 'DR94Site2', {
    tenantId: '4bf50a33-a383-4d3f-9403-220c898bc1b2',
    sbcDeploymentState: 3,
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
      CarrierUserPassword: VENDOR_PASSWORD,
      CarierMailLine: 'Site2MainLine123',
      'CustomVar.Variable1': 'variable4',
    },
  });
}

/** The plan file's text for a plan (what `plan --out x.plan.json` writes), masked by `redactor`. */
export function planFileOf(plan: Plan, redactor: Redactor): string {
  return planFileText(
    savedPlan({
      plan,
      fingerprints: new Map(),
      shape: WHOLE_PLAN,
      adopt: false,
      inputs: [],
      baseUrl: 'http://127.0.0.1',
      lpsyncVersion: '0',
      createdAt: 't',
      redactor,
    }),
  ).text;
}
