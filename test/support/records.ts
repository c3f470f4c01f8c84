import type { ActionRecord } from '../../src/model/action-record.js';

/** A create-customer record of run-1 that has not started, with any fields the test sets. */
export function recordOf(partial: Partial<ActionRecord> = {}): ActionRecord {
  const actionId = partial.actionId ?? 'customer:A1';
  return {
    runId: 'run-1',
    actionId,
    kind: 'create-customer',
    status: 'pending',
    customerShortName: actionId.replace(/^customer:/, ''),
    siteName: null,
    customerGuid: null,
    siteGuid: null,
    taskId: null,
    sentTwice: false,
    rows: [],
    attempts: 0,
    messages: [],
    error: null,
    deploymentState: null,
    startedAt: null,
    endedAt: null,
    durationMs: 0,
    ...partial,
  };
}
