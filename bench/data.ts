/**
 * The benchmarks' data: one deterministic customer (and its further SIP connection) per index,
 * as a person fills the template in. The same values feed the generated workbook (reading,
 * writing) and the rows and platform state built directly in memory (planning).
 */
import ExcelJS from 'exceljs';
import type { ServiceSummary, SiteDetails } from '../src/api/types.js';
import type { CustomerRow, SipConnectionRow, SiteSettings, WorkbookRows } from '../src/model/types.js';
import type { ObservedState } from '../src/plan/types.js';

export const CUSTOMER_HEADERS = [
  'License',
  'Short Name',
  'Full Name',
  'MS Tenant Id',
  'SBC Id',
  'SBC Onboarding Script',
  'SBC Cleanup Script',
  'OVOC Customer Type',
  'SBC Configuration Type',
  'CAC Profile',
  'Proxy Set',
  'Online PSTN Gateway',
  'Carrier User Name',
  'Carrier Password',
  'Carrier Main Line',
  'Carrier Host Name',
  'additionalProp1',
] as const;

export const SITE_HEADERS = [
  'Customer Short Name',
  'Site Name',
  'SBC Id',
  'SBC Onboarding Script',
  'SBC Cleanup Script',
  'OVOC Customer Type',
  'SBC Configuration Type',
  'CAC Profile',
  'Enable CAC',
  'Configure SBC',
  'Carrier Registration',
  'Carrier User Name',
  'Carrier Password',
  'Carrier Main Line',
  'Carrier Host Name',
  'Phones',
  'Dial Plan Name',
  'Dial Plan Prefixes',
  'Online PSTN Gateway',
  'Proxy Set',
  'CustomVar.Variable1',
] as const;

const pad = (i: number, width: number) => String(i).padStart(width, '0');
const hex = (i: number, width: number) => (i >>> 0).toString(16).padStart(width, '0').slice(-width);

export const shortNameOf = (i: number) => `Cust${pad(i, 6)}`;
export const branchNameOf = (i: number) => `Branch${pad(i, 6)}`;
const tenantIdOf = (i: number) =>
  `${hex(i * 2654435761, 8)}-${hex(i, 4)}-4${hex(i, 3)}-8${hex(i >> 12, 3)}-${pad(i, 12)}`;
const mainLineOf = (i: number) => `+3222${pad(i, 6)}`;
const branchLineOf = (i: number) => `+3227${pad(i, 6)}`;

/** The Customers sheet row of index i, cells as typed (numbers as numbers). */
export function customerCells(i: number): Array<string | number> {
  return [
    'Essentials',
    shortNameOf(i),
    `Customer ${i} Ltd`,
    tenantIdOf(i),
    5,
    10007,
    10700,
    'IPGROUP_TYPE',
    'SIP Trunk',
    '10 sessions',
    'SIPTrunk',
    `c${pad(i, 6)}.sandbox2.audiocodes.be`,
    `carrier-${pad(i, 6)}`,
    `Pw!${pad(i, 6)}-secret`,
    mainLineOf(i),
    'sip.carrier.example',
    'Service Provider2 SBC',
  ];
}

/** The SipConnections sheet row of index i: a second SIP connection of customer i. */
export function siteCells(i: number): Array<string | number | boolean> {
  const line = branchLineOf(i);
  return [
    shortNameOf(i),
    branchNameOf(i),
    5,
    10007,
    10700,
    'IPGROUP_TYPE',
    'SIP Trunk',
    '10 sessions',
    true,
    true,
    true,
    `branch-${pad(i, 6)}`,
    `Br!${pad(i, 6)}-secret`,
    line,
    'pbx.example',
    `${line}; ${line.slice(0, -1)}1`,
    `DP-${pad(i, 6)}`,
    `${line.slice(0, -2)}:1:TRUE`,
    `b${pad(i, 6)}.sandbox2.audiocodes.be`,
    'SIPTrunk',
    `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  ];
}

/** Writes the input workbook: `customers` rows on Customers, as many SIP connections on SipConnections. */
export async function writeInputWorkbook(path: string, customers: number): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const c = writer.addWorksheet('Customers');
  c.addRow([...CUSTOMER_HEADERS]).commit();
  for (let i = 0; i < customers; i++) c.addRow(customerCells(i)).commit();
  c.commit();
  const s = writer.addWorksheet('SipConnections');
  s.addRow([...SITE_HEADERS]).commit();
  for (let i = 0; i < customers; i++) s.addRow(siteCells(i)).commit();
  s.commit();
  await writer.commit();
}

// ---------------------------------------------------------------- rows and platform state in memory

function primarySite(i: number): SiteSettings {
  return {
    sbcId: 5,
    sbcOnboardingScript: 10007,
    sbcCleanupScript: 10700,
    ovocCustomerType: 'IPGROUP_TYPE',
    sbcConfigurationType: 1,
    cacProfile: '10 sessions',
    proxySet: 'SIPTrunk',
    onlinePstnGateway: `c${pad(i, 6)}.sandbox2.audiocodes.be`,
    carrierUserName: `carrier-${pad(i, 6)}`,
    carrierUserPassword: `Pw!${pad(i, 6)}-secret`,
    carrierMainLine: mainLineOf(i),
    carrierHostName: 'sip.carrier.example',
    customVariables: { additionalProp1: 'Service Provider2 SBC' },
  };
}

function branchSite(i: number): SiteSettings {
  const line = branchLineOf(i);
  return {
    sbcId: 5,
    sbcOnboardingScript: 10007,
    sbcCleanupScript: 10700,
    ovocCustomerType: 'IPGROUP_TYPE',
    sbcConfigurationType: 1,
    cacProfile: '10 sessions',
    enableCAC: true,
    flagConfigureSbc: true,
    flagCarrierRegistration: true,
    carrierUserName: `branch-${pad(i, 6)}`,
    carrierUserPassword: `Br!${pad(i, 6)}-secret`,
    carrierMainLine: line,
    carrierHostName: 'pbx.example',
    phones: [line, `${line.slice(0, -1)}1`],
    dialPlanName: `DP-${pad(i, 6)}`,
    dialPlanPrefixes: [{ prefix: line.slice(0, -2), index: 1, active: true }],
    onlinePstnGateway: `b${pad(i, 6)}.sandbox2.audiocodes.be`,
    proxySet: 'SIPTrunk',
    customVariables: { 'CustomVar.Variable1': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  };
}

/** The validated rows `loadWorkbook` gives for the same workbook (built directly, for planning). */
export function workbookRows(customers: number): WorkbookRows {
  const rows: WorkbookRows = { customers: [], sites: [] };
  for (let i = 0; i < customers; i++) {
    const customer: CustomerRow = {
      kind: 'customer',
      origin: { file: 'bench.xlsx', sheet: 'Customers', row: i + 2 },
      license: 'Essentials',
      shortName: shortNameOf(i),
      fullName: `Customer ${i} Ltd`,
      msTenantId: tenantIdOf(i),
      siteName: shortNameOf(i),
      site: primarySite(i),
    };
    const site: SipConnectionRow = {
      kind: 'site',
      origin: { file: 'bench.xlsx', sheet: 'SipConnections', row: i + 2 },
      customerShortName: shortNameOf(i),
      siteName: branchNameOf(i),
      site: branchSite(i),
    };
    rows.customers.push(customer);
    rows.sites.push(site);
  }
  return rows;
}

const guid = (kind: number, i: number) => `${hex(kind, 8)}-0000-4000-8000-${pad(i, 12)}`;

function details(id: string, name: string, site: SiteSettings): SiteDetails {
  return {
    id,
    siteName: name,
    tenantId: null,
    sbcDeploymentState: 3,
    m365DeploymentState: null,
    onlinePstnGateway: site.onlinePstnGateway ?? null,
    sbcConfigurationType: site.sbcConfigurationType ?? null,
    cacProfile: site.cacProfile ?? null,
    carrierHostName: site.carrierHostName ?? null,
    carrierId: site.proxySet ?? null,
    carrierMainLine: site.carrierMainLine ?? null,
    carrierUserName: site.carrierUserName ?? null,
    flagConfigureSbc: site.flagConfigureSbc ?? null,
    sbcId: site.sbcId ?? null,
    onboardingScript: site.sbcOnboardingScript ?? null,
    cleanupScript: site.sbcCleanupScript ?? null,
    customerVariables: {
      ...site.customVariables,
      ...(site.carrierUserPassword ? { CarrierUserPassword: site.carrierUserPassword } : {}),
    },
    m365: {
      flagConfigureM365Routing: null,
      onboardingScript: null,
      cleanupScript: null,
      customerVariables: {},
    },
    pendingTasks: [],
  };
}

/**
 * The Live Platform as a nightly reconcile finds it: one service per customer row with both
 * SIP connections, reading back what the sheet says, except every 20th branch changed in the
 * portal (a modify) and every 50th branch missing (an add).
 */
export function observedFor(rows: WorkbookRows): ObservedState {
  const services: ServiceSummary[] = [];
  const sites = new Map<string, SiteDetails>();
  rows.customers.forEach((customer, i) => {
    const branch = rows.sites[i];
    const primaryId = guid(1, i);
    const summary: ServiceSummary = {
      customerGuid: guid(2, i),
      shortName: customer.shortName,
      fullName: customer.fullName ?? null,
      licenseType: 2,
      msTenantId: customer.msTenantId ?? null,
      licensedUsersCount: null,
      sites: [
        {
          id: primaryId,
          name: customer.siteName,
          sbcId: 5,
          sbcDeploymentState: 'Deployed',
          sbcConfigurationType: 1,
        },
      ],
    };
    sites.set(primaryId, details(primaryId, customer.siteName, customer.site));
    if (branch && i % 50 !== 49) {
      const branchId = guid(3, i);
      summary.sites.push({
        id: branchId,
        name: branch.siteName,
        sbcId: 5,
        sbcDeploymentState: 'Deployed',
        sbcConfigurationType: 1,
      });
      const read = details(branchId, branch.siteName, branch.site);
      if (i % 20 === 19) read.cacProfile = '5 sessions';
      sites.set(branchId, read);
    }
    services.push(summary);
  });
  return { services, sites };
}
