import { sha256Hex } from '../../src/model/hashing.js';
import { isSecretKey } from '../../src/model/redact.js';
import type { ServiceSummary, SiteDetails } from '../../src/api/types.js';
import type { CustomerRow, SipConnectionRow, SiteSettings, WorkbookRows } from '../../src/model/types.js';
import type { PlanOptions } from '../../src/plan/plan-actions.js';
import type { AppliedDigest, AppliedState, ObservedState, Plan } from '../../src/plan/types.js';
import { digestOf } from '../../src/plan/digest.js';
import { appliedFrom, details, service } from './fixtures.js';

/**
 * A sheet and a platform that reach every branch of `planActions`, built deterministically, so
 * that its whole output (bodies, reasons, records, digests, key order) can be kept in a file and
 * a change to the planner's output is seen at once.
 */

const pad = (i: number) => String(i).padStart(3, '0');
const guid = (kind: number, i: number) =>
  `${kind}${kind}${kind}${kind}0000-0000-4000-8000-000000000${pad(i)}`;

/** The twelve ways a sheet row can meet the platform, by `i % 12`. */
type Variant =
  | 'create'
  | 'unchanged'
  | 'readable-diff'
  | 'unreadable-diff'
  | 'never-applied'
  | 'digest-only-record'
  | 'busy'
  | 'case-only-service'
  | 'site-missing'
  | 'no-details'
  | 'customer-conflict'
  | 'case-only-site';
const VARIANTS: readonly Variant[] = [
  'create',
  'unchanged',
  'readable-diff',
  'unreadable-diff',
  'never-applied',
  'digest-only-record',
  'busy',
  'case-only-service',
  'site-missing',
  'no-details',
  'customer-conflict',
  'case-only-site',
];

function primarySite(i: number): SiteSettings {
  return {
    sbcId: 5,
    sbcOnboardingScript: 7,
    sbcCleanupScript: 700,
    ...(i % 3 === 0 ? {} : { ovocCustomerType: 'IPGROUP_TYPE' as const }),
    ...(i % 4 === 1 ? {} : { sbcConfigurationType: 1 + (i % 3) }),
    cacProfile: '10 sessions',
    proxySet: 'SIPTrunk',
    carrierUserName: `carrier-${pad(i)}`,
    carrierUserPassword: `Pw!${pad(i)}-secret`,
    carrierMainLine: `+3222000${pad(i)}`,
    customVariables: i % 5 === 2 ? { additionalProp1: `v${i}`, MyToken: `tok-${i}` } : {},
    ...(i % 6 === 4 ? { enableCAC: i % 4 === 0, phones: [`+3233${pad(i)}9`, `+3233${pad(i)}1`] } : {}),
  };
}

function branchSite(i: number): SiteSettings {
  return {
    sbcId: 5,
    ovocCustomerType: i % 2 ? 'IPGROUP_TYPE' : 'TENANT_TYPE',
    sbcConfigurationType: 1,
    cacProfile: '10 sessions',
    enableCAC: i % 2 === 0,
    flagConfigureSbc: true,
    ...(i % 3 === 0 ? {} : { flagCarrierRegistration: false, carrierPasswordDPI: `Dpi!${pad(i)}` }),
    carrierUserName: `branch-${pad(i)}`,
    carrierUserPassword: `Br!${pad(i)}-secret`,
    carrierHostName: 'pbx.example',
    // Unsorted on some rows: the order of phones is not a change.
    phones: i % 2 ? [`+3227${pad(i)}2`, `+3227${pad(i)}1`] : [`+3227${pad(i)}1`, `+3227${pad(i)}2`],
    dialPlanName: `DP-${pad(i)}`,
    dialPlanPrefixes: [
      { prefix: `+3227${pad(i)}`, index: 1, active: true },
      { prefix: `+3228${pad(i)}`, index: 2, active: i % 2 === 0 },
    ],
    ...(i % 4 === 0
      ? { m365: { flagConfigureM365Routing: true, onboardingScript: 11, cleanupScript: 12 } }
      : {}),
    customVariables: {
      'CustomVar.Variable1': `10.0.0.${i}`,
      ...(i % 3 === 1 ? { 'Var:password': `p${i}` } : {}),
    },
  };
}

function readBack(id: string, name: string, site: SiteSettings): SiteDetails {
  return details(id, name, {
    sbcId: site.sbcId ?? null,
    onboardingScript: site.sbcOnboardingScript ?? null,
    cleanupScript: site.sbcCleanupScript ?? null,
    sbcConfigurationType: site.sbcConfigurationType ?? null,
    cacProfile: site.cacProfile ?? null,
    carrierId: site.proxySet ?? null,
    onlinePstnGateway: site.onlinePstnGateway ?? null,
    carrierUserName: site.carrierUserName ?? null,
    carrierMainLine: site.carrierMainLine ?? null,
    carrierHostName: site.carrierHostName ?? null,
    flagConfigureSbc: site.flagConfigureSbc ?? null,
    customerVariables: {
      ...site.customVariables,
      ...(site.carrierUserPassword ? { carrieruserpassword: site.carrierUserPassword } : {}),
    },
    m365: {
      flagConfigureM365Routing: site.m365?.flagConfigureM365Routing ?? null,
      onboardingScript: site.m365?.onboardingScript ?? null,
      cleanupScript: site.m365?.cleanupScript ?? null,
      customerVariables: {},
    },
  });
}

/** Unreadable values as the planner derives them (for building the applied state). */
function unreadable(site: SiteSettings, includeType: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (site.enableCAC !== undefined) out.enableCAC = site.enableCAC;
  if (site.flagCarrierRegistration !== undefined) out.flagCarrierRegistration = site.flagCarrierRegistration;
  if (site.carrierPasswordDPI !== undefined) out.carrierPasswordDPI = site.carrierPasswordDPI;
  if (site.phones) out.phones = [...site.phones].sort();
  if (site.dialPlanName !== undefined) out.dialPlanName = site.dialPlanName;
  if (site.dialPlanPrefixes) out.dialPlanPrefixes = site.dialPlanPrefixes;
  if (includeType && site.ovocCustomerType !== undefined) out.ovocCustomerType = site.ovocCustomerType;
  return out;
}

export interface GoldenCase {
  name: string;
  rows: WorkbookRows;
  observed: ObservedState;
  applied: AppliedState;
  options: PlanOptions;
}

/** The sheet, the platform and the state store; `count` rows per sheet (a multiple of 12 covers every variant). */
export function goldenWorld(count = 48): Omit<GoldenCase, 'name' | 'options'> {
  const customers: CustomerRow[] = [];
  const sites: SipConnectionRow[] = [];
  const services: ServiceSummary[] = [];
  const siteDetails: SiteDetails[] = [];
  const records: AppliedDigest[] = [];
  let row = 2;
  const origin = (sheet: string) => ({ file: 'golden.xlsx', sheet, row: row++ });

  for (let i = 0; i < count; i++) {
    const variant = VARIANTS[i % VARIANTS.length]!;
    const shortName = `Cust${pad(i)}`;
    const oc = i % 7 === 3;
    const primary = primarySite(i);
    const customer: CustomerRow = {
      kind: 'customer',
      origin: origin('Customers'),
      license: oc ? 'OC Essentials' : 'Essentials',
      // Spaces around names: matching is after trimming.
      shortName: i % 9 === 5 ? ` ${shortName} ` : shortName,
      fullName: `Customer ${i}`,
      ...(i % 8 === 2 ? { msTenantId: `ABCDEF00-0000-4000-8000-000000000${pad(i)}` } : {}),
      ...(i % 5 === 1 ? { lcCustomerId: `LC${i}`, channelId: `ch-${i % 3}` } : {}),
      siteName: i % 10 === 7 ? `${shortName} HQ` : shortName,
      // One create that lacks what Create Essentials Customer requires.
      site: i === 36 ? { customVariables: {} } : primary,
      ...(oc
        ? {
            oc: {
              configurationName: `cfg-${i}`,
              leadId: `lead-${i}`,
              ...(i % 2
                ? { teamsQosApplicationId: `app-${i}`, teamsQosApplicationPassword: `Teams!${i}` }
                : {}),
              licensedUsersCount: 10 + i,
            },
          }
        : {}),
    };
    const branchName = i % 6 === 1 ? ` Branch${pad(i)}` : `Branch${pad(i)}`;
    const branch: SipConnectionRow = {
      kind: 'site',
      origin: origin('SipConnections'),
      customerShortName: shortName,
      siteName: branchName,
      site: branchSite(i),
    };
    customers.push(customer);
    sites.push(branch);

    if (variant === 'create') continue;
    const customerGuid = guid(1, i);
    const primaryId = guid(2, i);
    const branchId = guid(3, i);
    const listedName = variant === 'case-only-service' ? shortName.toUpperCase() : shortName;
    const listedBranch = variant === 'case-only-site' ? branchName.trim().toLowerCase() : branchName.trim();
    const listedSites = [{ id: primaryId, name: customer.siteName }];
    if (variant !== 'site-missing') listedSites.push({ id: branchId, name: listedBranch });
    // A site the sheet does not name: drift.
    if (i % 4 === 3) listedSites.push({ id: guid(4, i), name: `Portal-made ${i}` });
    services.push(
      service(listedName, customerGuid, listedSites, {
        fullName: variant === 'customer-conflict' ? `Customer ${i} (renamed)` : `Customer ${i}`,
        licenseType: variant === 'customer-conflict' && i % 24 === 22 ? (oc ? 2 : 3) : oc ? 3 : 2,
        msTenantId: customer.msTenantId?.toLowerCase() ?? null,
      }),
    );
    siteDetails.push(readBack(primaryId, customer.siteName, primary));
    if (variant !== 'site-missing' && variant !== 'no-details') {
      const read = readBack(branchId, listedBranch, branch.site);
      if (variant === 'readable-diff') {
        read.cacProfile = '5 sessions';
        read.sbcConfigurationType = 3;
        read.customerVariables = { ...read.customerVariables, carrieruserpassword: 'changed-in-portal' };
      }
      if (variant === 'busy') read.pendingTasks = [{ id: `t${i}`, status: 'running' }];
      siteDetails.push(read);
    }

    // The state store: customer-level and branch records, by variant.
    const cValues: Record<string, unknown> = {};
    if (customer.lcCustomerId !== undefined) cValues.lcCustomerId = customer.lcCustomerId;
    if (customer.channelId !== undefined) cValues.channelId = customer.channelId;
    if (primary.ovocCustomerType !== undefined) cValues.ovocCustomerType = primary.ovocCustomerType;
    if (customer.oc) Object.assign(cValues, customer.oc);
    if (variant !== 'never-applied' && i % 5 !== 4) {
      const changedCustomer = variant === 'customer-conflict' && i % 24 === 10;
      records.push(digestOf(shortName, undefined, changedCustomer ? { ...cValues, leadId: 'old' } : cValues));
    }
    const bValues = unreadable(branch.site, true);
    if (variant === 'unchanged' || variant === 'readable-diff' || variant === 'busy')
      records.push(digestOf(shortName, branchName.trim(), bValues));
    if (variant === 'unreadable-diff') {
      // Changed since applied, and (every other time) a field the record does not hold.
      const { dialPlanPrefixes, ...older } = bValues;
      const before = i % 24 === 15 ? older : { ...older, dialPlanPrefixes };
      records.push(
        digestOf(shortName, branchName.trim(), {
          ...before,
          dialPlanName: 'DP-old',
          phones: ['+1'],
          carrierPasswordDPI: 'old',
        }),
      );
    }
    if (variant === 'digest-only-record') {
      const { digest } = digestOf(
        shortName,
        branchName.trim(),
        i % 24 === 5 ? bValues : { ...bValues, enableCAC: 'x' },
      );
      records.push({ shortName, siteName: branchName.trim(), digest });
    }
    if (i % 6 === 4) records.push(digestOf(shortName, customer.siteName, unreadable(primary, false)));
  }

  // Services the sheet does not name at all: drift.
  services.push(service('Orphan1', guid(5, 1), [{ id: guid(6, 1), name: 'Orphan1' }], { licenseType: null }));
  services.push(service('Orphan2', guid(5, 2), [], { licenseType: 3 }));

  // A service with many sites: the site lookup of a large listing.
  const bigSites = Array.from({ length: 40 }, (_, k) => ({ id: guid(7, k), name: `Store ${k}` }));
  services.push(service('Big', guid(8, 0), [{ id: guid(8, 0), name: 'Big' }, ...bigSites]));
  for (const k of [3, 17, 39]) {
    const site: SiteSettings = {
      sbcId: 5,
      cacProfile: `${k} sessions`,
      phones: [`+32${k}`],
      customVariables: {},
    };
    siteDetails.push(
      readBack(guid(7, k), `Store ${k}`, { ...site, cacProfile: k === 17 ? 'other' : `${k} sessions` }),
    );
    sites.push({
      kind: 'site',
      origin: origin('SipConnections'),
      customerShortName: 'Big',
      siteName: `Store ${k}`,
      site,
    });
  }
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: 'Big',
    siteName: 'store 5',
    site: { customVariables: {} },
  });
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: ' Big',
    siteName: 'Store 40',
    site: { sbcId: 5, customVariables: {} },
  });

  // Keys twice, a customer's primary site repeated, customers nobody has, another letter case.
  sites.push({ ...sites[1]!, origin: origin('SipConnections') });
  customers.push({ ...customers[1]!, origin: origin('Customers') });
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: 'Cust001',
    siteName: 'Cust001',
    site: { customVariables: {} },
  });
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: 'Nobody',
    siteName: 'X',
    site: { customVariables: {} },
  });
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: 'cust000',
    siteName: 'Y',
    site: { customVariables: {} },
  });
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: 'Cust000',
    siteName: 'Extra',
    site: { sbcId: 9, phones: ['+2'], customVariables: {} },
  });
  sites.push({
    kind: 'site',
    origin: origin('SipConnections'),
    customerShortName: 'Cust010',
    siteName: 'Extra',
    site: { customVariables: {} },
  });
  // The same again where the customer is created in this run (not on the platform), and many
  // SIP connections of one customer (past the short lists kept per customer), each given twice.
  const siteOf = (
    customerShortName: string,
    siteName: string,
    site: SiteSettings = { customVariables: {} },
  ) => sites.push({ kind: 'site', origin: origin('SipConnections'), customerShortName, siteName, site });
  customers.push({ ...customers[0]!, origin: origin('Customers') });
  siteOf('Cust000', 'Extra');
  siteOf('Cust000', 'Cust000');
  for (let k = 0; k < 11; k++) siteOf('Cust012', `More ${k}`, { sbcId: 5, customVariables: {} });
  for (let k = 20; k < 31; k++)
    siteOf('Big', `Store ${k}`, { cacProfile: `${k} sessions`, customVariables: {} });
  siteOf('Cust012', 'More 9');
  siteOf('Big', 'Store 30');
  siteOf('Big', 'Store 3');

  return {
    rows: { customers, sites },
    observed: { services, sites: new Map(siteDetails.map((d) => [d.id, d])) },
    applied: appliedFrom(records),
  };
}

/** The same world planned three ways: as is, adopting, and after an interrupted run created some services. */
export function goldenCases(): GoldenCase[] {
  const world = goldenWorld();
  return [
    { name: 'plain', ...world, options: {} },
    { name: 'adopt', ...world, options: { adopt: true } },
    {
      name: 'created-unrecorded',
      ...world,
      options: { createdUnrecorded: new Set(['Cust004', 'Cust016', 'Cust001']) },
    },
  ];
}

/** The plan as stable text, each secret replaced by a short hash of it (no secret in clear in a file). */
export function goldenText(plans: Array<{ name: string; plan: Plan }>): string {
  const mask = (key: string, value: unknown): unknown =>
    typeof value === 'string' && key !== '' && isSecretKey(key) && value !== 'differs'
      ? `<secret ${sha256Hex(value).slice(0, 12)}>`
      : value;
  return `${JSON.stringify(plans, mask, 1)}\n`;
}
