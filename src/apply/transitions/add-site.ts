import type { ActionRecord } from '../../model/action-record.js';
import type { AddSiteAction } from '../../plan/types.js';
import type { Sender, TransitionContext } from '../context.js';
import { settleWrite, settledBadly } from '../settle-write.js';
import { followUp } from './follow-up.js';

/** Add SIP Connection to its customer (whose GUID a create earlier in this run may have given), then the follow-up Modify. */
export async function addSite(
  record: ActionRecord,
  action: AddSiteAction,
  sender: Sender,
  ctx: TransitionContext,
): Promise<void> {
  const guid = action.request.customerGuid ?? record.customerGuid;
  if (!guid) {
    record.status = 'failed';
    record.error = `the GUID of customer ${action.customerShortName} is not known`;
    return;
  }
  record.customerGuid = guid;
  const siteName = action.siteName ?? action.customerShortName;
  const s = await settleWrite(record, sender, ctx, () => ctx.client.addSite(guid, action.request.body), {
    find: () => ctx.readBack.findSite(guid, siteName),
    waitMs: ctx.settings.readBackWaitMs,
  });
  if (settledBadly(record, s, ctx)) return;
  if (s.kind === 'ok') {
    record.siteGuid = s.value.siteGuid;
    for (const m of s.value.executionMessages) record.messages.push(`${m.level}: ${m.message}`);
  } else if (s.kind === 'found') {
    record.siteGuid = s.found.id;
    record.deploymentState = s.found.sbcDeploymentState === null ? null : String(s.found.sbcDeploymentState);
    record.messages.push(`found on the platform as ${s.found.id}`);
  }
  ctx.recordApplied(action.record, record.customerGuid, record.siteGuid);
  record.status = 'succeeded';
  await followUp(record, action, sender, ctx);
}
