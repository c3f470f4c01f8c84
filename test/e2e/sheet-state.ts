import type { CustomerRow, SiteSettings, WorkbookRows } from '../../src/model/types.js';
import { LICENSE_TYPE_CODES } from '../../src/model/types.js';
import type { SimulatorSnapshot } from '../../src/simulator/index.js';

type StoredService = SimulatorSnapshot['services'][number];
type StoredSite = StoredService['sites'][number];

/**
 * Every field the sheet sets, compared with what the simulator stored. Returns the differences
 * by place and field name only (never values: some are secrets). Empty = the platform matches.
 */
export function differences(rows: WorkbookRows, snapshot: SimulatorSnapshot): string[] {
  const out: string[] = [];
  const services = new Map(snapshot.services.map((s) => [s.shortName, s]));
  for (const row of rows.customers) {
    const service = services.get(row.shortName);
    if (!service) {
      out.push(`${row.shortName}: service missing`);
      continue;
    }
    compareService(row, service, out);
    const primary = service.sites.find((s) => s.name === row.siteName);
    if (!primary) out.push(`${row.shortName}/${row.siteName}: primary site missing`);
    else compareSite(`${row.shortName}/${row.siteName}`, row.site, primary, out);
  }
  for (const row of rows.sites) {
    const found = services.get(row.customerShortName)?.sites.find((s) => s.name === row.siteName);
    if (!found) out.push(`${row.customerShortName}/${row.siteName}: site missing`);
    else compareSite(`${row.customerShortName}/${row.siteName}`, row.site, found, out);
  }
  return out;
}

function check(out: string[], where: string, field: string, want: unknown, got: unknown): void {
  if (want === undefined) return;
  if (JSON.stringify(want) !== JSON.stringify(got)) out.push(`${where}: ${field} differs`);
}

function compareService(row: CustomerRow, s: StoredService, out: string[]): void {
  const w = row.shortName;
  check(out, w, 'license', LICENSE_TYPE_CODES[row.license], s.licenseType);
  check(out, w, 'fullName', row.fullName, s.fullName);
  check(out, w, 'msTenantId', row.msTenantId, s.msTenantId);
  check(out, w, 'channelId', row.channelId, s.channelId);
  check(out, w, 'lcCustomerId', row.lcCustomerId, s.lcCustomerId);
  if (!row.oc) return;
  check(out, w, 'configurationName', row.oc.configurationName, s.configurationName);
  check(out, w, 'leadId', row.oc.leadId, s.leadId);
  check(out, w, 'invitationEmail', row.oc.invitationEmail, s.invitationEmail);
  check(out, w, 'licensedUsersCount', row.oc.licensedUsersCount, s.licensedUsersCount);
  check(out, w, 'teamsQosApplicationId', row.oc.teamsQosApplicationId, s.teamsQos?.applicationID);
  check(
    out,
    w,
    'teamsQosApplicationPassword',
    row.oc.teamsQosApplicationPassword,
    s.teamsQos?.applicationPassword,
  );
  check(
    out,
    w,
    'callingProfileTemplateId',
    row.oc.callingProfileTemplateId,
    s.callingProfileConfigurationTemplateId,
  );
}

function compareSite(w: string, d: SiteSettings, s: StoredSite, out: string[]): void {
  check(out, w, 'sbcId', d.sbcId, s.sbcId);
  check(out, w, 'sbcOnboardingScript', d.sbcOnboardingScript, s.onboardingScript);
  check(out, w, 'sbcCleanupScript', d.sbcCleanupScript, s.cleanupScript);
  check(out, w, 'ovocCustomerType', d.ovocCustomerType, s.ovocCustomerType);
  check(out, w, 'sbcConfigurationType', d.sbcConfigurationType, s.sbcConfigurationType);
  check(out, w, 'cacProfile', d.cacProfile, s.cacProfile);
  check(out, w, 'proxySet', d.proxySet, s.carrierId);
  check(out, w, 'onlinePstnGateway', d.onlinePstnGateway, s.onlinePstnGateway);
  check(out, w, 'carrierUserName', d.carrierUserName, s.carrierUserName);
  check(out, w, 'carrierUserPassword', d.carrierUserPassword, s.customerVariables['CarrierUserPassword']);
  check(out, w, 'carrierMainLine', d.carrierMainLine, s.carrierMainLine);
  check(out, w, 'carrierHostName', d.carrierHostName, s.carrierHostName);
  for (const [key, value] of Object.entries(d.customVariables))
    check(out, w, `customVariables.${key}`, value, s.customerVariables[key]);
  check(out, w, 'enableCAC', d.enableCAC, s.enableCAC);
  check(out, w, 'flagConfigureSbc', d.flagConfigureSbc, s.flagConfigureSbc);
  check(out, w, 'flagCarrierRegistration', d.flagCarrierRegistration, s.flagCarrierRegistration);
  check(out, w, 'carrierPasswordDPI', d.carrierPasswordDPI, s.carrierPasswordDPI);
  check(out, w, 'phones', d.phones, s.phones);
  check(out, w, 'dialPlanName', d.dialPlanName, s.dialPlanName);
  check(out, w, 'dialPlanPrefixes', d.dialPlanPrefixes, s.dialPlanPrefixes);
  check(
    out,
    w,
    'm365.flagConfigureM365Routing',
    d.m365?.flagConfigureM365Routing,
    s.m365.flagConfigureM365Routing,
  );
  check(out, w, 'm365.onboardingScript', d.m365?.onboardingScript, s.m365.onboardingScript);
  check(out, w, 'm365.cleanupScript', d.m365?.cleanupScript, s.m365.cleanupScript);
}
