/** Planning a SIP connection: add it, or compare its read-back and decide modify / unchanged / busy. */
import type { WriteEndpoint } from '../model/field-limits.js';
import type { ServiceSummary, SiteDetails } from '../api/types.js';
import type { CustomerRow, SipConnectionRow, SiteSettings } from '../model/types.js';
import { digestOf } from './digest.js';
import { diffReadable, diffUnreadable, unreadableSiteValues } from './diff.js';
import { PATHS, addSiteBody, followUpBody, modifySiteBody } from './requests.js';
import { caseOnly, headOf, siteActionId, type Context, type Head } from './row-plan.js';
import type { Match, NameIndex } from './service-index.js';
import {
  appliedSiteKey,
  type AppliedDigest,
  type FollowUp,
  type PlannedAction,
  type Reason,
} from './types.js';

/** The Modify SIP Connection that follows a create or add, when the row sets fields the first request cannot carry. */
export function followUpFor(
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
export function planExistingSite(
  ctx: Context,
  head: Head & { customerGuid: string },
  serviceAt: number,
  site: SiteSettings,
  includeOvocCustomerType: boolean,
): PlannedAction {
  const { customerShortName: shortName, siteName, customerGuid } = head;
  const found = ctx.index.site(serviceAt, siteName);
  if (found.kind === 'case-only') {
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
  return compareSite(ctx, head, siteGuid, details, site, includeOvocCustomerType);
}

/** A site read back and not busy: modify what differs from the sheet (read back, or last applied), else unchanged. */
function compareSite(
  ctx: Context,
  head: Head & { customerGuid: string },
  siteGuid: string,
  details: SiteDetails,
  site: SiteSettings,
  includeOvocCustomerType: boolean,
): PlannedAction {
  const { customerShortName: shortName, siteName, customerGuid } = head;
  const desired = unreadableSiteValues(site, { includeOvocCustomerType });
  const readable = diffReadable(site, details);
  const applied = hasKeys(desired) ? ctx.applied.sites.get(appliedSiteKey(shortName, siteName)) : undefined;
  // Adopting a site lpsync never applied: the sheet's values are recorded, so no reasons to spell out.
  const adopting = ctx.adopt && !applied && hasKeys(desired);
  const unreadable = adopting
    ? undefined
    : diffUnreadable(shortName, siteName, desired, applied, 'SIP connection');
  // Hashing costs: only done for a record that will be stored, and from the hashes compared, if any.
  const record = (): AppliedDigest => digestOf(shortName, siteName, desired, unreadable);
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
export function planSiteRow(
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
  if (found.kind === 'case-only')
    return conflict(caseOnly('service', shortName, found.spelling, 'the Live Platform'));
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
