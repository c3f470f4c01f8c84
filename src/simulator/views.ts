import { SBC_CONFIGURATION_TYPES } from '../model/types.js';
import type { StoredService, StoredSite, StoredTask } from './state.js';

/** The response shapes of the read endpoints, built from stored state. */

function siteBrief(site: StoredSite) {
  return {
    id: site.id,
    name: site.name,
    sbcId: site.sbcId,
    // The list answers the name, Get SIP Connection the integer (the vendor's notes on the read endpoints).
    sbcDeploymentState: site.sbcDeploymentState === 3 ? 'Deployed' : 'Unknown',
    sbcConfigurationType: SBC_CONFIGURATION_TYPES[site.sbcConfigurationType] ?? 'Unknown',
  };
}

/** Get Services Brief Details (V3) entry; `SiteLocation` only with allDetails=true. */
export function serviceView(service: StoredService, allDetails: boolean) {
  return {
    UmpCustomerGuid: service.customerGuid,
    CustomerShortName: service.shortName,
    CustomerFullName: service.fullName,
    LicenseType: service.licenseType,
    LicensedUsersCount: service.licensedUsersCount ?? 0,
    MsTenantId: service.msTenantId,
    ActiveUserCount: 0,
    ...(allDetails ? { SiteLocation: service.sites.map(siteBrief) } : {}),
  };
}

/** Get SIP Connection: written fields mapped back as the vendor's notes on the read endpoints describe. */
export function siteView(service: StoredService, site: StoredSite, now: number) {
  const pending = site.pendingTask && site.pendingUntil !== null && now < site.pendingUntil;
  return {
    id: site.id,
    tenantId: service.msTenantId,
    m365DeploymentState: site.m365DeploymentState,
    sbcDeploymentState: site.sbcDeploymentState,
    siteName: site.name,
    onlinePstnGateway: site.onlinePstnGateway,
    sbcInfo: {
      sbcConfigurationType: site.sbcConfigurationType,
      cacProfile: site.cacProfile,
      carrierHostName: site.carrierHostName,
      carrierId: site.carrierId,
      carrierMainLine: site.carrierMainLine,
      carrierUserName: site.carrierUserName,
      flagConfigureSbc: site.flagConfigureSbc,
      sbcId: site.sbcId,
      sbcScripts: {
        onboardingScript: site.onboardingScript,
        cleanupScript: site.cleanupScript,
        customerVariables: { ...site.customerVariables },
      },
    },
    m365Info: {
      m365Scripts: {
        flagConfigureM365Routing: site.m365.flagConfigureM365Routing,
        onboardingScript: site.m365.onboardingScript,
        cleanupScript: site.m365.cleanupScript,
        customerVariables: { ...site.m365.customerVariables },
      },
    },
    pendingTasks: pending && site.pendingTask ? [{ ...site.pendingTask }] : [],
  };
}

/** Get Task. `outputData` is `{}` until the task has succeeded. */
export function taskView(task: StoredTask) {
  const shortName = task.service.shortName;
  const siteName = task.service.sites[0]?.name ?? shortName;
  switch (task.status) {
    case 'InProgress':
      return {
        id: task.id,
        status: task.status,
        details: ['InProgress'],
        executionMessages: [{ level: 'Information', message: `Creating service ${shortName}.` }],
        outputData: {},
      };
    case 'CompletedSuccess':
      return {
        id: task.id,
        status: task.status,
        details: ['Converted'],
        executionMessages: [
          { level: 'Information', message: `SBC sbc-onboarding done for site ${siteName}.` },
          { level: 'Information', message: 'Site created in Ovoc' },
        ],
        outputData: { UmpCustomerGuid: task.customerGuid },
      };
    case 'CompletedFailure':
      return {
        id: task.id,
        status: task.status,
        details: ['Failed'],
        executionMessages: [{ level: 'Error', message: task.failure ?? 'The service could not be created.' }],
        outputData: {},
      };
  }
}
