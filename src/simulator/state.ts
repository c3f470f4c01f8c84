import type { DialPlanPrefix } from '../model/types.js';

/** What the simulated Live Platform holds: plain JSON data, persisted as is. */

export interface PendingTask {
  id: string;
  type: 'AddSite' | 'ModifySite';
  status: 'InProgress';
}

/** One SIP connection (site location) with every field a write can set. */
export interface StoredSite {
  id: string;
  name: string;
  ovocCustomerType: string | null;
  sbcId: number | null;
  onboardingScript: number | null;
  cleanupScript: number | null;
  ocUploadNumberScript: number | null;
  ocReleaseNumberScript: number | null;
  sbcConfigurationType: number;
  flagConfigureSbc: boolean;
  cacProfile: string | null;
  /** Where `ProxySet` lands. */
  carrierId: string | null;
  carrierHostName: string | null;
  carrierUserName: string | null;
  carrierMainLine: string | null;
  onlinePstnGateway: string | null;
  /** Every other script parameter as sent (carrier password, custom variables, unknown keys). */
  customerVariables: Record<string, string>;
  m365: {
    flagConfigureM365Routing: boolean;
    onboardingScript: number | null;
    cleanupScript: number | null;
    customerVariables: Record<string, string>;
  };
  // Stored and visible in /_sim/state, but not in Get SIP Connection (the vendor's response lacks them).
  enableCAC: boolean;
  flagCarrierRegistration: boolean;
  carrierPasswordDPI: string | null;
  phones: string[];
  dialPlanName: string | null;
  dialPlanPrefixes: DialPlanPrefix[];
  sbcDeploymentState: number;
  m365DeploymentState: number | null;
  /** Epoch ms until which Get SIP Connection reports `pendingTask`. */
  pendingUntil: number | null;
  pendingTask: PendingTask | null;
}

export interface StoredService {
  customerGuid: string;
  shortName: string;
  fullName: string | null;
  /** 2 = Hosted Essentials (v2 create), 3 = OC Essentials (v3 create). */
  licenseType: 2 | 3;
  msTenantId: string | null;
  channelId: string | null;
  lcCustomerId: string | null;
  licensedUsersCount: number | null;
  configurationName: string | null;
  leadId: string | null;
  invitationEmail: string | null;
  teamsQos: { applicationID: string | null; applicationPassword: string | null } | null;
  callingProfileConfigurationTemplateId: number | null;
  sites: StoredSite[];
}

/** The service a v3 task will create when it is due, already validated. */
export type PendingService = Omit<StoredService, 'customerGuid'>;

export interface StoredTask {
  id: string;
  status: 'InProgress' | 'CompletedSuccess' | 'CompletedFailure';
  /** Epoch ms at which the task completes; kept so a restarted simulator still completes it. */
  dueAt: number;
  service: PendingService;
  customerGuid: string | null;
  failure: string | null;
}

export interface Counters {
  requests: Record<string, number>;
  creates: Record<string, number>;
  createAttempts: Record<string, number>;
  siteAdds: Record<string, number>;
  siteModifies: Record<string, number>;
  tokensIssued: number;
  faults: FaultCounters;
}

export interface FaultCounters {
  '500': number;
  '502': number;
  '503': number;
  '504': number;
  '429': number;
  drop: number;
  /** 429s answered because the platform was full (`capacity`). */
  capacity: number;
}

export function emptyFaultCounters(): FaultCounters {
  return { '500': 0, '502': 0, '503': 0, '504': 0, '429': 0, drop: 0, capacity: 0 };
}

export interface SimState {
  services: StoredService[];
  tasks: StoredTask[];
  counters: Counters;
}

export function emptyCounters(): Counters {
  return {
    requests: {},
    creates: {},
    createAttempts: {},
    siteAdds: {},
    siteModifies: {},
    tokensIssued: 0,
    faults: emptyFaultCounters(),
  };
}

export function emptyState(): SimState {
  return { services: [], tasks: [], counters: emptyCounters() };
}

export function increment(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** The service whose short name matches, case-insensitively (the platform treats them as one). */
export function findServiceByShortName(state: SimState, shortName: string): StoredService | undefined {
  const wanted = shortName.toLowerCase();
  return state.services.find((s) => s.shortName.toLowerCase() === wanted);
}

export function findService(state: SimState, customerGuid: string): StoredService | undefined {
  const wanted = customerGuid.toLowerCase();
  return state.services.find((s) => s.customerGuid.toLowerCase() === wanted);
}

export function findSite(
  state: SimState,
  siteId: string,
): { service: StoredService; site: StoredSite } | undefined {
  const wanted = siteId.toLowerCase();
  for (const service of state.services) {
    const site = service.sites.find((s) => s.id.toLowerCase() === wanted);
    if (site) return { service, site };
  }
  return undefined;
}

/** A site with the platform's defaults for everything not written. */
export function newSite(id: string, name: string): StoredSite {
  return {
    id,
    name,
    ovocCustomerType: null,
    sbcId: null,
    onboardingScript: null,
    cleanupScript: null,
    ocUploadNumberScript: null,
    ocReleaseNumberScript: null,
    sbcConfigurationType: 1,
    flagConfigureSbc: true,
    cacProfile: null,
    carrierId: null,
    carrierHostName: null,
    carrierUserName: null,
    carrierMainLine: null,
    onlinePstnGateway: null,
    customerVariables: {},
    m365: {
      flagConfigureM365Routing: true,
      onboardingScript: null,
      cleanupScript: null,
      customerVariables: {},
    },
    enableCAC: true,
    flagCarrierRegistration: true,
    carrierPasswordDPI: null,
    phones: [],
    dialPlanName: null,
    dialPlanPrefixes: [],
    sbcDeploymentState: 3,
    m365DeploymentState: null,
    pendingUntil: null,
    pendingTask: null,
  };
}
