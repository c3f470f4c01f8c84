/**
 * Domain types shared by every stage. Rows are what the sheet wants; they are produced by
 * src/model validation from raw cells and consumed by the planner. Absent fields mean
 * "the sheet does not manage this field", never "clear it".
 */

/** Where a row came from, as a person would find it in Excel: 1-based row numbers as shown. */
export interface Origin {
  file: string;
  sheet: string;
  row: number;
}

/** Where one value came from: its row plus the column header as written in the file. */
export interface CellOrigin extends Origin {
  column: string;
}

export const LICENSES = ['Essentials', 'OC Essentials'] as const;
export type License = (typeof LICENSES)[number];

export const OVOC_CUSTOMER_TYPES = ['IPGROUP_TYPE', 'TENANT_TYPE'] as const;
export type OvocCustomerType = (typeof OVOC_CUSTOMER_TYPES)[number];

/** SBC configuration types: the array index is the integer the API takes, the entry the name it answers. */
export const SBC_CONFIGURATION_TYPES = ['Unknown', 'SipTrunk', 'IPPBX', 'BYOC'] as const;
export type SbcConfigurationTypeName = (typeof SBC_CONFIGURATION_TYPES)[number];

/** LicenseType integers as the read endpoints answer them. */
export const LICENSE_TYPE_CODES: Record<License, number> = { Essentials: 2, 'OC Essentials': 3 };

export interface DialPlanPrefix {
  prefix: string;
  index: number;
  active: boolean;
}

export interface M365Scripts {
  flagConfigureM365Routing?: boolean;
  onboardingScript?: number;
  cleanupScript?: number;
}

/** The settings of one SIP connection (site location) as the sheet wants them. */
export interface SiteSettings {
  sbcId?: number;
  sbcOnboardingScript?: number;
  sbcCleanupScript?: number;
  ovocCustomerType?: OvocCustomerType;
  /** 0 Unknown, 1 SIP Trunk, 2 IPPBX, 3 BYOC. */
  sbcConfigurationType?: number;
  cacProfile?: string;
  proxySet?: string;
  onlinePstnGateway?: string;
  carrierUserName?: string;
  /** Secret. */
  carrierUserPassword?: string;
  carrierMainLine?: string;
  carrierHostName?: string;
  /**
   * Script variables keyed exactly as they are sent inside `scriptParameters`:
   * `CustomVar.Variable1`, `additionalProp1`, or a free name from a `Var:<name>` column.
   */
  customVariables: Record<string, string>;
  // Fields only Modify SIP Connection takes; none of them can be read back.
  enableCAC?: boolean;
  flagConfigureSbc?: boolean;
  flagCarrierRegistration?: boolean;
  /** Secret. */
  carrierPasswordDPI?: string;
  phones?: string[];
  dialPlanName?: string;
  dialPlanPrefixes?: DialPlanPrefix[];
  m365?: M365Scripts;
}

export interface OcServiceSettings {
  configurationName?: string;
  leadId?: string;
  invitationEmail?: string;
  licensedUsersCount?: number;
  teamsQosApplicationId?: string;
  /** Secret. */
  teamsQosApplicationPassword?: string;
  callingProfileTemplateId?: number;
  sbcOcUploadNumberScript?: number;
  sbcOcReleaseNumberScript?: number;
}

/** One row of the Customers sheet: a service and its primary SIP connection. */
export interface CustomerRow {
  kind: 'customer';
  origin: Origin;
  license: License;
  shortName: string;
  fullName?: string;
  msTenantId?: string;
  channelId?: string;
  lcCustomerId?: string;
  /** Name of the primary SIP connection; the platform names it after the short name unless told otherwise. */
  siteName: string;
  site: SiteSettings;
  /** Present for `OC Essentials` rows only. */
  oc?: OcServiceSettings;
}

/** One row of the SipConnections sheet: a further SIP connection of a customer. */
export interface SipConnectionRow {
  kind: 'site';
  origin: Origin;
  customerShortName: string;
  siteName: string;
  site: SiteSettings;
}

export type SheetRow = CustomerRow | SipConnectionRow;

/** What validation hands to the planner. */
export interface WorkbookRows {
  customers: CustomerRow[];
  sites: SipConnectionRow[];
}
