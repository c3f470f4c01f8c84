/**
 * The field catalogue: the single source of truth for each sheet's columns — header, API
 * aliases, kind, rules, template note and dropdown. Readers, validation and the template
 * generator all read it; nothing else lists columns.
 */
import { editDistance } from './edit-distance.js';
import { LICENSES, OVOC_CUSTOMER_TYPES } from './types.js';

export type SheetName = 'Customers' | 'SipConnections';
export const SHEET_NAMES: readonly SheetName[] = ['Customers', 'SipConnections'];

export type FieldKind =
  | 'text'
  | 'short-name'
  | 'site-name'
  | 'id-text'
  | 'integer'
  | 'positive-integer'
  | 'boolean'
  | 'license'
  | 'ovoc-customer-type'
  | 'sbc-configuration-type'
  | 'e164-list'
  | 'dial-plan'
  | 'email'
  | 'uuid'
  | 'carrier-user-name'
  | 'carrier-password';

/** Which license a Customers column applies to. */
export type FieldLicense = 'any' | 'OC Essentials';

export interface FieldSpec {
  /** Model path in the row, e.g. `site.carrierUserPassword`. */
  path: string;
  /** Friendly header, as the template writes it. */
  header: string;
  /** The API's field names as the vendor pages spell them (accepted as headers too). */
  apiNames: readonly string[];
  /** Other headers people write for this column (e.g. "Tenant Id", "Licence"). */
  aliases?: readonly string[];
  kind: FieldKind;
  secret?: boolean;
  /** Holds phone numbers or prefixes: a cell stored as a number has lost its leading + or 0. */
  phoneLike?: boolean;
  /** Customers sheet: the license the column applies to (an OC-only column on an Essentials row is an error). */
  license?: FieldLicense;
  /** Required on every row, or only on rows of one license. */
  required?: 'always' | 'Essentials';
  /** The header note in the template: what the field is and its rule. */
  note: string;
}

export const BOOLEAN_CHOICES = ['TRUE', 'FALSE'] as const;
export const LICENSE_CHOICES = LICENSES;
export const OVOC_CHOICES = OVOC_CUSTOMER_TYPES;
export const SBC_CONFIGURATION_CHOICES = ['Unknown', 'SIP Trunk', 'IPPBX', 'BYOC'] as const;

/** Dropdown values of a kind in the template, or none. */
export function dropdownFor(kind: FieldKind): readonly string[] | undefined {
  switch (kind) {
    case 'license':
      return LICENSE_CHOICES;
    case 'ovoc-customer-type':
      return OVOC_CHOICES;
    case 'sbc-configuration-type':
      return SBC_CONFIGURATION_CHOICES;
    case 'boolean':
      return BOOLEAN_CHOICES;
    default:
      return undefined;
  }
}

const SHORT_NAME_RULE =
  '3–15 characters; no dot, no spaces, none of \\ / : * ? " < > |; unique in the sheet (letter case ignored).';

// Site columns the two sheets share, in template order.
const siteCore = {
  sbcId: {
    path: 'site.sbcId',
    header: 'SBC Id',
    apiNames: ['sbcId', 'sbcid'],
    kind: 'integer',
    note: 'The SBC Id in the Live Platform SBC list (Get SBC Devices). Whole number.',
  },
  sbcOnboardingScript: {
    path: 'site.sbcOnboardingScript',
    header: 'SBC Onboarding Script',
    apiNames: ['sbcOnboardingScript'],
    aliases: ['Onboarding Script'],
    kind: 'integer',
    note: 'The SBC onboarding script number (Get Script Templates). Whole number.',
  },
  sbcCleanupScript: {
    path: 'site.sbcCleanupScript',
    header: 'SBC Cleanup Script',
    apiNames: ['sbcCleanupScript'],
    aliases: ['Cleanup Script'],
    kind: 'integer',
    note: 'The matching SBC cleanup script number (Get Script Templates). Whole number.',
  },
  ovocCustomerType: {
    path: 'site.ovocCustomerType',
    header: 'OVOC Customer Type',
    apiNames: ['ovocCustomerType'],
    kind: 'ovoc-customer-type',
    note: 'IPGROUP_TYPE (an IP Group per customer, needed for SIP registration) or TENANT_TYPE.',
  },
  sbcConfigurationType: {
    path: 'site.sbcConfigurationType',
    header: 'SBC Configuration Type',
    apiNames: ['SbcConfigurationType'],
    aliases: ['SBC Config Type', 'Configuration Type'],
    kind: 'sbc-configuration-type',
    note: '0 Unknown, 1 SIP Trunk, 2 IPPBX, 3 BYOC — the number or the name.',
  },
  cacProfile: {
    path: 'site.cacProfile',
    header: 'CAC Profile',
    apiNames: ['CacProfile', 'Cac Profile', 'CACProfile'],
    kind: 'text',
    note: 'Call Admission Control profile name, e.g. "10 sessions".',
  },
  proxySet: {
    path: 'site.proxySet',
    header: 'Proxy Set',
    apiNames: ['ProxySet'],
    kind: 'text',
    note: 'The SBC proxy set name, e.g. SIPTrunk.',
  },
  onlinePstnGateway: {
    path: 'site.onlinePstnGateway',
    header: 'Online PSTN Gateway',
    apiNames: ['OnlinePstnGateway'],
    kind: 'text',
    note: 'The Online PSTN gateway of the SBC attached to the calling profile.',
  },
  carrierUserName: {
    path: 'site.carrierUserName',
    header: 'Carrier User Name',
    apiNames: ['CarrierUserName'],
    kind: 'carrier-user-name',
    note: 'Digest authentication user name for carrier registration; up to 60 characters.',
  },
  carrierUserPassword: {
    path: 'site.carrierUserPassword',
    header: 'Carrier Password',
    apiNames: ['CarrierUserPassword'],
    kind: 'carrier-password',
    secret: true,
    note: 'Digest authentication password; up to 50 characters, no wide (non-ASCII) characters. Secret: masked in every report.',
  },
  carrierMainLine: {
    path: 'site.carrierMainLine',
    header: 'Carrier Main Line',
    apiNames: ['CarrierMainLine'],
    // How the Add SIP Connection page's parameter table spells it (not suggested for typos).
    aliases: ['CarrierMailLine'],
    kind: 'text',
    phoneLike: true,
    note: 'The AOR user name (REGISTER From/To ContactUser@HostName).',
  },
  carrierHostName: {
    path: 'site.carrierHostName',
    header: 'Carrier Host Name',
    apiNames: ['CarrierHostName'],
    kind: 'text',
    note: 'The AOR host name (REGISTER From/To ContactUser@HostName).',
  },
} satisfies Record<string, FieldSpec>;

/** Columns of the Customers sheet: one service and its primary SIP connection per row. */
export const CUSTOMER_FIELDS: readonly FieldSpec[] = [
  {
    path: 'license',
    header: 'License',
    apiNames: ['licenseType'],
    aliases: ['Licence', 'Licence Type', 'License Kind'],
    kind: 'license',
    required: 'always',
    note: 'Essentials (Hosted Essentials, 2) creates with POST /api/v2/customer; OC Essentials (Operator Connect Essentials, OC, 3) creates from a lead with POST /api/v3/customer.',
  },
  {
    path: 'shortName',
    header: 'Short Name',
    apiNames: ['shortName', 'CustomerShortName'],
    kind: 'short-name',
    required: 'always',
    note: `Customer short name (the key lpsync matches services by). ${SHORT_NAME_RULE}`,
  },
  {
    path: 'fullName',
    header: 'Full Name',
    apiNames: ['fullName', 'CustomerFullName', 'CustomerFulName'],
    kind: 'text',
    note: 'Customer full name, usually the company name (optional).',
  },
  {
    path: 'msTenantId',
    header: 'MS Tenant Id',
    apiNames: ['msTenantId'],
    aliases: ['Tenant Id', 'Microsoft Tenant Id', 'M365 Tenant Id', 'Azure Tenant Id'],
    kind: 'uuid',
    note: "The customer's Microsoft tenant id (a GUID), checked by the platform.",
  },
  {
    path: 'channelId',
    header: 'Channel Id',
    apiNames: ['channelId'],
    kind: 'id-text',
    note: 'The channel id to attach the service to (Get List of Channels), if any.',
  },
  {
    path: 'lcCustomerId',
    header: 'LC Customer Id',
    apiNames: ['lcCustomerId'],
    kind: 'id-text',
    note: 'Operation Center customer id to nest the service under (e.g. 1317027); empty creates a new customer entity.',
  },
  {
    path: 'siteName',
    header: 'Site Name',
    apiNames: ['siteLocationName', 'sbcSiteName', 'siteName'],
    aliases: ['Site', 'Site Location', 'SIP Connection', 'SIP Connection Name'],
    kind: 'site-name',
    note: 'Name of the primary SIP connection; defaults to the short name. For Essentials the platform always names it after the short name, so another value is an error.',
  },
  { ...siteCore.sbcId, required: 'Essentials', note: `${siteCore.sbcId.note} Required for Essentials.` },
  {
    ...siteCore.sbcOnboardingScript,
    required: 'Essentials',
    note: `${siteCore.sbcOnboardingScript.note} Required for Essentials.`,
  },
  {
    ...siteCore.sbcCleanupScript,
    required: 'Essentials',
    note: `${siteCore.sbcCleanupScript.note} Required for Essentials.`,
  },
  siteCore.ovocCustomerType,
  siteCore.sbcConfigurationType,
  siteCore.cacProfile,
  siteCore.proxySet,
  siteCore.onlinePstnGateway,
  siteCore.carrierUserName,
  siteCore.carrierUserPassword,
  siteCore.carrierMainLine,
  siteCore.carrierHostName,
  {
    path: 'oc.configurationName',
    header: 'Configuration Name',
    apiNames: ['configurationName', 'ConfigurationName'],
    kind: 'text',
    license: 'OC Essentials',
    note: 'OC Essentials only: the service configuration, e.g. OcEssential_IPGROUP_TYPE.',
  },
  {
    path: 'oc.leadId',
    header: 'Lead Id',
    apiNames: ['leadId'],
    kind: 'uuid',
    license: 'OC Essentials',
    note: 'OC Essentials only: the lead id (a GUID, Get All OC Leads).',
  },
  {
    path: 'oc.invitationEmail',
    header: 'Invitation Email',
    apiNames: ['invitationEmail'],
    kind: 'email',
    license: 'OC Essentials',
    note: "OC Essentials only: e-mail of the customer tenant's Global Admin or service account.",
  },
  {
    path: 'oc.licensedUsersCount',
    header: 'Licensed Users',
    apiNames: ['licensedUsersCount'],
    kind: 'positive-integer',
    license: 'OC Essentials',
    note: 'OC Essentials only: number of user licenses; a whole number above 0.',
  },
  {
    path: 'oc.teamsQosApplicationId',
    header: 'Teams QoS Application Id',
    apiNames: ['applicationID'],
    kind: 'uuid',
    license: 'OC Essentials',
    note: 'OC Essentials only: Application (client) id (a GUID) of the Teams notification app registration.',
  },
  {
    path: 'oc.teamsQosApplicationPassword',
    header: 'Teams QoS Application Secret',
    apiNames: ['applicationPassword'],
    aliases: ['Teams QoS Application Password', 'Teams Application Secret'],
    kind: 'text',
    secret: true,
    license: 'OC Essentials',
    note: 'OC Essentials only: client secret of that app registration. Secret: masked in every report.',
  },
  {
    path: 'oc.callingProfileTemplateId',
    header: 'Calling Profile Template Id',
    apiNames: ['CallingProfileConfigurationTemplateId'],
    kind: 'integer',
    license: 'OC Essentials',
    note: 'OC Essentials only: the calling profile template id (from the web interface). Whole number.',
  },
  {
    path: 'oc.sbcOcUploadNumberScript',
    header: 'SBC OC Upload Number Script',
    apiNames: ['sbcOcUploadNumberScript'],
    kind: 'integer',
    license: 'OC Essentials',
    note: 'OC Essentials only: script number for uploading numbers to Operator Connect. Whole number.',
  },
  {
    path: 'oc.sbcOcReleaseNumberScript',
    header: 'SBC OC Release Number Script',
    apiNames: ['sbcOcReleaseNumberScript'],
    kind: 'integer',
    license: 'OC Essentials',
    note: 'OC Essentials only: script number for releasing numbers from Operator Connect. Whole number.',
  },
];

/** Columns of the SipConnections sheet: one further SIP connection of a customer per row. */
export const SIP_CONNECTION_FIELDS: readonly FieldSpec[] = [
  {
    path: 'customerShortName',
    header: 'Customer Short Name',
    apiNames: ['CustomerShortName', 'shortName'],
    aliases: ['Customer'],
    kind: 'short-name',
    required: 'always',
    note: 'Short name of the customer this SIP connection belongs to (a row of the Customers sheet or an existing service).',
  },
  {
    path: 'siteName',
    header: 'Site Name',
    apiNames: ['siteLocationName', 'sbcSiteName', 'siteName'],
    aliases: ['Site', 'Site Location', 'SIP Connection', 'SIP Connection Name'],
    kind: 'site-name',
    required: 'always',
    note: 'Name of the SIP connection (site location); unique within its customer.',
  },
  siteCore.sbcId,
  siteCore.sbcOnboardingScript,
  siteCore.sbcCleanupScript,
  siteCore.ovocCustomerType,
  siteCore.sbcConfigurationType,
  siteCore.cacProfile,
  {
    path: 'site.enableCAC',
    header: 'Enable CAC',
    apiNames: ['enableCAC'],
    kind: 'boolean',
    note: 'Configure CAC profiles: TRUE/FALSE, yes/no, y/n, 1/0 (platform default TRUE).',
  },
  {
    path: 'site.flagConfigureSbc',
    header: 'Configure SBC',
    apiNames: ['flagConfigureSbc'],
    kind: 'boolean',
    note: 'Configure the SBC device (gateway, mode, carrier, registration, CAC): TRUE/FALSE, yes/no, y/n, 1/0.',
  },
  {
    path: 'site.flagCarrierRegistration',
    header: 'Carrier Registration',
    apiNames: ['flagCarrierRegistration'],
    kind: 'boolean',
    note: 'Enable carrier registration: TRUE/FALSE, yes/no, y/n, 1/0.',
  },
  siteCore.carrierUserName,
  siteCore.carrierUserPassword,
  {
    path: 'site.carrierPasswordDPI',
    header: 'Carrier Password DPI',
    apiNames: ['carrierPasswordDPI'],
    kind: 'text',
    secret: true,
    note: 'Carrier password DPI. Secret: masked in every report.',
  },
  siteCore.carrierMainLine,
  siteCore.carrierHostName,
  {
    path: 'site.phones',
    header: 'Phones',
    apiNames: ['phones'],
    aliases: ['Phone Numbers', 'Numbers'],
    kind: 'e164-list',
    note: 'Phone numbers separated by ; or , (or new lines); spaces, dashes, dots and brackets are removed; each must be E.164 (+ then 2–15 digits, not starting with 0).',
  },
  {
    path: 'site.dialPlanName',
    header: 'Dial Plan Name',
    apiNames: ['dialPlanName'],
    kind: 'text',
    note: 'Name of the dial plan holding the prefixes; required when Dial Plan Prefixes is filled.',
  },
  {
    path: 'site.dialPlanPrefixes',
    header: 'Dial Plan Prefixes',
    apiNames: ['dialPlanPrefixes'],
    kind: 'dial-plan',
    phoneLike: true,
    note: 'Entries separated by ; (or new lines), each prefix[:index[:active]], e.g. +3222;+3223:5:no. Index defaults to the position, active to TRUE.',
  },
  {
    path: 'site.m365.flagConfigureM365Routing',
    header: 'Configure M365 Routing',
    apiNames: ['flagConfigureM365Routing'],
    kind: 'boolean',
    note: 'Configure Microsoft 365 routing: TRUE/FALSE, yes/no, y/n, 1/0.',
  },
  {
    path: 'site.m365.onboardingScript',
    header: 'M365 Onboarding Script',
    apiNames: ['m365OnboardingScript'],
    kind: 'integer',
    note: 'The M365 onboarding script number. Whole number.',
  },
  {
    path: 'site.m365.cleanupScript',
    header: 'M365 Cleanup Script',
    apiNames: ['m365CleanupScript'],
    kind: 'integer',
    note: 'The M365 cleanup script number. Whole number.',
  },
  siteCore.onlinePstnGateway,
  siteCore.proxySet,
];

export function fieldsOf(sheet: SheetName): readonly FieldSpec[] {
  return sheet === 'Customers' ? CUSTOMER_FIELDS : SIP_CONNECTION_FIELDS;
}

// Invisible characters that pasted text carries (zero-width spaces and joiners, word joiner, BOM).
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/**
 * A header as meant, without the decoration people add: invisible characters, line breaks,
 * a required-field star or a trailing colon ("Short Name *", "SBC Id:").
 */
export function headerCore(header: string): string {
  return header
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[*\s]+/, '')
    .replace(/[\s*:]+$/, '');
}

/** Headers are compared without case, spaces, underscores or hyphens ("E-mail", "ms_tenant_id"). */
export function normaliseHeader(header: string): string {
  return headerCore(header)
    .replace(/[\s_-]/g, '')
    .toLowerCase();
}

/** What a header names: a catalogue field, a custom variable (and its key), or nothing known. */
export type HeaderMeaning =
  { kind: 'field'; field: FieldSpec } | { kind: 'custom'; key: string } | { kind: 'unknown' };

const CUSTOM_VAR = /^customvar\.variable(\d+)$/i;
const ADDITIONAL_PROP = /^additionalprop(\d+)$/i;
const VAR_PREFIX = /^var\s*:\s*(.+)$/i;

// A trailing note in brackets: "SBC Id (number)", "Phones (E.164, ; separated)", "Lead Id [OC only]".
const BRACKETED_NOTE = /\s*[([][^()[\]]*[)\]]$/;

/**
 * Resolves one header of a sheet. Custom variable keys are returned as they are sent. A header
 * that is unknown as written is tried once more without a trailing note in brackets.
 */
export function headerMeaning(sheet: SheetName, header: string): HeaderMeaning {
  const meaning = exactHeaderMeaning(sheet, header);
  if (meaning.kind !== 'unknown') return meaning;
  const core = headerCore(header);
  const bare = core.replace(BRACKETED_NOTE, '');
  return bare !== core && bare !== '' ? exactHeaderMeaning(sheet, bare) : meaning;
}

function exactHeaderMeaning(sheet: SheetName, header: string): HeaderMeaning {
  const trimmed = headerCore(header);
  const compact = trimmed.replace(/\s+/g, '');
  const customVar = CUSTOM_VAR.exec(compact);
  if (customVar) return { kind: 'custom', key: `CustomVar.Variable${customVar[1]}` };
  const additional = ADDITIONAL_PROP.exec(compact);
  if (additional) return { kind: 'custom', key: `additionalProp${additional[1]}` };
  const named = VAR_PREFIX.exec(trimmed);
  if (named?.[1]) return { kind: 'custom', key: named[1].trim() };
  const wanted = normaliseHeader(trimmed);
  for (const field of fieldsOf(sheet)) {
    if (normaliseHeader(field.header) === wanted) return { kind: 'field', field };
    if (field.apiNames.some((name) => normaliseHeader(name) === wanted)) return { kind: 'field', field };
    if (field.aliases?.some((name) => normaliseHeader(name) === wanted)) return { kind: 'field', field };
  }
  return { kind: 'unknown' };
}

/** The known header closest to an unknown one (for "did you mean"), or undefined when none is close. */
export function closestHeader(sheet: SheetName, header: string): string | undefined {
  const wanted = normaliseHeader(header);
  let best: { name: string; distance: number } | undefined;
  // Suggest in the style the person wrote: API names for a header without spaces.
  const apiStyle = !/\s/.test(header.trim());
  for (const field of fieldsOf(sheet)) {
    for (const name of apiStyle ? [...field.apiNames, field.header] : [field.header, ...field.apiNames]) {
      const distance = editDistance(wanted, normaliseHeader(name));
      if (!best || distance < best.distance) best = { name, distance };
    }
  }
  return best && best.distance <= Math.max(2, Math.floor(wanted.length / 4)) ? best.name : undefined;
}
