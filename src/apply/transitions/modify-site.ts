import type { ActionRecord } from '../../model/action-record.js';
import type { ModifySiteAction } from '../../plan/types.js';
import type { Sender, TransitionContext } from '../context.js';
import { settleWrite, settledBadly } from '../settle-write.js';

/** Modify SIP Connection: a PATCH of the same values is safe to repeat, so a lost answer is simply sent again. */
export async function modifySite(
  record: ActionRecord,
  action: ModifySiteAction,
  sender: Sender,
  ctx: TransitionContext,
): Promise<void> {
  const { customerGuid, siteGuid, body } = action.request;
  record.customerGuid = customerGuid;
  record.siteGuid = siteGuid;
  const s = await settleWrite(record, sender, ctx, () => ctx.client.modifySite(customerGuid, siteGuid, body));
  if (settledBadly(record, s, ctx)) return;
  if (s.kind === 'ok')
    for (const m of s.value.executionMessages) record.messages.push(`${m.level}: ${m.message}`);
  ctx.recordApplied(action.record, customerGuid, siteGuid);
  record.status = 'succeeded';
}
