import type { WriteEndpoint } from '../model/field-limits.js';
import type { ServiceSummary } from '../api/types.js';
import type { CustomerRow, Origin, SipConnectionRow, SiteSettings, WorkbookRows } from '../model/types.js';
import { digestOf } from './digest.js';
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
import { buildNameIndex, lookup, ServiceIndex } from './service-index.js';
import {
  ACTION_KINDS,
  appliedSiteKey,
  type ActionKind,
  type AppliedDigest,
  type AppliedState,
  type DriftItem,
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
  /** Services the sheet names (by GUID): not drift. */
  namedServices: Set<string>;
  /** Sites the sheet names (by id): not drift. */
  namedSites: Set<string>;
  /** Services the sheet names only in another letter case: already a conflict, so their sites are not drift either. */
  caseOnlyServices: Set<string>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What every action of a row has before its kind is decided. */
type ActionBase = Pick<PlannedAction, 'id' | 'rows' | 'customerShortName' | 'dependsOn'> & {
  siteName: string;
};

/** The part of an action that depends on the site: kind, request, reasons, records. */
type SitePart = DistributiveOmit<
  PlannedAction,
  'id' | 'rows' | 'customerShortName' | 'siteName' | 'customerGuid' | 'dependsOn'
>;

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
  const ctx: Context = {
    index: new ServiceIndex(observed.services),
    observed,
    applied,
    adopt: options.adopt === true,
    createdUnrecorded: options.createdUnrecorded ?? new Set(),
    namedServices: new Set(),
    namedSites: new Set(),
    caseOnlyServices: new Set(),
  };
  const actions: PlannedAction[] = [];
  const taken = new Map<string, Origin>();
  const add = (action: PlannedAction): void => {
    const first = taken.get(action.id);
    if (first) {
      actions.push(duplicate(action, first));
      return;
    }
    taken.set(action.id, action.rows[0] as Origin);
    actions.push(action);
  };

  const customerActions = new Map<string, PlannedAction>();
  for (const row of rows.customers) {
    const action = planCustomer(row, ctx);
    if (!customerActions.has(action.customerShortName)) customerActions.set(action.customerShortName, action);
    add(action);
    // A SipConnections row naming this customer's primary site is the same key twice.
    taken.set(siteActionId(action.customerShortName, row.siteName.trim()), row.origin);
  }
  const sheetCustomers = buildNameIndex(rows.customers, (r) => r.shortName);
  for (const row of rows.sites) add(planSiteRow(row, ctx, customerActions, sheetCustomers));

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

// ---------------------------------------------------------------- customer rows

function planCustomer(row: CustomerRow, ctx: Context): PlannedAction {
  const shortName = row.shortName.trim();
  const siteName = row.siteName.trim();
  const base = {
    id: customerActionId(shortName),
    rows: [row.origin],
    customerShortName: shortName,
    siteName,
    dependsOn: [] as string[],
  };
  const found = ctx.index.service(shortName);
  if (found.kind === 'case-only') {
    ctx.namedServices.add(found.value.customerGuid);
    ctx.caseOnlyServices.add(found.value.customerGuid);
    return {
      ...base,
      kind: 'conflict',
      reasons: [caseOnly('service', shortName, found.spelling, 'the Live Platform')],
      record: [],
    };
  }
  if (found.kind === 'missing') return planCreate(row, shortName, siteName, base);

  const service = found.value;
  ctx.namedServices.add(service.customerGuid);
  const withGuid = { ...base, customerGuid: service.customerGuid };
  const appliedCustomer = ctx.applied.customers.get(shortName);
  const conflicts = customerConflicts(row, service, appliedCustomer);
  if (conflicts.length) {
    // The row still names its primary site: a conflict is not drift.
    const named = ctx.index.site(service, siteName);
    if (named.kind !== 'missing') ctx.namedSites.add(named.value.id);
    return { ...withGuid, kind: 'conflict', reasons: conflicts, record: [] };
  }
  const part = planExistingSite(ctx, service, shortName, siteName, row.site, false);
  // A service lpsync did not create: its customer-level values are only remembered when adopting.
  const customerValues = unreadableCustomerValues(row);
  if (
    (ctx.adopt || ctx.createdUnrecorded.has(shortName)) &&
    !appliedCustomer &&
    Object.keys(customerValues).length &&
    (part.kind === 'unchanged' || part.kind === 'modify-site')
  ) {
    const record = digestOf(shortName, undefined, customerValues);
    part.record = [...part.record, part.kind === 'unchanged' ? { ...record, adopted: true } : record];
  } else if (
    !appliedCustomer &&
    Object.keys(customerValues).length &&
    !ctx.createdUnrecorded.has(shortName)
  ) {
    // Not silently ignored: say what could not be compared, and how to start comparing it.
    part.reasons = [
      ...part.reasons,
      {
        message: `${Object.keys(customerValues).join(', ')} cannot be read back and lpsync has no record of this service: not compared (--adopt records the sheet's values)`,
      },
    ];
  }
  return { ...withGuid, ...part };
}

function planCreate(row: CustomerRow, shortName: string, siteName: string, base: ActionBase): PlannedAction {
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
): Pick<PlannedAction, 'followUp'> {
  const body = followUpBody(siteName, site, first);
  if (!body) return {};
  const record = digestOf(shortName, siteName, unreadableSiteValues(site, { includeOvocCustomerType }));
  return { followUp: { body, record: [record] } };
}

// ---------------------------------------------------------------- sites

/** Add SIP Connection for a site the platform does not have; its customer may be created in this run. */
function planAdd(
  shortName: string,
  siteName: string,
  site: SiteSettings,
  customerGuid: string | null,
  includeOvocCustomerType: boolean,
  reason: string,
): SitePart {
  const sent = unreadableSiteValues(site, { includeOvocCustomerType });
  // Add SIP Connection sends the type but none of the Modify-only fields.
  const sentValues = sent.ovocCustomerType === undefined ? {} : { ovocCustomerType: sent.ovocCustomerType };
  return {
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
 * A site of an existing service: add it if missing, else busy / modify / unchanged from its read-back.
 * `includeOvocCustomerType` is false for a customer's primary site, whose type belongs to the customer.
 */
function planExistingSite(
  ctx: Context,
  service: ServiceSummary,
  shortName: string,
  siteName: string,
  site: SiteSettings,
  includeOvocCustomerType: boolean,
): SitePart {
  const found = ctx.index.site(service, siteName);
  if (found.kind === 'case-only') {
    ctx.namedSites.add(found.value.id);
    return {
      kind: 'conflict',
      siteGuid: found.value.id,
      reasons: [caseOnly('SIP connection', siteName, found.spelling, `service "${shortName}"`)],
      record: [],
    };
  }
  if (found.kind === 'missing') {
    return planAdd(
      shortName,
      siteName,
      site,
      service.customerGuid,
      includeOvocCustomerType,
      `SIP connection "${siteName}" not found in service "${shortName}"`,
    );
  }
  const siteGuid = found.value.id;
  ctx.namedSites.add(siteGuid);
  const details = ctx.observed.sites.get(siteGuid);
  if (!details) {
    return {
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
  // Hashing costs: only done for a record that will be stored.
  const record = (): AppliedDigest => digestOf(shortName, siteName, desired);
  const readable = diffReadable(site, details);
  const unreadable = diffUnreadable(
    shortName,
    siteName,
    desired,
    ctx.applied.sites.get(appliedSiteKey(shortName, siteName)),
    'SIP connection',
  );
  const adopting = unreadable.neverApplied && ctx.adopt;
  const reasons = adopting ? readable : [...readable, ...unreadable.reasons];
  if (!reasons.length) {
    return {
      kind: 'unchanged',
      siteGuid,
      reasons: [],
      record: adopting ? [{ ...record(), adopted: true }] : [],
    };
  }
  return {
    kind: 'modify-site',
    siteGuid,
    request: {
      endpoint: 'modifySite',
      method: 'PATCH',
      path: PATHS.modifySite(service.customerGuid, siteGuid),
      customerGuid: service.customerGuid,
      siteGuid,
      body: modifySiteBody(siteName, site, { includeOvocCustomerType }),
    },
    reasons,
    record: [record()],
  };
}

function planSiteRow(
  row: SipConnectionRow,
  ctx: Context,
  customerActions: Map<string, PlannedAction>,
  sheetCustomers: ReturnType<typeof buildNameIndex<CustomerRow>>,
): PlannedAction {
  const shortName = row.customerShortName.trim();
  const siteName = row.siteName.trim();
  const base = {
    id: siteActionId(shortName, siteName),
    rows: [row.origin],
    customerShortName: shortName,
    siteName,
    dependsOn: [] as string[],
  };
  const found = ctx.index.service(shortName);
  if (found.kind === 'found') {
    const service = found.value;
    ctx.namedServices.add(service.customerGuid);
    return {
      ...base,
      customerGuid: service.customerGuid,
      ...planExistingSite(ctx, service, shortName, siteName, row.site, true),
    };
  }
  const conflict = (reason: Reason): PlannedAction => ({
    ...base,
    kind: 'conflict',
    reasons: [reason],
    record: [],
  });
  if (found.kind === 'case-only') {
    ctx.namedServices.add(found.value.customerGuid);
    ctx.caseOnlyServices.add(found.value.customerGuid);
    return conflict(caseOnly('service', shortName, found.spelling, 'the Live Platform'));
  }
  const customer = customerActions.get(shortName);
  if (customer && (customer.kind === 'create-customer' || customer.kind === 'create-oc-service')) {
    const part = planAdd(
      shortName,
      siteName,
      row.site,
      null,
      true,
      `SIP connection "${siteName}" of service "${shortName}", which this run creates`,
    );
    return { ...base, ...part, dependsOn: [customer.id] };
  }
  if (customer) {
    return conflict({
      message: `its customer row (${customer.id}) is a ${customer.kind} and the service does not exist, so this SIP connection cannot be added`,
    });
  }
  const near = lookup(sheetCustomers, shortName, (r) => r.shortName);
  if (near.kind === 'case-only') {
    return conflict(caseOnly('service', shortName, near.spelling, 'the Customers sheet'));
  }
  return conflict({
    field: 'customerShortName',
    after: shortName,
    message: `customer "${shortName}" is neither in the Customers sheet nor on the Live Platform (a Customers row that failed validation does not count)`,
  });
}

// ---------------------------------------------------------------- drift and counts

function findDrift(ctx: Context): DriftItem[] {
  const drift: DriftItem[] = [];
  for (const service of ctx.observed.services) {
    if (!ctx.namedServices.has(service.customerGuid)) {
      const sites = service.sites.length;
      drift.push({
        kind: 'service',
        customerShortName: service.shortName,
        customerGuid: service.customerGuid,
        message: `service "${service.shortName}" (LicenseType ${service.licenseType ?? '?'}, ${sites} SIP connection${sites === 1 ? '' : 's'}) is on the Live Platform but not in the sheet; left alone`,
      });
      continue;
    }
    if (ctx.caseOnlyServices.has(service.customerGuid)) continue;
    for (const site of service.sites) {
      if (ctx.namedSites.has(site.id)) continue;
      drift.push({
        kind: 'site',
        customerShortName: service.shortName,
        customerGuid: service.customerGuid,
        siteName: site.name,
        siteId: site.id,
        message: `SIP connection "${site.name}" of service "${service.shortName}" is on the Live Platform but not in the sheet; left alone`,
      });
    }
  }
  return drift;
}

export function countKinds(actions: readonly PlannedAction[]): Record<ActionKind, number> {
  const counts = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
  for (const a of actions) counts[a.kind] += 1;
  return counts;
}
