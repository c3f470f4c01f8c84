import type {
  AddSiteBody,
  CreateCustomerBody,
  CreateOcServiceBody,
  ModifySiteBody,
  ServiceSummary,
  SiteDetails,
} from '../api/types.js';
import type { Origin } from '../model/types.js';

/** A closed set, as in Terraform: apply branches on this alone. */
export const ACTION_KINDS = [
  'create-customer',
  'create-oc-service',
  'add-site',
  'modify-site',
  'unchanged',
  'busy',
  'conflict',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** The request an action will send. `addSite` may not know its customer GUID until a create in the same run finishes. */
export type ActionRequest =
  | { endpoint: 'createCustomer'; method: 'POST'; path: string; body: CreateCustomerBody }
  | { endpoint: 'createOcService'; method: 'POST'; path: string; body: CreateOcServiceBody }
  | { endpoint: 'addSite'; method: 'POST'; path: string; customerGuid: string | null; body: AddSiteBody }
  | {
      endpoint: 'modifySite';
      method: 'PATCH';
      path: string;
      customerGuid: string;
      siteGuid: string;
      body: ModifySiteBody;
    };

/** Why an action was chosen: for people only, never read by apply. */
export interface Reason {
  /** The sheet field (camelCase model name) the reason is about, when there is one. */
  field?: string;
  /** Read-back (or last applied) value, display form; secrets as "differs". */
  before?: string;
  /** Sheet value, display form; secrets as "differs". */
  after?: string;
  message: string;
}

/** What to remember in the state store when an action succeeds: digests of fields that cannot be read back. */
export interface AppliedDigest {
  shortName: string;
  /** Absent for the customer-level record. */
  siteName?: string;
  digest: string;
  /**
   * Per-field hashes of the same fields (field → SHA-256 hex of its canonical JSON, salted with the key),
   * so a later plan can name WHICH unreadable field differs. Never a secret in clear.
   */
  fields?: Record<string, string>;
  /** Set on records of an `unchanged` action planned with `--adopt`: store without sending anything. */
  adopted?: boolean;
}

export interface PlannedAction {
  /** Stable across runs for the same sheet key: `customer:<shortName>` or `site:<shortName>/<siteName>`. Journal key. */
  id: string;
  kind: ActionKind;
  /** The sheet rows this action came from. */
  rows: Origin[];
  customerShortName: string;
  /** The SIP connection this action is about (absent for customer-only conflicts). */
  siteName?: string;
  /** Known when the service exists already. */
  customerGuid?: string;
  /** Known when the site exists already. */
  siteGuid?: string;
  /** What will be sent; absent for `unchanged`, `busy`, `conflict`. Holds secrets in clear: mask before display. */
  request?: ActionRequest;
  /** Ids of actions that must succeed first (a site of a customer created in this run). */
  dependsOn: string[];
  reasons: Reason[];
  /** Recorded in the state store when the action succeeds (or with `--adopt`, without sending). */
  record: AppliedDigest[];
  /**
   * Only on create-customer / create-oc-service / add-site whose row sets fields the create/add body cannot
   * carry (flags, phones, dial plan, M365 scripts, …): a Modify SIP Connection to send to the site just made
   * (a created customer's primary site, or the added site) once the first request succeeded. `record` above
   * covers only what the first request sent; store `followUp.record` when the follow-up succeeds too.
   * Ignoring it is safe: the next plan finds those fields not applied and plans a `modify-site`.
   */
  followUp?: { body: ModifySiteBody; record: AppliedDigest[] };
}

export interface DriftItem {
  kind: 'service' | 'site';
  customerShortName: string;
  customerGuid: string;
  siteName?: string;
  siteId?: string;
  message: string;
}

export interface Plan {
  actions: PlannedAction[];
  drift: DriftItem[];
  counts: Record<ActionKind, number>;
}

/** What the Live Platform has now: one listing plus Get SIP Connection for each site the sheet names. */
export interface ObservedState {
  services: ServiceSummary[];
  /** Keyed by site id. */
  sites: Map<string, SiteDetails>;
}

/** What lpsync last applied, from the state store. */
export interface AppliedRecord {
  shortName: string;
  siteName: string | null;
  customerGuid: string | null;
  siteGuid: string | null;
  digest: string;
  /** Per-field hashes (see `AppliedDigest.fields`); null for a record stored without them. */
  fields: Record<string, string> | null;
  runId: string;
  appliedAt: string;
}

export interface AppliedState {
  /** Keyed by short name. */
  customers: Map<string, AppliedRecord>;
  /** Keyed by `appliedSiteKey(shortName, siteName)`. */
  sites: Map<string, AppliedRecord>;
}

export function appliedSiteKey(shortName: string, siteName: string): string {
  return `${shortName}\u0000${siteName}`;
}

// ---------------------------------------------------------------- journal (state store, used by apply)

export const JOURNAL_STATUSES = [
  'pending',
  'in-flight',
  'succeeded',
  'failed',
  'unknown',
  'skipped',
] as const;
export type JournalStatus = (typeof JOURNAL_STATUSES)[number];

export interface JournalEntry {
  runId: string;
  actionId: string;
  kind: ActionKind;
  status: JournalStatus;
  customerShortName: string;
  siteName: string | null;
  customerGuid: string | null;
  siteGuid: string | null;
  /** OC task id, once known. */
  taskId: string | null;
  attempts: number;
  messages: string[];
  error: string | null;
  deploymentState: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
}

export interface RunRecord {
  runId: string;
  command: string;
  inputFile: string;
  inputDigest: string;
  baseUrl: string;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'finished' | 'interrupted' | 'failed';
}
