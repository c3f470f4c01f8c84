import { isUnfinished, wasSent, type ActionRecord } from '../model/action-record.js';
import type { AppliedState, PlannedAction } from '../plan/types.js';

/** The record an action starts from, and whether it is already settled (reported as it is, nothing sent). */
export interface Start {
  record: ActionRecord;
  settled: boolean;
  /**
   * An interrupted run's OC create whose task is the only witness (the action now plans as something else):
   * the task decides whether it was lpsync's create, or someone else's service that made it fail.
   */
  askTask?: { taskId: string; sentTwice: boolean };
}

/** A new record for an action this run has not touched yet: pending, with the plan's reasons as its first messages. */
export function freshRecord(runId: string, action: PlannedAction): ActionRecord {
  return {
    runId,
    actionId: action.id,
    kind: action.kind,
    rows: action.rows,
    customerShortName: action.customerShortName,
    siteName: action.siteName ?? null,
    status: 'pending',
    customerGuid: action.customerGuid ?? null,
    siteGuid: action.siteGuid ?? null,
    deploymentState: null,
    taskId: null,
    sentTwice: false,
    attempts: 0,
    messages: action.reasons.map((r) => r.message),
    error: null,
    startedAt: null,
    endedAt: null,
    durationMs: 0,
  };
}

/**
 * Where an action starts when an earlier process left a record for it (the resumed run's own, or what a
 * killed run left in flight): unfinished and of the same kind, it carries on from there; a refused write is
 * not sent again within the same run; a create or add that had landed and now plans as unchanged is this
 * run's success. Anything else starts fresh.
 */
export function startingRecord(runId: string, action: PlannedAction, earlier?: ActionRecord): Start {
  const fresh = freshRecord(runId, action);
  if (!earlier) return { record: fresh, settled: false };
  const carried: ActionRecord = {
    ...earlier,
    runId,
    rows: action.rows,
    // What the plan read back fills what the interrupted run never heard.
    customerGuid: earlier.customerGuid ?? action.customerGuid ?? null,
    siteGuid: earlier.siteGuid ?? action.siteGuid ?? null,
    messages: [...earlier.messages],
  };
  if (earlier.kind === action.kind) {
    if (isUnfinished(earlier.status)) return { record: carried, settled: false };
    if (earlier.status === 'failed' && action.request !== undefined) {
      carried.messages.push('settled before the run was resumed');
      return { record: carried, settled: true };
    }
    return { record: fresh, settled: false };
  }
  const landed = earlier.status === 'succeeded' || wasSent(earlier.status);
  const askTask =
    wasSent(earlier.status) && earlier.taskId !== null
      ? { askTask: { taskId: earlier.taskId, sentTwice: earlier.sentTwice } }
      : {};
  if (landed && action.kind === 'unchanged' && earlier.kind !== 'modify-site') {
    carried.messages.push(
      earlier.status === 'succeeded'
        ? 'settled before the run was resumed'
        : `found on the platform: the interrupted run's ${earlier.kind} had landed`,
    );
    return { record: { ...carried, status: 'pending' }, settled: false, ...askTask };
  }
  if (landed) fresh.messages.push(`the interrupted run's ${earlier.kind} had landed`);
  return { record: fresh, settled: false, ...askTask };
}

/**
 * Short names of services that records show lpsync created, or may have (a kill may have come between the
 * create and recording its customer-level values), and that the state store has no record of.
 */
export function createdUnrecorded(records: Iterable<ActionRecord>, applied: AppliedState): Set<string> {
  const names = new Set<string>();
  for (const r of records)
    if (
      (r.kind === 'create-customer' || r.kind === 'create-oc-service') &&
      (r.status === 'succeeded' || wasSent(r.status)) &&
      !applied.customers.has(r.customerShortName)
    )
      names.add(r.customerShortName);
  return names;
}
