/** Planning a Customers row: create its service, or plan its primary site of the service found. */
import type { ServiceSummary } from '../api/types.js';
import type { CustomerRow } from '../model/types.js';
import { digestOf } from './digest.js';
import { customerConflicts, unreadableCustomerValues } from './diff.js';
import { PATHS, createCustomerBody, createOcServiceBody, missingForCreate } from './requests.js';
import { caseOnly, customerActionId, headOf, type Context, type Head } from './row-plan.js';
import { followUpFor, planExistingSite } from './plan-site.js';
import type { Match } from './service-index.js';
import type { AppliedDigest, PlannedAction, Reason } from './types.js';

export function planCustomer(
  row: CustomerRow,
  shortName: string,
  found: Match<ServiceSummary>,
  ctx: Context,
): PlannedAction {
  const siteName = row.siteName.trim();
  const id = customerActionId(shortName);
  if (found.kind === 'case-only') {
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
  const head = headOf(id, row.origin, shortName, siteName, service.customerGuid);
  const appliedCustomer = ctx.applied.customers.get(shortName);
  const conflicts = customerConflicts(row, service, appliedCustomer);
  if (conflicts.length) return { ...head, kind: 'conflict', reasons: conflicts, record: [] };
  const part = planExistingSite(ctx, head, found.at, row.site, false);
  return appliedCustomer ? part : withUnrecordedCustomer(part, row, shortName, ctx);
}

/**
 * A service lpsync has no record of: its customer-level values (which cannot be read back) are
 * recorded when adopting or when an interrupted run created it; otherwise the action says they
 * were not compared.
 */
function withUnrecordedCustomer(
  part: PlannedAction,
  row: CustomerRow,
  shortName: string,
  ctx: Context,
): PlannedAction {
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
