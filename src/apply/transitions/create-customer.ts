import type { ActionRecord } from '../../model/action-record.js';
import type { CreateCustomerAction } from '../../plan/types.js';
import type { Sender, TransitionContext } from '../context.js';
import { settleWrite, settledBadly } from '../settle-write.js';
import { followUp } from './follow-up.js';
import { useFoundCustomer } from './found.js';

/** Create Essentials Customer / Hosted Essentials Service (synchronous), then the follow-up Modify. */
export async function createCustomer(
  record: ActionRecord,
  action: CreateCustomerAction,
  sender: Sender,
  ctx: TransitionContext,
): Promise<void> {
  const s = await settleWrite(record, sender, ctx, () => ctx.client.createCustomer(action.request.body), {
    find: () => ctx.readBack.findCustomer(action.customerShortName),
    waitMs: ctx.settings.readBackWaitMs,
  });
  if (settledBadly(record, s, ctx)) return;
  if (s.kind === 'ok') {
    record.customerGuid = s.value.customerGuid;
    record.siteGuid = s.value.siteLocationIds[0] ?? s.value.customerGuid;
    record.deploymentState = s.value.deploymentState;
    for (const m of [s.value.progressDetails, s.value.errorDetails]) if (m) record.messages.push(m);
  } else if (s.kind === 'found') {
    useFoundCustomer(record, s.found, action.siteName ?? action.customerShortName);
  }
  // Recorded before the journal says succeeded: a journal `succeeded` implies the digests are stored.
  ctx.recordApplied(action.record, record.customerGuid, record.siteGuid);
  record.status = 'succeeded';
  await followUp(record, action, sender, ctx);
}
