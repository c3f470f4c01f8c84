/**
 * What the Live Platform answered about the services and SIP connections an export or a before-image
 * shows, kept without secrets: the listing's entry of a service, and Get SIP Connection's answer of a
 * site with its secret script variables reduced to their names. Plain JSON (the state store keeps a
 * run's before-image in this form).
 */
import type { ServiceSummary, SiteDetails } from '../api/types.js';
import { isSecretKey } from '../model/redact.js';

/** A service as the listing (Get Services Brief Details) answered it. */
export interface ServiceFacts {
  shortName: string;
  fullName: string | null;
  /** 2 Essentials (Hosted Essentials), 3 OC Essentials. */
  licenseType: number | null;
  msTenantId: string | null;
  licensedUsersCount: number | null;
}

/** A SIP connection as Get SIP Connection answered it, every secret left out. */
export interface SiteFacts {
  siteName: string;
  sbcId: number | null;
  onboardingScript: number | null;
  cleanupScript: number | null;
  sbcConfigurationType: number | null;
  cacProfile: string | null;
  /** Where `ProxySet` comes back. */
  carrierId: string | null;
  onlinePstnGateway: string | null;
  carrierUserName: string | null;
  carrierMainLine: string | null;
  carrierHostName: string | null;
  flagConfigureSbc: boolean | null;
  /** Script variables as sent, but those whose name says they are secret. */
  customerVariables: Record<string, string>;
  /** The names of the secret script variables (the carrier password's aside): their values are never kept. */
  secretVariables: string[];
  m365: {
    flagConfigureM365Routing: boolean | null;
    onboardingScript: number | null;
    cleanupScript: number | null;
  };
}

/** A service's row of the Customers sheet: the service and its primary SIP connection (null: it has none). */
export interface TenantCustomer {
  service: ServiceFacts;
  site: SiteFacts | null;
}

/** A row of the SipConnections sheet: a further SIP connection of a service. */
export interface TenantSite {
  customerShortName: string;
  site: SiteFacts;
}

/** The rows of an export or a before-image, in sheet order. */
export interface TenantRows {
  customers: TenantCustomer[];
  sites: TenantSite[];
}

export function serviceFacts(service: ServiceSummary): ServiceFacts {
  return {
    shortName: service.shortName,
    fullName: service.fullName,
    licenseType: service.licenseType,
    msTenantId: service.msTenantId,
    licensedUsersCount: service.licensedUsersCount,
  };
}

/** The carrier password comes back among the script variables, in clear: it has its own (blank) column. */
const CARRIER_PASSWORD = 'carrieruserpassword';

export function siteFacts(details: SiteDetails): SiteFacts {
  const customerVariables: Record<string, string> = {};
  const secretVariables: string[] = [];
  for (const [key, value] of Object.entries(details.customerVariables)) {
    if (!isSecretKey(key)) customerVariables[key] = value;
    else if (key.toLowerCase() !== CARRIER_PASSWORD) secretVariables.push(key);
  }
  return {
    siteName: details.siteName,
    sbcId: details.sbcId,
    onboardingScript: details.onboardingScript,
    cleanupScript: details.cleanupScript,
    sbcConfigurationType: details.sbcConfigurationType,
    cacProfile: details.cacProfile,
    carrierId: details.carrierId,
    onlinePstnGateway: details.onlinePstnGateway,
    carrierUserName: details.carrierUserName,
    carrierMainLine: details.carrierMainLine,
    carrierHostName: details.carrierHostName,
    flagConfigureSbc: details.flagConfigureSbc,
    customerVariables,
    secretVariables,
    m365: {
      flagConfigureM365Routing: details.m365.flagConfigureM365Routing,
      onboardingScript: details.m365.onboardingScript,
      cleanupScript: details.m365.cleanupScript,
    },
  };
}

/**
 * The SIP connection a service's Customers row holds: the one named after its short name (what the
 * platform names an Essentials service's site), else the first listed. Undefined when it has none.
 */
export function primarySiteIndex(service: Pick<ServiceSummary, 'shortName' | 'sites'>): number | undefined {
  if (service.sites.length === 0) return undefined;
  const named = service.sites.findIndex((s) => s.name.trim() === service.shortName.trim());
  return named >= 0 ? named : 0;
}
