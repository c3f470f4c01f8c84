/** The plan: every row planned in sheet order (a key given twice is a conflict), then drift and counts. */
import type { ServiceSummary } from '../api/types.js';
import type { CustomerRow, Origin, WorkbookRows } from '../model/types.js';
import { findDrift } from './drift.js';
import { planCustomer } from './plan-customer.js';
import { planSiteRow } from './plan-site.js';
import type { Context } from './row-plan.js';
import { NameIndex, ServiceIndex, type Match } from './service-index.js';
import { SheetKeys, siteTakenBy, takeSite } from './sheet-keys.js';
import {
  ACTION_KINDS,
  type ActionKind,
  type AppliedState,
  type ObservedState,
  type Plan,
  type PlannedAction,
} from './types.js';

export { customerActionId, siteActionId } from './row-plan.js';

export interface PlanOptions {
  /** Record the sheet's values for sites lpsync never applied, instead of sending them. */
  adopt?: boolean;
  /**
   * Short names of services an interrupted run of lpsync created (found by reading back) before it
   * could record their customer-level values: those are recorded now, as they were sent.
   */
  createdUnrecorded?: ReadonlySet<string>;
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

  return { actions, drift: findDrift(observed, actions, index), counts: countKinds(actions) };
}

/** A row whose key an earlier row took: a conflict naming that row. */
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

export function countKinds(actions: readonly PlannedAction[]): Record<ActionKind, number> {
  const counts = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
  for (const a of actions) counts[a.kind] += 1;
  return counts;
}
