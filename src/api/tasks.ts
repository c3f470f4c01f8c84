/**
 * The platform's asynchronous tasks: reading one, waiting (with a growing poll interval) until it ends,
 * and the error for one that ended failed.
 */
import { redactText, type Redactor } from '../model/redact.js';
import { segment, type EndpointCalls } from './endpoint-call.js';
import { ApiError } from './errors.js';
import type { NormalisedClientOptions } from './options.js';
import { sleep } from './retry.js';
import { isTaskInProgress, parseTask } from './schemas.js';
import type { LivePlatform, TaskStatus, WaitForTaskOptions } from './types.js';

type TaskSettings = Pick<NormalisedClientOptions, 'task' | 'redactor' | 'signal'>;

/** `getTask` and `waitForTask` over the client's calls. */
export function taskEndpoints(
  calls: EndpointCalls,
  o: TaskSettings,
): Pick<LivePlatform, 'getTask' | 'waitForTask'> {
  const getTask = async (taskId: string): Promise<TaskStatus> =>
    (await calls.read(
      { method: 'GET', path: `/api/v2/task/${segment(taskId)}` },
      'GET /api/v2/task/{taskId}',
      (json) => parseTask(json, taskId),
    )) as TaskStatus;

  const waitForTask = async (taskId: string, wait: WaitForTaskOptions = {}): Promise<TaskStatus> => {
    const timeoutMs = wait.timeoutMs ?? o.task.timeoutMs;
    const signals = [wait.signal, o.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const deadline = Date.now() + timeoutMs;
    let interval = o.task.pollIntervalMs;
    for (;;) {
      const task = await getTask(taskId);
      if (!isTaskInProgress(task.status)) return task;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw taskTimeout(taskId, task.status, timeoutMs, o.redactor);
      await sleep(Math.min(interval, remaining), signal);
      interval = Math.min(o.task.maxPollIntervalMs, Math.round(interval * 1.5));
    }
  };

  return { getTask, waitForTask };
}

/** A task still running at the deadline: named by the id that was asked for. */
function taskTimeout(
  taskId: string,
  status: string,
  timeoutMs: number,
  redactor: Pick<Redactor, 'text'>,
): ApiError {
  return new ApiError(
    redactor.text(`Task ${taskId} was still ${status} after ${Math.round(timeoutMs / 1000)} s.`),
    {
      code: 'task-timeout',
      method: 'GET',
      path: `/api/v2/task/${segment(taskId)}`,
      hint: 'The platform may still finish it: run reconcile later to see whether the change landed.',
    },
  );
}

/** The error to report for a task that ended in a failed state: its `Error` messages, or its status. */
export function taskFailure(
  task: TaskStatus,
  redactor: Pick<Redactor, 'text'> = { text: redactText },
): ApiError {
  const errors = task.executionMessages
    .filter((m) => m.level.toLowerCase() === 'error')
    .map((m) => m.message);
  const reason = errors.length ? errors.join('; ') : task.details.join('; ') || 'no reason given';
  return new ApiError(redactor.text(`Task ${task.id} ended ${task.status}: ${reason}`), {
    code: 'task-failed',
    method: 'GET',
    path: `/api/v2/task/${segment(task.id)}`,
    hint: 'Correct the row as the message says; the service was not created.',
  });
}
