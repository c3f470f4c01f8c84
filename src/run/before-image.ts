/**
 * A run's before-image: taken from what the plan read back, kept in the state store before the first request
 * of the session is sent (a run killed half way still has it), written beside the results workbook when the
 * run reports, and written again by `report --run` from the store alone.
 */
import type { ServiceSummary } from '../api/types.js';
import { customerActionId } from '../plan/row-plan.js';
import type { ObservedState, Plan } from '../plan/types.js';
import {
  beforeImagePath,
  decodeBeforeImage,
  encodeBeforeImage,
  mergeBeforeImages,
  writeBeforeImage,
} from '../report/before-image.js';
import { serviceFacts, siteFacts, type TenantRows } from '../report/tenant-facts.js';
import type { StoredBeforeImage } from '../state/before-images.js';
import type { StateStore } from '../state/index.js';

/**
 * The targets of the plan's modifies as read back: a modify from a Customers row is that service's row
 * (its primary SIP connection), one from a SipConnections row a SipConnections row. Creates and adds have
 * nothing to put back (lpsync deletes nothing).
 */
export function beforeImageRows(plan: Plan, observed: ObservedState): TenantRows {
  const services = new Map<string, ServiceSummary>(observed.services.map((s) => [s.customerGuid, s]));
  const rows: TenantRows = { customers: [], sites: [] };
  for (const action of plan.actions) {
    if (action.kind !== 'modify-site') continue;
    const service = services.get(action.customerGuid!);
    const details = observed.sites.get(action.siteGuid!);
    if (!service || !details) continue;
    if (action.id === customerActionId(action.customerShortName))
      rows.customers.push({ service: serviceFacts(service), site: siteFacts(details) });
    else rows.sites.push({ customerShortName: service.shortName, site: siteFacts(details) });
  }
  return rows;
}

/** Keeps this session's before-image in the store, when its plan modifies something. */
export function keepBeforeImage(
  store: Pick<StateStore, 'saveBeforeImage'>,
  runId: string,
  plan: Plan,
  observed: ObservedState,
): void {
  const rows = beforeImageRows(plan, observed);
  if (!rows.customers.length && !rows.sites.length) return;
  store.saveBeforeImage(runId, encodeBeforeImage({ version: 1, runId, rows }), {
    services: rows.customers.length,
    sipConnections: rows.sites.length,
  });
}

/**
 * Writes the run's before-image beside its results workbook (`<report>.before.xlsx`) from what the store
 * keeps of every session; returns its path, or null when the run modified nothing.
 */
export async function writeRunBeforeImage(
  stored: readonly StoredBeforeImage[],
  runId: string,
  reportPath: string,
  created: Date,
): Promise<string | null> {
  if (!stored.length) return null;
  const rows = mergeBeforeImages(stored.map((s) => decodeBeforeImage(s.gzip)));
  const path = beforeImagePath(reportPath);
  await writeBeforeImage(path, { runId, rows }, created);
  return path;
}

/** The same at the end of an apply: a before-image that cannot be written is a warning, as a report is. */
export async function beforeImageOfRun(
  store: Pick<StateStore, 'beforeImages' | 'path'>,
  run: { runId: string; reportPath: string; now: Date },
  warn: (message: string) => void,
): Promise<string | null> {
  try {
    return await writeRunBeforeImage(store.beforeImages(run.runId), run.runId, run.reportPath, run.now);
  } catch (error) {
    warn(
      `The before-image could not be written beside ${run.reportPath}: ${error instanceof Error ? error.message : String(error)}. The state store ${store.path} keeps it: lpsync report --run ${run.runId} writes it again.`,
    );
    return null;
  }
}
