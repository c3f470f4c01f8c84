import type { ActionRecord } from '../../model/action-record.js';
import { followUpMessage } from '../../model/field-limits.js';
import type { AddSiteAction, CreateCustomerAction, CreateOcServiceAction } from '../../plan/types.js';
import type { Sender, TransitionContext } from '../context.js';
import { settleWrite } from '../settle-write.js';

/**
 * The fields a create or add could not carry, sent by a Modify SIP Connection to the site just made.
 * The action succeeded only when this did too; its messages name each field it set.
 */
export async function followUp(
  record: ActionRecord,
  action: CreateCustomerAction | CreateOcServiceAction | AddSiteAction,
  sender: Sender,
  ctx: TransitionContext,
): Promise<void> {
  const next = action.followUp;
  const { customerGuid, siteGuid } = record;
  if (!next) return;
  const fields = Object.keys(next.body).filter((k) => k !== 'siteLocationName' && k !== 'sbcSiteName');
  if (!customerGuid || !siteGuid) {
    // Created, but where its SIP connection is is not known: nothing is sent to a guessed GUID.
    record.status = 'failed';
    record.error = `created, but its SIP connection "${next.body.siteLocationName}" was not found on the platform, so the remaining fields (${fields.join(', ')}) were not sent; the next run sets them once it is there`;
    return;
  }
  const s = await settleWrite(record, sender, ctx, () =>
    ctx.client.modifySite(customerGuid, siteGuid, next.body),
  );
  if (s.kind === 'ok') {
    record.messages.push(followUpMessage(action.request.endpoint, fields));
    for (const m of s.value.executionMessages) record.messages.push(`${m.level}: ${m.message}`);
    ctx.recordApplied(next.record, customerGuid, siteGuid);
    record.status = 'succeeded';
    return;
  }
  const made = action.kind === 'add-site' ? 'added' : 'created';
  record.status = s.kind === 'unknown' ? 'unknown' : 'failed';
  // Only a run that may send nothing more (its lock lost, its journal unwritable) stops a started action.
  record.error =
    s.kind === 'failed' || s.kind === 'unknown'
      ? `${made}, but setting the remaining fields failed: ${s.error.message}`
      : `${made}, but the remaining fields (${fields.join(', ')}) were not sent: the run stopped; the next run sets them`;
}
