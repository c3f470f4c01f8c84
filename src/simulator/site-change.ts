import { fieldKey } from './body.js';
import type { SiteChange } from './rules.js';
import type { StoredSite } from './state.js';

/** Merges a validated change into a stored site: what was not sent stays as it was. */
export function applySiteChange(site: StoredSite, change: SiteChange): void {
  if (change.name !== undefined) site.name = change.name;
  if (change.ovocCustomerType !== undefined) site.ovocCustomerType = change.ovocCustomerType;
  if (change.sbcId !== undefined) site.sbcId = change.sbcId;
  if (change.onboardingScript !== undefined) site.onboardingScript = change.onboardingScript;
  if (change.cleanupScript !== undefined) site.cleanupScript = change.cleanupScript;
  if (change.ocUploadNumberScript !== undefined) site.ocUploadNumberScript = change.ocUploadNumberScript;
  if (change.ocReleaseNumberScript !== undefined) site.ocReleaseNumberScript = change.ocReleaseNumberScript;
  if (change.sbcConfigurationType !== undefined) site.sbcConfigurationType = change.sbcConfigurationType;
  if (change.flagConfigureSbc !== undefined) site.flagConfigureSbc = change.flagConfigureSbc;
  if (change.enableCAC !== undefined) site.enableCAC = change.enableCAC;
  if (change.flagCarrierRegistration !== undefined)
    site.flagCarrierRegistration = change.flagCarrierRegistration;
  if (change.carrierPasswordDPI !== undefined) site.carrierPasswordDPI = change.carrierPasswordDPI;
  if (change.phones !== undefined) site.phones = change.phones;
  if (change.dialPlanName !== undefined) site.dialPlanName = change.dialPlanName;
  if (change.dialPlanPrefixes !== undefined) site.dialPlanPrefixes = change.dialPlanPrefixes;
  for (const [field, value] of Object.entries(change.mapped ?? {})) {
    site[field as keyof NonNullable<SiteChange['mapped']>] = value ?? null;
  }
  if (change.customerVariables) mergeVariables(site.customerVariables, change.customerVariables);
  if (change.m365) {
    const m = change.m365;
    if (m.flagConfigureM365Routing !== undefined)
      site.m365.flagConfigureM365Routing = m.flagConfigureM365Routing;
    if (m.onboardingScript !== undefined) site.m365.onboardingScript = m.onboardingScript;
    if (m.cleanupScript !== undefined) site.m365.cleanupScript = m.cleanupScript;
    if (m.customerVariables) mergeVariables(site.m365.customerVariables, m.customerVariables);
  }
}

// A variable sent as `carrieruserpassword` replaces a stored `CarrierUserPassword`: one variable, the last spelling.
function mergeVariables(target: Record<string, string>, change: Record<string, string | null>): void {
  for (const [key, value] of Object.entries(change)) {
    for (const existing of Object.keys(target))
      if (fieldKey(existing) === fieldKey(key)) delete target[existing];
    if (value !== null) target[key] = value;
  }
}
