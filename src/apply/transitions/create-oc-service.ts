import { isTaskInProgress } from '../../api/schemas.js';
import { TASK_SUCCESS, type TaskStatus } from '../../api/types.js';
import type { ActionRecord } from '../../model/action-record.js';
import type { CreateOcServiceAction } from '../../plan/types.js';
import type { Sender, TransitionContext } from '../context.js';
import { ocReadBackWaitMs } from '../read-back.js';
import { settleWrite, settledBadly } from '../settle-write.js';
import { followUp } from './follow-up.js';
import { useFoundCustomer } from './found.js';

/**
 * Create OC Essentials Service from Lead: the create answers a task id (journaled before the long wait);
 * the task's success is the fact, the listing adds the GUIDs; then the follow-up Modify. A record that
 * already has a task id (an interrupted run's) waits for that task instead of sending again.
 */
export async function createOcService(
  record: ActionRecord,
  action: CreateOcServiceAction,
  sender: Sender,
  ctx: TransitionContext,
): Promise<void> {
  const siteName = action.siteName ?? action.customerShortName;
  const findIt = () => ctx.readBack.findCustomer(action.customerShortName);
  if (record.taskId === null) {
    const s = await settleWrite(record, sender, ctx, () => ctx.client.createOcService(action.request.body), {
      find: findIt,
      // An OC service shows in the listing only once its task is done: look for longer.
      waitMs: ocReadBackWaitMs(ctx.settings.readBackWaitMs),
    });
    if (settledBadly(record, s, ctx)) return;
    if (s.kind === 'found')
      return done(record, action, sender, ctx, () => useFoundCustomer(record, s.found, siteName));
    if (s.kind !== 'ok') return;
    record.taskId = s.value.jobId;
    await ctx.journalDurable(record); // the task id, durable before the (long) wait
  } else {
    record.messages.push(`waiting again for task ${record.taskId} of an interrupted run`);
  }
  const taskId = record.taskId;
  ctx.emit({ type: 'message', level: 'debug', message: `waiting for task ${taskId}`, actionId: action.id });
  let task: TaskStatus;
  try {
    task = await ctx.client.waitForTask(taskId, {
      timeoutMs: ctx.settings.taskTimeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (error) {
    record.status = 'unknown';
    record.error = `task ${taskId} did not finish while lpsync waited (${error instanceof Error ? error.message : String(error)}); \`apply --resume\` waits for it again`;
    return;
  }
  for (const m of task.executionMessages) record.messages.push(`${m.level}: ${m.message}`);
  if (task.status !== TASK_SUCCESS) {
    // Sent twice: the first request may have gone through, and this task failed as its duplicate.
    const first = record.sentTwice ? await findIt() : null;
    if (first) {
      record.messages.push(`task ${task.id} ended ${task.status}: the first request had created it`);
      return done(record, action, sender, ctx, () => useFoundCustomer(record, first, siteName));
    }
    record.status = 'failed';
    const reason = task.executionMessages.find((m) => m.level.toLowerCase() === 'error');
    record.error = `task ${task.id} ended ${task.status}${reason ? `: ${reason.message}` : ''}`;
    return;
  }
  // The listing only adds GUIDs: a failed look does not undo the task's success.
  const found = await findIt().catch((error: unknown) => {
    record.messages.push(
      `created, but reading its GUIDs back failed (${error instanceof Error ? error.message : String(error)})`,
    );
    return null;
  });
  return done(record, action, sender, ctx, () => {
    if (found) return useFoundCustomer(record, found, siteName);
    // Not in the listing (unread, or not shown yet): the task's GUID, which a one-location service's site shares.
    record.customerGuid ??= task.customerGuid;
    record.siteGuid ??= task.customerGuid;
  });
}

async function done(
  record: ActionRecord,
  action: CreateOcServiceAction,
  sender: Sender,
  ctx: TransitionContext,
  useGuids: () => void,
): Promise<void> {
  useGuids();
  ctx.recordApplied(action.record, record.customerGuid, record.siteGuid);
  record.status = 'succeeded';
  await followUp(record, action, sender, ctx);
}

/**
 * What an interrupted run's OC task says, when the fresh plan no longer creates the service: null when it
 * succeeded (or cannot be told), else why it failed — the service that exists is then not lpsync's.
 */
export async function failedTask(
  ask: { taskId: string; sentTwice: boolean },
  ctx: TransitionContext,
): Promise<string | null> {
  const task = await ctx.slot(() => ctx.client.getTask(ask.taskId)).catch(() => null);
  // A failed duplicate of lpsync's own first request (sent twice) does not make the create someone else's.
  if (!task || task.status === TASK_SUCCESS || ask.sentTwice) return null;
  if (isTaskInProgress(task.status)) return null;
  const reason = task.executionMessages.find((m) => m.level.toLowerCase() === 'error');
  return `task ${task.id} of the interrupted run ended ${task.status}${reason ? `: ${reason.message}` : ''}`;
}
