import { wasSent, type ActionRecord } from '../../model/action-record.js';
import { RunError } from '../../model/errors.js';
import type { NoWriteAction, PlannedAction, WriteAction } from '../../plan/types.js';
import { createSender, type Sender, type TransitionContext } from '../context.js';
import { addSite } from './add-site.js';
import { createCustomer } from './create-customer.js';
import { createOcService } from './create-oc-service.js';
import { modifySite } from './modify-site.js';

/**
 * Takes one action from its record to where this run can take it: sends, waits on a task, reads back
 * after a lost answer, sends the follow-up Modify. A fresh record (`pending`) and one an interrupted run
 * left unfinished (`in-flight`, `unknown`, `not-run`) go the same way. Never throws for a row: a fault that
 * ends the run (auth refused, platform unreachable) is handed to `onFatal` and the row says what it knows.
 */
export async function advance(
  start: ActionRecord,
  action: PlannedAction,
  ctx: TransitionContext,
  onFatal: (error: RunError) => void,
): Promise<ActionRecord> {
  const record: ActionRecord = { ...start, messages: [...start.messages] };
  if (action.request === undefined) return settleNoWrite(record, action, ctx);
  const startedMs = Date.now();
  const sender = createSender(
    record,
    () => {
      record.startedAt ??= ctx.now().toISOString();
      ctx.emit({ type: 'action-start', action });
    },
    ctx,
  );
  const wasInFlight = wasSent(start.status);
  try {
    await run(record, action, sender, ctx);
  } catch (error) {
    if (error instanceof RunError) onFatal(error);
    // A read-back, task poll or refusal that threw: once sent, the write may have happened.
    if (record.status !== 'succeeded' || !(error instanceof RunError))
      record.status =
        sender.sent || wasInFlight ? 'unknown' : error instanceof RunError ? 'not-run' : 'failed';
    record.error = error instanceof Error ? error.message : String(error);
  }
  if (sender.sent || record.status !== 'not-run') {
    record.endedAt = ctx.now().toISOString();
    if (sender.sent) record.durationMs += Date.now() - startedMs;
    ctx.journal(record);
  }
  return record;
}

function run(
  record: ActionRecord,
  action: WriteAction,
  sender: Sender,
  ctx: TransitionContext,
): Promise<void> {
  switch (action.kind) {
    case 'create-customer':
      return createCustomer(record, action, sender, ctx);
    case 'create-oc-service':
      return createOcService(record, action, sender, ctx);
    case 'add-site':
      return addSite(record, action, sender, ctx);
    case 'modify-site':
      return modifySite(record, action, sender, ctx);
  }
}

/** Nothing to send: unchanged (values adopted with --adopt are recorded now), not selected, or skipped (busy, conflict, excluded by --mode). */
function settleNoWrite(record: ActionRecord, action: NoWriteAction, ctx: TransitionContext): ActionRecord {
  const adopted = action.kind === 'unchanged' ? action.record.filter((r) => r.adopted) : [];
  if (adopted.length > 0) {
    ctx.recordApplied(adopted, record.customerGuid, record.siteGuid);
    record.messages.push("adopted: the sheet's values recorded as applied, nothing sent");
  }
  switch (action.kind) {
    case 'unchanged':
      // An interrupted run's create or add that had landed: this run found it done.
      record.status = record.kind === action.kind ? 'unchanged' : 'succeeded';
      return record;
    case 'not-selected':
      record.status = 'not-selected';
      return record;
    case 'conflict':
      // A conflict is why the row was not applied: its reasons are the row's error too.
      record.error = action.reasons.map((r) => r.message).join('; ') || 'conflict';
      record.status = 'skipped';
      return record;
    case 'busy':
    case 'excluded':
      record.status = 'skipped';
      return record;
  }
}
