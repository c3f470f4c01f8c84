/**
 * The Live Platform as lpsync sees it: request bodies spelt as the vendor pages spell them,
 * and responses normalised (read case-insensitively) into one shape per endpoint.
 * The HTTP client in src/api implements `LivePlatform`; the simulator serves the same API.
 */

import type { ConcurrencyBudget } from './concurrency.js';

// ---------------------------------------------------------------- request bodies
// An optional field may hold undefined: JSON.stringify leaves it out of what is sent.

/** `POST /api/v2/customer` (Create Essentials Customer / Create Hosted Essentials Service). */
export interface CreateCustomerBody {
  shortName: string;
  fullName?: string | undefined;
  siteLocation: { sbcId: number; sbcOnboardingScript: number; sbcCleanupScript: number };
  ovocCustomerType?: string | undefined;
  msTenantId?: string | undefined;
  channelId?: string | undefined;
  lcCustomerId?: string | undefined;
  SbcConfigurationType?: number | undefined;
  /** `CacProfile`, `ProxySet`, `OnlinePstnGateway`, `Carrier*`, `CustomVar.Variable<N>`, `additionalProp<N>`, … */
  scriptParameters?: Record<string, string> | undefined;
}

/** `POST /api/v3/customer` (Create OC Essentials Service from Lead); asynchronous. */
export interface CreateOcServiceBody {
  configurationName?: string | undefined;
  customerShortName: string;
  customerFullName?: string | undefined;
  siteLocation?:
    | {
        siteLocationName?: string | undefined;
        sbcId?: number | undefined;
        sbcOnboardingScript?: number | undefined;
        sbcCleanupScript?: number | undefined;
        sbcOcUploadNumberScript?: number | undefined;
        sbcOcReleaseNumberScript?: number | undefined;
      }
    | undefined;
  ovocCustomerType?: string | undefined;
  channelId?: string | undefined;
  lcCustomerId?: string | undefined;
  msTenantId?: string | undefined;
  leadId?: string | undefined;
  invitationEmail?: string | undefined;
  licenseType: 3;
  licensedUsersCount?: number | undefined;
  teamsQos?: { applicationID?: string | undefined; applicationPassword?: string | undefined } | undefined;
  scriptParameters?: Record<string, string> | undefined;
  CallingProfileConfigurationTemplateId?: number | undefined;
}

/** `POST /api/v2/customer/{customerGuid}/sitelocation/` (Add SIP Connection). */
export interface AddSiteBody {
  siteLocationName: string;
  OvocCustomerType?: string | undefined;
  sbcOnboardingScript?: number | undefined;
  sbcCleanupScript?: number | undefined;
  sbcId?: number | undefined;
  SbcConfigurationType?: number | undefined;
  scriptParameters?: Record<string, string> | undefined;
}

/**
 * `PATCH /api/v2/customer/{customerGuid}/sitelocation/?sbcSiteGuid=…` (Modify SIP Connection).
 * The page's example body (site fields and `scriptParameters`) plus the parameter table's
 * fields that the example does not show (flags, phones, dial plan, M365 scripts).
 */
export interface ModifySiteBody {
  siteLocationName: string;
  sbcSiteName: string;
  ovocCustomerType?: string | undefined;
  sbcId?: number | undefined;
  sbcOnboardingScript?: number | undefined;
  sbcCleanupScript?: number | undefined;
  SbcConfigurationType?: number | undefined;
  scriptParameters?: Record<string, string> | undefined;
  enableCAC?: boolean | undefined;
  flagConfigureSbc?: boolean | undefined;
  flagCarrierRegistration?: boolean | undefined;
  carrierPasswordDPI?: string | undefined;
  /** Comma-separated E.164 numbers (the page types it as a string). */
  phones?: string | undefined;
  dialPlanName?: string | undefined;
  dialPlanPrefixes?: Array<{ prefix: string; index: number; active: boolean }> | undefined;
  m365Scripts?:
    | {
        flagConfigureM365Routing?: boolean | undefined;
        OnboardingScript?: number | undefined;
        CleanupScript?: number | undefined;
      }
    | undefined;
}

// ---------------------------------------------------------------- normalised responses

export interface ExecutionMessage {
  level: string;
  message: string;
}

export interface CreateCustomerResult {
  customerGuid: string;
  shortName: string;
  siteLocationIds: string[];
  deploymentState: string | null;
  errorDetails: string | null;
  progressDetails: string | null;
}

export interface SiteWriteResult {
  customerGuid: string;
  siteGuid: string;
  executionMessages: ExecutionMessage[];
}

export interface TaskStatus {
  id: string;
  /** `InProgress` … then `CompletedSuccess` or any other (failed) terminal status. */
  status: string;
  details: string[];
  executionMessages: ExecutionMessage[];
  outputData: Record<string, unknown>;
  /** `outputData.UmpCustomerGuid` when the platform reports it. */
  customerGuid: string | null;
}

export interface SiteSummary {
  id: string;
  name: string;
  sbcId: number | null;
  /** The list answers a name such as `Deployed`. */
  sbcDeploymentState: string | number | null;
  /** Normalised to the integer (0–3); null when absent or unrecognised. */
  sbcConfigurationType: number | null;
}

export interface ServiceSummary {
  customerGuid: string;
  shortName: string;
  fullName: string | null;
  licenseType: number | null;
  msTenantId: string | null;
  licensedUsersCount: number | null;
  /** Empty unless listed with `allDetails: true`. */
  sites: SiteSummary[];
}

/** Get SIP Connection, flattened. Fields the platform did not return are null. */
export interface SiteDetails {
  id: string;
  siteName: string;
  tenantId: string | null;
  /** An integer here (e.g. 3), unlike the list's name. */
  sbcDeploymentState: number | string | null;
  m365DeploymentState: number | string | null;
  onlinePstnGateway: string | null;
  /** Normalised to the integer (0–3). */
  sbcConfigurationType: number | null;
  cacProfile: string | null;
  carrierHostName: string | null;
  /** Where `ProxySet` comes back. */
  carrierId: string | null;
  carrierMainLine: string | null;
  carrierUserName: string | null;
  flagConfigureSbc: boolean | null;
  sbcId: number | null;
  onboardingScript: number | null;
  cleanupScript: number | null;
  /** Everything else sent in `scriptParameters`, as sent: custom variables, `CarrierUserPassword` (secret!), unknown keys. */
  customerVariables: Record<string, string>;
  m365: {
    flagConfigureM365Routing: boolean | null;
    onboardingScript: number | null;
    cleanupScript: number | null;
    customerVariables: Record<string, string>;
  };
  /** Non-empty while the platform is still working on the site. */
  pendingTasks: unknown[];
}

// ---------------------------------------------------------------- results of writes

/**
 * A write either answered, failed for certain (the platform refused it, or it was never
 * sent), or has an unknown outcome (sent, then the connection or the timer gave out):
 * the caller must read back before sending it again.
 */
export type WriteResult<T> =
  | { kind: 'ok'; value: T; attempts: number }
  | { kind: 'failed'; error: Error; attempts: number }
  | { kind: 'unknown-outcome'; error: Error; attempts: number };

export interface WaitForTaskOptions {
  /** Give up (and throw) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Everything lpsync asks of a Live Platform. */
export interface LivePlatform {
  createCustomer(body: CreateCustomerBody): Promise<WriteResult<CreateCustomerResult>>;
  createOcService(body: CreateOcServiceBody): Promise<WriteResult<{ jobId: string }>>;
  getTask(taskId: string): Promise<TaskStatus>;
  /** Polls until a terminal status and returns it; success is `status === 'CompletedSuccess'`. */
  waitForTask(taskId: string, options?: WaitForTaskOptions): Promise<TaskStatus>;
  addSite(customerGuid: string, body: AddSiteBody): Promise<WriteResult<SiteWriteResult>>;
  modifySite(
    customerGuid: string,
    siteGuid: string,
    body: ModifySiteBody,
  ): Promise<WriteResult<SiteWriteResult>>;
  listServices(options?: { allDetails?: boolean }): Promise<ServiceSummary[]>;
  /** null when the platform answers 404. */
  getService(customerGuid: string): Promise<ServiceSummary | null>;
  /** Get SIP Connection; null when the platform answers 404. */
  getSite(siteId: string): Promise<SiteDetails | null>;
  /** The budget every request passes (the HTTP client's): apply's write slots follow its limit. */
  readonly concurrency?: ConcurrencyBudget;
}

export const TASK_SUCCESS = 'CompletedSuccess';
