import type { WriteEndpoint } from '../model/field-limits.js';
import type { ServiceSummary } from '../api/types.js';
import type { CustomerRow, Origin, SipConnectionRow, SiteSettings, WorkbookRows } from '../model/types.js';
import { digestOf, digestOfHashes } from './digest.js';
import {
  customerConflicts,
  diffReadable,
  diffUnreadable,
  unreadableCustomerValues,
  unreadableSiteValues,
} from './diff.js';
import {
  PATHS,
  addSiteBody,
  createCustomerBody,
  createOcServiceBody,
  followUpBody,
  missingForCreate,
  modifySiteBody,
} from './requests.js';
import { NameIndex, ServiceIndex, type Match } from './service-index.js';
import { SheetKeys, siteTakenBy, takeSite } from './sheet-keys.js';
import {
  ACTION_KINDS,
  appliedSiteKey,
  type ActionKind,
  type AppliedDigest,
  type AppliedState,
  type DriftItem,
  type FollowUp,
  type ObservedState,
  type Plan,
  type PlannedAction,
  type Reason,
} from './types.js';

export interface PlanOptions {
  /** Record the sheet's values for sites lpsync never applied, instead of sending them. */
  adopt?: boolean;
  /**
   * Short names of services an interrupted run of lpsync created (found by reading back) before it
   * could record their customer-level values: those are recorded now, as they were sent.
   */
  createdUnrecorded?: ReadonlySet<string>;
}

/** What planning one row needs to see; built once per plan. */
interface Context {
  index: ServiceIndex;
  observed: ObservedState;
  applied: AppliedState;
  adopt: boolean;
  createdUnrecorded: ReadonlySet<string>;
  /** By place in the listing, 1 for a service the sheet names: not drift. */
  namedServices: Uint8Array;
  /** By site slot (see ServiceIndex), 1 for a site the sheet names: not drift. */
  namedSites: Uint8Array;
  /** By place in the listing, 1 for a service the sheet names only in another letter case: already a conflict, so its sites are not drift either. */
  caseOnlyServices: Uint8Array;
}

/** What every action of a row starts with, in this key order (plan files and tests read it so). */
interface Head {
  id: string;
  rows: Origin[];
  customerShortName: string;
  siteName: string;
  dependsOn: string[];
  customerGuid?: string;
}

/**
 * Decides, for each row, what to do and why. Pure: reads only its arguments. Linear in
 * rows + services (every match is a map lookup).
 */
export function planActions(
  rows: WorkbookRows,
  observed: ObservedState,
  applied: AppliedState,
  options: PlanOptions = {},
): Plan {
  const index = new ServiceIndex(observed.services);
  const ctx: Context = {
    index,
    observed,
    applied,
    adopt: options.adopt === true,
    createdUnrecorded: options.createdUnrecorded ?? new Set(),
    namedServices: new Uint8Array(index.services.length),
    namedSites: new Uint8Array(index.siteCount),
    caseOnlyServices: new Uint8Array(index.services.length),
  };
  const actions: PlannedAction[] = [];
  const taken = new SheetKeys();
  const placeOf = (found: Match<ServiceSummary>) => (found.kind === 'found' ? found.at : undefined);

  for (const row of rows.customers) {
    const shortName = row.shortName.trim();
    const found = ctx.index.service(shortName);
    const action = planCustomer(row, shortName, found, ctx);
    const keys = taken.of(shortName, placeOf(found));
    if (keys.first) actions.push(duplicate(action, keys.first.rows[0] as Origin));
    else {
      keys.first = action;
      actions.push(action);
    }
    // A SipConnections row naming this customer's primary site is the same key twice.
    takeSite(keys, row.siteName.trim(), row.origin);
  }
  // Only a site row whose customer is nowhere needs the sheet's customers by name: built then, once.
  let sheetCustomers: NameIndex<CustomerRow> | undefined;
  const customersByName = () => (sheetCustomers ??= new NameIndex(rows.customers, (r) => r.shortName));
  for (const row of rows.sites) {
    const shortName = row.customerShortName.trim();
    const found = ctx.index.service(shortName);
    const keys = taken.get(shortName, placeOf(found));
    const action = planSiteRow(row, shortName, found, ctx, keys?.first, customersByName);
    const siteName = action.siteName as string;
    const first = keys && siteTakenBy(keys, siteName);
    if (first) actions.push(duplicate(action, first));
    else {
      takeSite(keys ?? taken.of(shortName, placeOf(found)), siteName, row.origin);
      actions.push(action);
    }
  }

  return { actions, drift: findDrift(ctx), counts: countKinds(actions) };
}

export function customerActionId(shortName: string): string {
  return `customer:${shortName}`;
}

export function siteActionId(shortName: string, siteName: string): string {
  return `site:${shortName}/${siteName}`;
}

function duplicate(action: PlannedAction, first: Origin): PlannedAction {
  const at = action.rows[0] as Origin;
  return {
    id: `${action.id}@${at.sheet}!${at.row}`,
    kind: 'conflict',
    rows: action.rows,
    customerShortName: action.customerShortName,
    ...(action.siteName === undefined ? {} : { siteName: action.siteName }),
    dependsOn: [],
    reasons: [
      {
        message: `the same key is already in the sheet at ${first.sheet} row ${first.row}; only the first is planned`,
      },
    ],
    record: [],
  };
}

function caseOnly(
  kind: 'service' | 'SIP connection',
  sheet: string,
  platform: string,
  where: string,
): Reason {
  return {
    field: kind === 'service' ? 'shortName' : 'siteName',
    before: platform,
    after: sheet,
    message: `${where} has ${kind} "${platform}" and the sheet "${sheet}": they differ only in letter case; lpsync does not guess`,
  };
}

/** A row's head, built whole (not spread from another object): this runs for every row. */
function headOf(id: string, origin: Origin, shortName: string, siteName: string): Head;
function headOf(
  id: string,
  origin: Origin,
  shortName: string,
  siteName: string,
  customerGuid: string,
): Head & { customerGuid: string };
function headOf(
  id: string,
  origin: Origin,
  shortName: string,
  siteName: string,
  customerGuid?: string,
): Head {
  return customerGuid === undefined
    ? { id, rows: [origin], customerShortName: shortName, siteName, dependsOn: [] }
    : { id, rows: [origin], customerShortName: shortName, siteName, dependsOn: [], customerGuid };
}

// ---------------------------------------------------------------- customer rows

function planCustomer(
  row: CustomerRow,
  shortName: string,
  found: Match<ServiceSummary>,
  ctx: Context,
): PlannedAction {
  const siteName = row.siteName.trim();
  const id = customerActionId(shortName);
  if (found.kind === 'case-only') {
    ctx.namedServices[found.at] = 1;
    ctx.caseOnlyServices[found.at] = 1;
    return {
      ...headOf(id, row.origin, shortName, siteName),
      kind: 'conflict',
      reasons: [caseOnly('service', shortName, found.spelling, 'the Live Platform')],
      record: [],
    };
  }
  if (found.kind === 'missing')
    return planCreate(row, shortName, siteName, headOf(id, row.origin, shortName, siteName));

  const service = found.value;
  ctx.namedServices[found.at] = 1;
  const head = headOf(id, row.origin, shortName, siteName, service.customerGuid);
  const appliedCustomer = ctx.applied.customers.get(shortName);
  const conflicts = customerConflicts(row, service, appliedCustomer);
  if (conflicts.length) {
    // The row still names its primary site: a conflict is not drift.
    const named = ctx.index.site(found.at, siteName);
    if (named.kind !== 'missing') ctx.namedSites[named.at] = 1;
    return { ...head, kind: 'conflict', reasons: conflicts, record: [] };
  }
  const part = planExistingSite(ctx, head, found.at, row.site, false);
  if (appliedCustomer) return part;
  // A service lpsync did not create: its customer-level values are only remembered when adopting.
  const customerValues = unreadableCustomerValues(row);
  if (
    (ctx.adopt || ctx.createdUnrecorded.has(shortName)) &&
    Object.keys(customerValues).length &&
    (part.kind === 'unchanged' || part.kind === 'modify-site')
  ) {
    const record = digestOf(shortName, undefined, customerValues);
    part.record = [...part.record, part.kind === 'unchanged' ? { ...record, adopted: true } : record];
  } else if (Object.keys(customerValues).length && !ctx.createdUnrecorded.has(shortName)) {
    // Not silently ignored: say what could not be compared, and how to start comparing it.
    part.reasons = [
      ...part.reasons,
      {
        message: `${Object.keys(customerValues).join(', ')} cannot be read back and lpsync has no record of this service: not compared (--adopt records the sheet's values)`,
      },
    ];
  }
  return part;
}

function planCreate(row: CustomerRow, shortName: string, siteName: string, base: Head): PlannedAction {
  const missing = missingForCreate(row);
  if (missing.length) {
    return {
      ...base,
      kind: 'conflict',
      reasons: [{ message: `the service does not exist and creating it needs ${missing.join(', ')}` }],
      record: [],
    };
  }
  const essentials = row.license === 'Essentials';
  // Nothing unreadable about the site is sent by a create; the follow-up modify carries it.
  const record: AppliedDigest[] = [
    digestOf(shortName, undefined, unreadableCustomerValues(row)),
    digestOf(shortName, siteName, {}),
  ];
  const followUp = followUpFor(
    shortName,
    siteName,
    row.site,
    false,
    essentials ? 'createCustomer' : 'createOcService',
  );
  const reasons: Reason[] = [{ message: `service "${shortName}" not found on the Live Platform` }];
  if (essentials) {
    return {
      ...base,
      kind: 'create-customer',
      request: {
        endpoint: 'createCustomer',
        method: 'POST',
        path: PATHS.createCustomer,
        body: createCustomerBody(row),
      },
      reasons,
      record,
      ...followUp,
    };
  }
  return {
    ...base,
    kind: 'create-oc-service',
    request: {
      endpoint: 'createOcService',
      method: 'POST',
      path: PATHS.createOcService,
      body: createOcServiceBody(row),
    },
    reasons,
    record,
    ...followUp,
  };
}

function followUpFor(
  shortName: string,
  siteName: string,
  site: SiteSettings,
  includeOvocCustomerType: boolean,
  first: WriteEndpoint,
): { followUp?: FollowUp } {
  const body = followUpBody(siteName, site, first);
  if (!body) return {};
  const record = digestOf(shortName, siteName, unreadableSiteValues(site, { includeOvocCustomerType }));
  return { followUp: { body, record: [record] } };
}

// ---------------------------------------------------------------- sites

/** Add SIP Connection for a site the platform does not have; its customer may be created in this run. */
function planAdd(
  head: Head,
  site: SiteSettings,
  customerGuid: string | null,
  includeOvocCustomerType: boolean,
  reason: string,
): PlannedAction {
  const { customerShortName: shortName, siteName } = head;
  const sent = unreadableSiteValues(site, { includeOvocCustomerType });
  // Add SIP Connection sends the type but none of the Modify-only fields.
  const sentValues = sent.ovocCustomerType === undefined ? {} : { ovocCustomerType: sent.ovocCustomerType };
  return {
    ...head,
    kind: 'add-site',
    request: {
      endpoint: 'addSite',
      method: 'POST',
      path: PATHS.addSite(customerGuid),
      customerGuid,
      body: addSiteBody(siteName, site),
    },
    reasons: [{ message: reason }],
    record: [digestOf(shortName, siteName, sentValues)],
    ...followUpFor(shortName, siteName, site, includeOvocCustomerType, 'addSite'),
  };
}

/**
 * A site of an existing service (at `serviceAt` in the listing): add it if missing, else busy /
 * modify / unchanged from its read-back. `includeOvocCustomerType` is false for a customer's
 * primary site, whose type belongs to the customer.
 */
function planExistingSite(
  ctx: Context,
  head: Head & { customerGuid: string },
  serviceAt: number,
  site: SiteSettings,
  includeOvocCustomerType: boolean,
): PlannedAction {
  const { customerShortName: shortName, siteName, customerGuid } = head;
  const found = ctx.index.site(serviceAt, siteName);
  if (found.kind === 'case-only') {
    ctx.namedSites[found.at] = 1;
    return {
      ...head,
      kind: 'conflict',
      siteGuid: found.value.id,
      reasons: [caseOnly('SIP connection', siteName, found.spelling, `service "${shortName}"`)],
      record: [],
    };
  }
  if (found.kind === 'missing') {
    return planAdd(
      head,
      site,
      customerGuid,
      includeOvocCustomerType,
      `SIP connection "${siteName}" not found in service "${shortName}"`,
    );
  }
  const siteGuid = found.value.id;
  ctx.namedSites[found.at] = 1;
  const details = ctx.observed.sites.get(siteGuid);
  if (!details) {
    return {
      ...head,
      kind: 'conflict',
      siteGuid,
      reasons: [
        { message: `Get SIP Connection returned nothing for site ${siteGuid}; nothing can be compared` },
      ],
      record: [],
    };
  }
  if (details.pendingTasks.length) {
    return {
      ...head,
      kind: 'busy',
      siteGuid,
      reasons: [
        {
          message: `the Live Platform is still working on this SIP connection (${details.pendingTasks.length} pending task(s)); left alone this run, retried next run`,
        },
      ],
      record: [],
    };
  }
  const desired = unreadableSiteValues(site, { includeOvocCustomerType });
  const readable = diffReadable(site, details);
  const applied = hasKeys(desired) ? ctx.applied.sites.get(appliedSiteKey(shortName, siteName)) : undefined;
  // Adopting a site lpsync never applied: the sheet's values are recorded, so no reasons to spell out.
  const adopting = ctx.adopt && !applied && hasKeys(desired);
  const unreadable = adopting
    ? undefined
    : diffUnreadable(shortName, siteName, desired, applied, 'SIP connection');
  // Hashing costs: only done for a record that will be stored, and from the hashes compared, if any.
  const record = (): AppliedDigest =>
    unreadable?.hashes
      ? digestOfHashes(shortName, siteName, unreadable.hashes)
      : digestOf(shortName, siteName, desired);
  const reasons = unreadable?.reasons.length ? [...readable, ...unreadable.reasons] : readable;
  if (!reasons.length) return unchanged(head, siteGuid, adopting ? [{ ...record(), adopted: true }] : []);
  return {
    ...head,
    kind: 'modify-site',
    siteGuid,
    request: {
      endpoint: 'modifySite',
      method: 'PATCH',
      path: PATHS.modifySite(customerGuid, siteGuid),
      customerGuid,
      siteGuid,
      body: modifySiteBody(siteName, site, { includeOvocCustomerType }),
    },
    reasons,
    record: [record()],
  };
}

/** Most rows of a nightly run: written out key by key (a spread of `head` costs more than the rest of the row). */
function unchanged(
  head: Head & { customerGuid: string },
  siteGuid: string,
  record: AppliedDigest[],
): PlannedAction {
  return {
    id: head.id,
    rows: head.rows,
    customerShortName: head.customerShortName,
    siteName: head.siteName,
    dependsOn: head.dependsOn,
    customerGuid: head.customerGuid,
    kind: 'unchanged',
    siteGuid,
    reasons: [],
    record,
  };
}

/** A SipConnections row; `customer` is the action of the first Customers row with its short name, if any. */
function planSiteRow(
  row: SipConnectionRow,
  shortName: string,
  found: Match<ServiceSummary>,
  ctx: Context,
  customer: PlannedAction | undefined,
  sheetCustomers: () => NameIndex<CustomerRow>,
): PlannedAction {
  const siteName = row.siteName.trim();
  const id = siteActionId(shortName, siteName);
  if (found.kind === 'found') {
    ctx.namedServices[found.at] = 1;
    const head = headOf(id, row.origin, shortName, siteName, found.value.customerGuid);
    return planExistingSite(ctx, head, found.at, row.site, true);
  }
  const base = headOf(id, row.origin, shortName, siteName);
  const conflict = (reason: Reason): PlannedAction => ({
    ...base,
    kind: 'conflict',
    reasons: [reason],
    record: [],
  });
  if (found.kind === 'case-only') {
    ctx.namedServices[found.at] = 1;
    ctx.caseOnlyServices[found.at] = 1;
    return conflict(caseOnly('service', shortName, found.spelling, 'the Live Platform'));
  }
  if (customer && (customer.kind === 'create-customer' || customer.kind === 'create-oc-service')) {
    const head = { ...base, dependsOn: [customer.id] };
    return planAdd(
      head,
      row.site,
      null,
      true,
      `SIP connection "${siteName}" of service "${shortName}", which this run creates`,
    );
  }
  if (customer) {
    return conflict({
      message: `its customer row (${customer.id}) is a ${customer.kind} and the service does not exist, so this SIP connection cannot be added`,
    });
  }
  const near = sheetCustomers().match(shortName);
  if (near.kind === 'case-only') {
    return conflict(caseOnly('service', shortName, near.spelling, 'the Customers sheet'));
  }
  return conflict({
    field: 'customerShortName',
    after: shortName,
    message: `customer "${shortName}" is neither in the Customers sheet nor on the Live Platform (a Customers row that failed validation does not count)`,
  });
}

function hasKeys(values: Record<string, unknown>): boolean {
  for (const key in values) if (Object.hasOwn(values, key)) return true;
  return false;
}

// ---------------------------------------------------------------- drift and counts

function findDrift(ctx: Context): DriftItem[] {
  const drift: DriftItem[] = [];
  const { services } = ctx.index;
  for (let at = 0; at < services.length; at++) {
    const service = services[at]!;
    if (!ctx.namedServices[at]) {
      const sites = service.sites.length;
      drift.push({
        kind: 'service',
        customerShortName: service.shortName,
        customerGuid: service.customerGuid,
        message: `service "${service.shortName}" (LicenseType ${service.licenseType ?? '?'}, ${sites} SIP connection${sites === 1 ? '' : 's'}) is on the Live Platform but not in the sheet; left alone`,
      });
      continue;
    }
    if (ctx.caseOnlyServices[at]) continue;
    service.sites.forEach((site, k) => {
      if (ctx.namedSites[ctx.index.siteSlot(at, k)]) return;
      drift.push({
        kind: 'site',
        customerShortName: service.shortName,
        customerGuid: service.customerGuid,
        siteName: site.name,
        siteId: site.id,
        message: `SIP connection "${site.name}" of service "${service.shortName}" is on the Live Platform but not in the sheet; left alone`,
      });
    });
  }
  return drift;
}

export function countKinds(actions: readonly PlannedAction[]): Record<ActionKind, number> {
  const counts = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
  for (const a of actions) counts[a.kind] += 1;
  return counts;
}
