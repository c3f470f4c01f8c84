import pLimit from 'p-limit';
import { TASK_SUCCESS, type LivePlatform } from '../api/types.js';
import { createRedactor, type Redactor } from '../model/redact.js';
import type { AppliedState, JournalEntry, PlannedAction } from '../plan/types.js';
import { createReadBack, lookFor, ocReadBackWaitMs, wasSentAgain, type ReadBack } from './read-back.js';
import type { ActionResult, ApplyEvent, ApplyStore, ReadBackOptions } from './types.js';

export interface ResolveOptions {
  client: LivePlatform;
  store: ApplyStore;
  runId: string;
  concurrency?: number;
  readBack?: ReadBackOptions;
  taskTimeoutMs?: number;
  signal?: AbortSignal;
  redactor?: Redactor;
  onEvent?: (event: ApplyEvent) => void;
}

/** What reading back found for the interrupted run's unfinished actions. */
export interface Resolution {
  /** The run's journal after resolution. */
  entries: JournalEntry[];
  /** Actions found done on the platform although their answer was never seen. */
  foundDone: string[];
  /** Actions still not known to have happened or not: never re-sent by the resumed run. */
  stillUnknown: string[];
}

const UNFINISHED = new Set(['in-flight', 'unknown']);

/**
 * Before a resumed run sends anything, each action the interrupted run left `in-flight` or
 * `unknown` is read back: a create with a task id waits for the task; one without looks for the
 * short name in the listing for a while; an add looks for the site name in its customer.
 * Found → `succeeded`; not there → `pending` (the fresh plan sends it); a modify is left to the
 * fresh plan (it compares read-back values, and PATCH is idempotent).
 */
export async function resolveInterrupted(options: ResolveOptions): Promise<Resolution> {
  const { client, store, runId, signal } = options;
  const redactor = options.redactor ?? createRedactor();
  const waitMs = options.readBack?.waitMs ?? 5_000;
  const intervalMs = options.readBack?.intervalMs ?? 500;
  const limit = pLimit(options.concurrency ?? 4);
  const slot = <T>(fn: () => Promise<T>): Promise<T> => limit(fn);
  const readBack = createReadBack(client, slot);
  const foundDone: string[] = [];
  const stillUnknown: string[] = [];
  const say = (message: string, actionId: string): void =>
    options.onEvent?.({ type: 'message', level: 'info', message: redactor.text(message), actionId });

  const unfinished = store.journal(runId).filter((e) => UNFINISHED.has(e.status));
  await Promise.all(
    unfinished.map(async (entry) => {
      let resolved: JournalEntry;
      try {
        resolved = await resolveOne(entry, client, readBack, {
          waitMs,
          intervalMs,
          signal,
          taskTimeoutMs: options.taskTimeoutMs,
        });
      } catch (error) {
        resolved = {
          ...entry,
          status: 'unknown',
          error: redactor.text(error instanceof Error ? error.message : String(error)),
        };
      }
      resolved = {
        ...resolved,
        messages: resolved.messages.map((m) => redactor.text(m)),
        error: resolved.error === null ? null : redactor.text(resolved.error),
      };
      store.putJournal(resolved);
      if (resolved.status === 'succeeded') foundDone.push(entry.actionId);
      if (resolved.status === 'unknown') stillUnknown.push(entry.actionId);
      say(`${entry.actionId}: ${entry.status} → ${resolved.status}`, entry.actionId);
    }),
  );
  return { entries: store.journal(runId), foundDone, stillUnknown };
}

async function resolveOne(
  entry: JournalEntry,
  client: LivePlatform,
  readBack: ReadBack,
  o: { waitMs: number; intervalMs: number; signal?: AbortSignal; taskTimeoutMs?: number },
): Promise<JournalEntry> {
  const note = (m: string): string[] => [...entry.messages, m];
  const siteName = entry.siteName ?? entry.customerShortName;
  switch (entry.kind) {
    case 'create-customer':
    case 'create-oc-service': {
      if (entry.taskId) {
        const task = await client.waitForTask(entry.taskId, { timeoutMs: o.taskTimeoutMs, signal: o.signal });
        if (task.status !== TASK_SUCCESS) {
          // A failed task may be the duplicate of lpsync's own first request (sent again after a lost
          // answer): then the listing decides. Otherwise the service found is someone else's.
          const found = wasSentAgain(entry.messages)
            ? await readBack.findCustomer(entry.customerShortName)
            : null;
          if (!found) {
            const reason = task.executionMessages.find((m) => m.level.toLowerCase() === 'error')?.message;
            return {
              ...entry,
              status: 'failed',
              error: `task ${task.id} ended ${task.status}${reason ? `: ${reason}` : ''}`,
            };
          }
        }
      }
      const found = await lookFor(
        () => readBack.findCustomer(entry.customerShortName),
        // As long as the run itself looks: a lost OC create's service appears only when its task is done.
        entry.kind === 'create-oc-service' && !entry.taskId ? ocReadBackWaitMs(o.waitMs) : o.waitMs,
        o.intervalMs,
        o.signal,
      );
      if (!found && o.signal?.aborted) return entry; // stopped looking: still not known
      if (!found)
        return {
          ...entry,
          status: 'pending',
          messages: note('interrupted before the platform had it: sent again'),
        };
      const site = found.sites.find((s) => s.name.trim() === siteName.trim());
      return {
        ...entry,
        status: 'succeeded',
        customerGuid: found.customerGuid,
        siteGuid: site?.id ?? found.customerGuid,
        messages: note(`interrupted, then found on the platform as ${found.customerGuid}`),
      };
    }
    case 'add-site': {
      const guid = entry.customerGuid;
      if (!guid) return { ...entry, status: 'pending', messages: note('interrupted before it was sent') };
      const site = await lookFor(() => readBack.findSite(guid, siteName), o.waitMs, o.intervalMs, o.signal);
      if (!site && o.signal?.aborted) return entry; // stopped looking: still not known
      if (!site)
        return {
          ...entry,
          status: 'pending',
          messages: note('interrupted before the platform had it: sent again'),
        };
      return {
        ...entry,
        status: 'succeeded',
        siteGuid: site.id,
        messages: note(`interrupted, then found on the platform as ${site.id}`),
      };
    }
    default:
      return {
        ...entry,
        status: 'pending',
        messages: note('interrupted: the fresh plan compares read-back values'),
      };
  }
}

/**
 * Which of the fresh plan's actions the interrupted run already settled, as results to report
 * instead of sending: done and now `unchanged`; refused (a finished failure is not re-sent);
 * still unknown (never re-sent blindly).
 */
export function settledFromJournal(
  entries: JournalEntry[],
  actions: PlannedAction[],
): Map<string, ActionResult> {
  const byId = new Map(entries.map((e) => [e.actionId, e]));
  const settled = new Map<string, ActionResult>();
  for (const action of actions) {
    const entry = byId.get(action.id);
    if (!entry) continue;
    const done = entry.status === 'succeeded' && action.kind === 'unchanged';
    const refused = entry.status === 'failed' && action.request !== undefined;
    const unknown = entry.status === 'unknown' && action.request !== undefined;
    if (!done && !refused && !unknown) continue;
    settled.set(action.id, {
      actionId: action.id,
      kind: entry.kind,
      rows: action.rows,
      customerShortName: action.customerShortName,
      siteName: action.siteName ?? null,
      status: entry.status === 'succeeded' ? 'succeeded' : entry.status === 'failed' ? 'failed' : 'unknown',
      customerGuid: entry.customerGuid,
      siteGuid: entry.siteGuid,
      deploymentState: entry.deploymentState,
      taskId: entry.taskId,
      messages: [...entry.messages, 'settled before the run was resumed'],
      error: entry.error,
      attempts: entry.attempts,
      durationMs: entry.durationMs ?? 0,
    });
  }
  return settled;
}

/**
 * Short names of services that journal entries show lpsync created (a kill may have come between
 * the create and recording its customer-level values) and that the state store has no record of.
 */
export function createdUnrecorded(entries: JournalEntry[], applied: AppliedState): Set<string> {
  const names = new Set<string>();
  for (const e of entries)
    if (
      (e.kind === 'create-customer' || e.kind === 'create-oc-service') &&
      e.status === 'succeeded' &&
      !applied.customers.has(e.customerShortName)
    )
      names.add(e.customerShortName);
  return names;
}
