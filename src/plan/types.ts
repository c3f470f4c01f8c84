import type {
  AddSiteBody,
  CreateCustomerBody,
  CreateOcServiceBody,
  ModifySiteBody,
  ServiceSummary,
  SiteDetails,
} from '../api/types.js';
import type { Origin } from '../model/types.js';

export { ACTION_KINDS, type ActionKind } from '../model/action-record.js';
import type { ActionKind } from '../model/action-record.js';

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
  /**
   * One salted SHA-256 of all the same values (`recordDigest` in digest.ts): what a later plan compares
   * first, so an unchanged record costs one hash, not one per field.
   */
  recordDigest?: string;
  /** Set on records of an `unchanged` action planned with `--adopt`: store without sending anything. */
  adopted?: boolean;
}

/** Fields a create/add cannot carry, sent by a Modify SIP Connection to the site just made (see `followUp`). */
export interface FollowUp {
  body: ModifySiteBody;
  /** Stored when the follow-up succeeds, beside the action's own `record`. */
  record: AppliedDigest[];
}

/** What every action has, whatever its kind. */
interface ActionCommon {
  /** Stable across runs for the same sheet key: `customer:<shortName>` or `site:<shortName>/<siteName>`. Journal key. */
  id: string;
  /** The sheet rows this action came from. */
  rows: Origin[];
  customerShortName: string;
  /** The SIP connection this action is about (absent for customer-only conflicts). */
  siteName?: string;
  /** Known when the service exists already. */
  customerGuid?: string;
  /** Known when the site exists already. */
  siteGuid?: string;
  /** Ids of actions that must succeed first (a site of a customer created in this run). */
  dependsOn: string[];
  reasons: Reason[];
  /** Recorded in the state store when the action succeeds (or with `--adopt`, without sending). */
  record: AppliedDigest[];
}

/**
 * On create-customer / create-oc-service / add-site whose row sets fields the first body cannot carry (flags,
 * phones, dial plan, M365 scripts, what FIELD_LIMITS names): a Modify SIP Connection to send to the site just
 * made once the first request succeeded. `record` covers only what the first request sent.
 */
interface FollowsUp {
  followUp?: FollowUp;
}

type RequestOf<E extends ActionRequest['endpoint']> = Extract<ActionRequest, { endpoint: E }>;

export interface CreateCustomerAction extends ActionCommon, FollowsUp {
  kind: 'create-customer';
  /** Holds secrets in clear: mask before display. */
  request: RequestOf<'createCustomer'>;
}
export interface CreateOcServiceAction extends ActionCommon, FollowsUp {
  kind: 'create-oc-service';
  request: RequestOf<'createOcService'>;
}
export interface AddSiteAction extends ActionCommon, FollowsUp {
  kind: 'add-site';
  request: RequestOf<'addSite'>;
}
export interface ModifySiteAction extends ActionCommon {
  kind: 'modify-site';
  request: RequestOf<'modifySite'>;
  followUp?: undefined;
}
/** Nothing to send: `unchanged`, `busy`, `conflict`, or left out by the mode (`excluded`) or the selection (`not-selected`). */
export interface NoWriteAction extends ActionCommon {
  kind: 'unchanged' | 'busy' | 'conflict' | 'excluded' | 'not-selected';
  request?: undefined;
  followUp?: undefined;
}

/** One planned action, discriminated on `kind`: a handler gets exactly its fields. */
export type PlannedAction =
  CreateCustomerAction | CreateOcServiceAction | AddSiteAction | ModifySiteAction | NoWriteAction;

/** The actions that send something. */
export type WriteAction = Exclude<PlannedAction, NoWriteAction>;

export function isWrite(action: PlannedAction): action is WriteAction {
  return action.request !== undefined;
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
  /** See `AppliedDigest.recordDigest`; null for a record stored before the store kept one (compared field by field). */
  recordDigest: string | null;
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
