/**
 * A tenant as a Live Platform would hold it after years in the portal, for the export's tests and bench:
 * services of every licence kind (Essentials, Hosted Essentials under an Operation Center customer, OC
 * Essentials), three SIP connections each on average, custom script variables, secrets, the fields the
 * platform never returns, and odd names (spaces and accents in full names, non-ASCII site names, leading
 * zeros in short names and ids). Deterministic: index i always gives the same service. Loaded into the
 * simulator as its initial state (`startSimulator({ initialState })`), not through thousands of creates
 * (and not through a state file, which the simulator rewrites after every request: quadratic at this size).
 */
import {
  emptyState,
  newSite,
  type SimState,
  type StoredService,
  type StoredSite,
} from '../src/simulator/state.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const guid = (kind: number, n: number) => `${pad(kind, 8)}-0000-4000-8000-${pad(n, 12)}`;

const FULL_NAMES = [
  'Société Générale Télécom',
  'Müller & Söhne GmbH',
  '株式会社 東京 Telecom',
  'O’Brien  Partners',
];
const SITE_NAMES = ['Branch 0', 'Zweigstelle Köln ', 'São Paulo Sul ', 'Site-00'];

/** The short name of service i: a leading-zero name every seventh, an accented one every eleventh. */
export function tenantShortName(i: number): string {
  if (i % 7 === 3) return `00${pad(i, 6)}`;
  if (i % 11 === 5) return `Zürich${pad(i, 6)}`;
  return `Cust${pad(i, 6)}`;
}

/** The licence kind of service i: Essentials, Hosted Essentials (an Operation Center customer id) or OC Essentials. */
export function tenantLicense(i: number): 'Essentials' | 'Hosted Essentials' | 'OC Essentials' {
  return (['Essentials', 'Hosted Essentials', 'OC Essentials'] as const)[i % 3]!;
}

/** Site k of service i, every field set as a portal user would. */
function site(i: number, k: number, name: string): StoredSite {
  const s = newSite(guid(2, i * 10 + k), name);
  // Consecutive sites differ in every field that varies.
  const n = i * 3 + k;
  Object.assign(s, {
    ovocCustomerType: n % 2 ? 'IPGROUP_TYPE' : 'TENANT_TYPE',
    sbcId: 5 + (n % 4),
    onboardingScript: 10_007 + (n % 3),
    cleanupScript: 10_700 + (n % 3),
    sbcConfigurationType: n % 4,
    flagConfigureSbc: n % 5 !== 0,
    cacProfile: `${1 + (n % 20)} sessions`,
    carrierId: n % 2 ? 'SIPTrunk' : 'Proxy Set 2',
    carrierHostName: `sip${pad(n, 5)}.carrier.example`,
    carrierUserName: `00${pad(n, 6)}`,
    carrierMainLine: n % 3 ? `+3222${pad(n, 6)}` : `0032${pad(n, 6)}`,
    onlinePstnGateway: `gw${pad(n, 6)}.sandbox2.audiocodes.be`,
    enableCAC: n % 2 === 0,
    flagCarrierRegistration: n % 3 === 0,
    carrierPasswordDPI: `dpi-${pad(n, 6)}`,
    phones: [`+3222${pad(n, 6)}`],
    dialPlanName: `DP ${pad(n, 4)}`,
  });
  s.customerVariables = {
    CarrierUserPassword: `Pw!${pad(n, 6)}`,
    'CustomVar.Variable1': pad(n % 1000, 4),
    ...(n % 2 ? { additionalProp2: `Service Provider ${n % 5} SBC` } : {}),
    ...(n % 3 ? { Region: ['Nord', 'Süd', 'Île-de-France'][n % 3]! } : {}),
    ...(n % 4 === 0 ? { SipPassword: `sip-${pad(n, 5)}` } : {}),
  };
  s.m365 = {
    flagConfigureM365Routing: n % 2 === 1,
    onboardingScript: n % 3 ? 20_007 : null,
    cleanupScript: n % 3 ? 20_700 : null,
    customerVariables: {},
  };
  return s;
}

/** Service i with `sites` SIP connections (at least 1): its primary, named as the platform names it, first. */
export function tenantService(i: number, sites: number): StoredService {
  const shortName = tenantShortName(i);
  const license = tenantLicense(i);
  const oc = license === 'OC Essentials';
  // An OC service's primary site may carry another name (siteLocationName), listed first all the same.
  const primary = oc && i % 2 ? `${shortName}-main` : shortName;
  const names = [primary, ...Array.from({ length: sites - 1 }, (_, k) => `${SITE_NAMES[k % 4]!}${k}`.trim())];
  return {
    customerGuid: guid(1, i),
    shortName,
    fullName: i % 13 === 0 ? null : `${FULL_NAMES[i % 4]!} ${i}`,
    licenseType: oc ? 3 : 2,
    msTenantId: `${pad(i, 8)}-aaaa-4bbb-8ccc-${pad(i, 12)}`,
    channelId: license === 'Hosted Essentials' ? pad(i, 7) : null,
    lcCustomerId: license === 'Hosted Essentials' ? `0001${pad(i, 3)}` : null,
    licensedUsersCount: oc ? 10 + (i % 90) : null,
    configurationName: oc ? 'OcEssential_IPGROUP_TYPE' : null,
    leadId: oc ? guid(3, i) : null,
    invitationEmail: oc ? `admin${i}@example.com` : null,
    teamsQos: oc ? { applicationID: guid(4, i), applicationPassword: `qos-${pad(i, 6)}` } : null,
    callingProfileConfigurationTemplateId: oc ? 7 : null,
    sites: names.map((name, k) => site(i, k, name)),
  };
}

/** `services` services holding `sites` SIP connections in all (spread evenly, at least one each). */
export function tenantState(services: number, sites: number): SimState {
  const state = emptyState();
  for (let i = 0; i < services; i++) {
    const count = Math.floor(((i + 1) * sites) / services) - Math.floor((i * sites) / services);
    state.services.push(tenantService(i, Math.max(1, count)));
  }
  return state;
}
