import type { AddSiteBody, CreateCustomerBody, CreateOcServiceBody, ModifySiteBody } from '../api/types.js';
import { carries, type WriteEndpoint } from '../model/field-limits.js';
import type { CustomerRow, SiteSettings } from '../model/types.js';

/**
 * Rows → request bodies, spelt exactly as the vendor pages spell them. Absent fields are
 * omitted: an absent field means "the sheet does not manage this", never "clear it".
 */

/** Drops keys whose value is undefined, so a body never carries `null`/`undefined` for "not managed". */
function compact<T extends object>(input: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** `scriptParameters` as the Add/Create pages show it; custom variables keyed as sent. Undefined when empty. */
export function scriptParameters(site: SiteSettings): Record<string, string> | undefined {
  const params = compact({
    CacProfile: site.cacProfile,
    ProxySet: site.proxySet,
    OnlinePstnGateway: site.onlinePstnGateway,
    CarrierUserName: site.carrierUserName,
    CarrierUserPassword: site.carrierUserPassword,
    CarrierMainLine: site.carrierMainLine,
    CarrierHostName: site.carrierHostName,
  }) as Record<string, string>;
  for (const [key, value] of Object.entries(site.customVariables ?? {})) params[key] = value;
  return Object.keys(params).length ? params : undefined;
}

/** Fields the Create Essentials Customer body cannot hold: the three site-location ids it requires. */
export function missingForCreate(row: CustomerRow): string[] {
  if (row.license !== 'Essentials') return [];
  const missing: string[] = [];
  if (row.site.sbcId === undefined) missing.push('sbcId');
  if (row.site.sbcOnboardingScript === undefined) missing.push('sbcOnboardingScript');
  if (row.site.sbcCleanupScript === undefined) missing.push('sbcCleanupScript');
  return missing;
}

/** `POST /api/v2/customer` for an Essentials row (check `missingForCreate` first). */
export function createCustomerBody(row: CustomerRow): CreateCustomerBody {
  const { site } = row;
  return compact<CreateCustomerBody>({
    shortName: row.shortName.trim(),
    fullName: row.fullName,
    siteLocation: {
      sbcId: site.sbcId as number,
      sbcOnboardingScript: site.sbcOnboardingScript as number,
      sbcCleanupScript: site.sbcCleanupScript as number,
    },
    ovocCustomerType: site.ovocCustomerType,
    msTenantId: row.msTenantId,
    channelId: row.channelId,
    lcCustomerId: row.lcCustomerId,
    // The page: "SbcConfigurationType … This value is currently not supported." (see FIELD_LIMITS)
    SbcConfigurationType: carries('createCustomer', 'SbcConfigurationType')
      ? site.sbcConfigurationType
      : undefined,
    scriptParameters: scriptParameters(site),
  });
}

/** `POST /api/v3/customer` for an OC Essentials row. */
export function createOcServiceBody(row: CustomerRow): CreateOcServiceBody {
  const { site } = row;
  const oc = row.oc ?? {};
  const shortName = row.shortName.trim();
  const siteLocation = compact({
    siteLocationName: row.siteName,
    sbcId: site.sbcId,
    sbcOnboardingScript: site.sbcOnboardingScript,
    sbcCleanupScript: site.sbcCleanupScript,
    sbcOcUploadNumberScript: oc.sbcOcUploadNumberScript,
    sbcOcReleaseNumberScript: oc.sbcOcReleaseNumberScript,
  });
  // The v3 example sends no siteLocation: only send one when the row gives site fields or names the site itself.
  const givesSite = Object.keys(siteLocation).length > 1 || row.siteName !== shortName;
  const teamsQos = compact({
    applicationID: oc.teamsQosApplicationId,
    applicationPassword: oc.teamsQosApplicationPassword,
  });
  return compact<CreateOcServiceBody>({
    configurationName: oc.configurationName,
    customerShortName: shortName,
    customerFullName: row.fullName,
    siteLocation: givesSite ? siteLocation : undefined,
    ovocCustomerType: site.ovocCustomerType,
    channelId: row.channelId,
    lcCustomerId: row.lcCustomerId,
    msTenantId: row.msTenantId,
    leadId: oc.leadId,
    invitationEmail: oc.invitationEmail,
    licenseType: 3,
    licensedUsersCount: oc.licensedUsersCount,
    teamsQos: Object.keys(teamsQos).length ? teamsQos : undefined,
    scriptParameters: scriptParameters(site),
    CallingProfileConfigurationTemplateId: oc.callingProfileTemplateId,
  });
}

/** `POST /api/v2/customer/{customerGuid}/sitelocation/` (Add SIP Connection). */
export function addSiteBody(siteName: string, site: SiteSettings): AddSiteBody {
  return compact<AddSiteBody>({
    siteLocationName: siteName,
    OvocCustomerType: site.ovocCustomerType,
    sbcOnboardingScript: site.sbcOnboardingScript,
    sbcCleanupScript: site.sbcCleanupScript,
    sbcId: site.sbcId,
    // Not a parameter of the Add SIP Connection page (see FIELD_LIMITS): the follow-up Modify sets it.
    SbcConfigurationType: carries('addSite', 'SbcConfigurationType') ? site.sbcConfigurationType : undefined,
    scriptParameters: scriptParameters(site),
  });
}

/** The Modify-only part of a site: what neither a create nor Add SIP Connection can carry. */
function modifyOnlyFields(site: SiteSettings): Partial<ModifySiteBody> {
  const m365 = site.m365
    ? compact({
        flagConfigureM365Routing: site.m365.flagConfigureM365Routing,
        OnboardingScript: site.m365.onboardingScript,
        CleanupScript: site.m365.cleanupScript,
      })
    : {};
  return compact({
    enableCAC: site.enableCAC,
    flagConfigureSbc: site.flagConfigureSbc,
    flagCarrierRegistration: site.flagCarrierRegistration,
    carrierPasswordDPI: site.carrierPasswordDPI,
    phones: site.phones?.join(','),
    dialPlanName: site.dialPlanName,
    dialPlanPrefixes: site.dialPlanPrefixes?.map(({ prefix, index, active }) => ({ prefix, index, active })),
    m365Scripts: Object.keys(m365).length ? m365 : undefined,
  });
}

/**
 * `PATCH …/sitelocation/?sbcSiteGuid=…` (Modify SIP Connection): the page's example shape plus the
 * parameter table's fields the example does not show. Sends every field the row sets (a PATCH merges).
 * `includeOvocCustomerType: false` for a customer's primary site, whose type belongs to the customer.
 */
export function modifySiteBody(
  siteName: string,
  site: SiteSettings,
  options: { includeOvocCustomerType?: boolean } = {},
): ModifySiteBody {
  return compact<ModifySiteBody>({
    siteLocationName: siteName,
    sbcSiteName: siteName,
    ovocCustomerType: options.includeOvocCustomerType === false ? undefined : site.ovocCustomerType,
    sbcId: site.sbcId,
    sbcOnboardingScript: site.sbcOnboardingScript,
    sbcCleanupScript: site.sbcCleanupScript,
    SbcConfigurationType: site.sbcConfigurationType,
    scriptParameters: scriptParameters(site),
    ...modifyOnlyFields(site),
  });
}

/**
 * The Modify SIP Connection to send right after a create/add for what that first body could not carry
 * (the Modify-only fields, and every field FIELD_LIMITS says the first endpoint does not take);
 * undefined when it carried everything.
 */
export function followUpBody(
  siteName: string,
  site: SiteSettings,
  first: WriteEndpoint,
): ModifySiteBody | undefined {
  const rest: Partial<ModifySiteBody> = modifyOnlyFields(site);
  if (!carries(first, 'SbcConfigurationType') && site.sbcConfigurationType !== undefined)
    rest.SbcConfigurationType = site.sbcConfigurationType;
  if (!Object.keys(rest).length) return undefined;
  return { siteLocationName: siteName, sbcSiteName: siteName, ...rest };
}

/** Paths as the pages write them; `{customerGuid}` stays a placeholder until a create in this run answers. */
export const PATHS = {
  createCustomer: '/api/v2/customer',
  createOcService: '/api/v3/customer',
  addSite: (customerGuid: string | null) =>
    `/api/v2/customer/${customerGuid ?? '{customerGuid}'}/sitelocation/`,
  modifySite: (customerGuid: string, siteGuid: string) =>
    `/api/v2/customer/${customerGuid}/sitelocation/?sbcSiteGuid=${siteGuid}`,
} as const;
