import pLimit from 'p-limit';
import { TASK_SUCCESS, type TaskStatus, type WriteResult } from '../api/types.js';
import { RunError } from '../model/errors.js';
import { followUpMessage } from '../model/field-limits.js';
import { createRedactor, type Redactor } from '../model/redact.js';
import type { AppliedDigest, JournalEntry, JournalStatus, PlannedAction } from '../plan/types.js';
import { createKeyedSerialiser } from './serial.js';
import { createRateGate } from './rate-gate.js';
import { createReadBack, lookFor, ocReadBackWaitMs, SENT_AGAIN, wasSentAgain } from './read-back.js';
import type {
  ActionResult,
  ActionStatus,
  ApplyEvent,
  ApplyOptions,
  ApplyResult,
  StopReason,
} from './types.js';

const DEFAULTS = {
  concurrency: 4,
  readBackWaitMs: 5_000,
  readBackIntervalMs: 500,
  taskTimeoutMs: 15 * 60_000,
};

interface Settings {
  concurrency: number;
  rate: number | undefined;
  maxErrors: number | undefined;
  readBackWaitMs: number;
  readBackIntervalMs: number;
  taskTimeoutMs: number;
}

/** Options normalised in one place: defaults, and a precise TypeError for nonsense. */
function normalise(options: ApplyOptions): Settings {
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new TypeError(`Invalid concurrency: expected an integer ≥ 1, got ${String(concurrency)}`);
  if (options.rate !== undefined && !(options.rate > 0))
    throw new TypeError(`Invalid rate: expected a positive number, got ${String(options.rate)}`);
  if (options.maxErrors !== undefined && !(Number.isInteger(options.maxErrors) && options.maxErrors >= 1))
    throw new TypeError(`Invalid maxErrors: expected an integer ≥ 1, got ${String(options.maxErrors)}`);
  return {
    concurrency,
    rate: options.rate,
    maxErrors: options.maxErrors,
    readBackWaitMs: options.readBack?.waitMs ?? DEFAULTS.readBackWaitMs,
    readBackIntervalMs: options.readBack?.intervalMs ?? DEFAULTS.readBackIntervalMs,
    taskTimeoutMs: options.taskTimeoutMs ?? DEFAULTS.taskTimeoutMs,
  };
}

/** A write settled: answered, found by reading back after a lost answer, refused, still unknown, or never sent. */
type Settled<T, F> =
  | { kind: 'ok'; value: T }
  | { kind: 'found'; found: F }
  | { kind: 'failed'; error: Error }
  | { kind: 'unknown'; error: Error }
  | { kind: 'stopped' };

/** The part of an action's result that its run fills in as it goes. */
type Outcome = Pick<
  ActionResult,
  'status' | 'customerGuid' | 'siteGuid' | 'deploymentState' | 'taskId' | 'messages' | 'error'
>;

/**
 * Runs a plan: request slots (p-limit) plus an optional rate cap, writes to one customer one
 * at a time, a site after the create it depends on, every action journaled before it is sent
 * and when it ends. Never throws for a row: row problems are results.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const settings = normalise(options);
  const { plan, client, store, runId, signal } = options;
  const redactor: Redactor = options.redactor ?? createRedactor();
  const now = options.now ?? (() => new Date());
  const emit = (event: ApplyEvent): void => options.onEvent?.(event);
  const startedAt = now().toISOString();

  const limit = pLimit(settings.concurrency);
  const gate = createRateGate(settings.rate);
  const slot = <T>(fn: () => Promise<T>): Promise<T> =>
    limit(async () => {
      await gate();
      return fn();
    });
  const serial = createKeyedSerialiser();
  const readBack = createReadBack(client, slot);

  let failures = 0;
  let stoppedBy: StopReason | null = null;
  let fatal: RunError | null = null;
  const stopping = (): boolean => {
    if (stoppedBy === null && signal?.aborted) stoppedBy = 'interrupted';
    return stoppedBy !== null;
  };
  const countFailure = (): void => {
    failures += 1;
    if (settings.maxErrors !== undefined && failures >= settings.maxErrors && stoppedBy === null) {
      stoppedBy = 'max-errors';
      emit({
        type: 'message',
        level: 'warn',
        message: `${failures} actions failed: no further actions are sent`,
      });
    }
  };

  // The journal is on disk: what it keeps goes through the redactor, like every report and log.
  const putJournal = (entries: JournalEntry | readonly JournalEntry[]): void =>
    store.putJournal(
      (Array.isArray(entries) ? entries : [entries]).map((entry: JournalEntry) => ({
        ...entry,
        messages: entry.messages.map((m) => redactor.text(m)),
        error: entry.error === null ? null : redactor.text(entry.error),
      })),
    );

  const settled = options.settled ?? new Map<string, ActionResult>();
  const toSend = plan.actions.filter((a) => a.request && !settled.has(a.id)).length;
  emit({ type: 'start', total: plan.actions.length, toSend });

  putJournal(
    plan.actions
      .filter((action) => !settled.has(action.id))
      .map((action) =>
        journalEntry(runId, action, action.request ? 'pending' : 'skipped', blankOutcome(action)),
      ),
  );

  // Every action gets its promise before any starts, so a dependency later in the list is found.
  const deferred = new Map<string, { promise: Promise<ActionResult>; resolve: (r: ActionResult) => void }>();
  for (const action of plan.actions) {
    let resolve!: (r: ActionResult) => void;
    const promise = new Promise<ActionResult>((r) => (resolve = r));
    deferred.set(action.id, { promise, resolve });
  }

  const finish = (
    action: PlannedAction,
    outcome: Outcome,
    attempts: number,
    startedMs: number,
    counted = false,
  ): ActionResult => {
    const result = resultOf(
      action,
      outcome,
      attempts,
      startedMs === 0 ? 0 : Date.now() - startedMs,
      redactor,
    );
    if ((result.status === 'failed' || result.status === 'unknown') && !counted) countFailure();
    emit({ type: 'action-end', action, result });
    return result;
  };

  const runAction = async (action: PlannedAction): Promise<ActionResult> => {
    const base = blankOutcome(action);
    const adopted = action.kind === 'unchanged' ? action.record.filter((r) => r.adopted) : [];
    const earlier = settled.get(action.id);
    if (earlier) {
      // A create the interrupted run made but could not record: its values are recorded now.
      if (adopted.length > 0)
        store.recordApplied(runId, withGuids(adopted, base.customerGuid, base.siteGuid));
      emit({ type: 'action-end', action, result: earlier });
      return earlier;
    }
    const reasons = action.reasons.map((r) => r.message);
    if (!action.request) {
      const status: ActionStatus = action.kind === 'unchanged' ? 'unchanged' : 'skipped';
      if (adopted.length > 0) {
        store.recordApplied(runId, withGuids(adopted, base.customerGuid, base.siteGuid));
        reasons.push("adopted: the sheet's values recorded as applied, nothing sent");
      }
      // A conflict is why the row was not applied: its reasons are the row's error too.
      const error = action.kind === 'conflict' ? reasons.join('; ') || 'conflict' : null;
      return finish(action, { ...base, status, messages: reasons, error }, 0, 0);
    }

    let customerGuid = base.customerGuid;
    for (const dep of action.dependsOn) {
      const depResult = await deferred.get(dep)?.promise;
      if (!depResult) continue;
      // A create whose follow-up failed still made the customer: its sites can be added.
      const usable =
        depResult.status === 'succeeded' ||
        depResult.status === 'unchanged' ||
        (depResult.status === 'failed' && depResult.customerGuid !== null);
      if (!usable) {
        // A dependency not run (stopped, interrupted) or not known to be done leaves this one to the
        // resumed or next run, too; one that failed needs a person first.
        const notRun = depResult.status === 'not-run' || depResult.status === 'unknown';
        const outcome: Outcome = {
          ...base,
          status: notRun ? 'not-run' : 'skipped',
          messages: reasons,
          error: `not sent: ${dep} ${depResult.status === 'not-run' ? 'was not run' : `ended ${depResult.status}`}`,
        };
        putJournal(journalEntry(runId, action, notRun ? 'pending' : 'skipped', outcome));
        return finish(action, outcome, 0, 0);
      }
      customerGuid ??= depResult.customerGuid;
    }

    return serial(action.customerShortName, () => send(action, customerGuid, reasons));
  };

  const send = async (
    action: PlannedAction,
    customerGuid: string | null,
    reasons: string[],
  ): Promise<ActionResult> => {
    const startedMs = Date.now();
    const startedIso = now().toISOString();
    const outcome: Outcome = { ...blankOutcome(action), customerGuid, messages: [...reasons] };
    let attempts = 0;
    let sentOnce = false;
    let counted = false;
    const journal = (status: JournalStatus, end = false): void =>
      putJournal({
        ...journalEntry(runId, action, status, outcome),
        attempts,
        startedAt: startedIso,
        endedAt: end ? now().toISOString() : null,
        durationMs: end ? Date.now() - startedMs : null,
      });

    // The journal says in-flight BEFORE the request leaves; a stop is honoured only before the first send.
    const dispatch = <T>(write: () => Promise<WriteResult<T>>): Promise<WriteResult<T> | 'stopped'> =>
      slot(async () => {
        const first = !sentOnce;
        if (first && stopping()) return 'stopped' as const;
        if (first) emit({ type: 'action-start', action });
        sentOnce = true;
        journal('in-flight');
        const result = await write();
        attempts += result.attempts;
        // A refused first send is a failure for certain: count it before the slot frees, so that
        // --max-errors stops the very next dispatch.
        if (first && result.kind === 'failed') {
          counted = true;
          countFailure();
        }
        return result;
      });

    const settle = async <T, F>(
      write: () => Promise<WriteResult<T>>,
      find?: () => Promise<F | null>,
      waitMs = settings.readBackWaitMs,
    ): Promise<Settled<T, F>> => {
      const first = await dispatch(write);
      if (first === 'stopped') return { kind: 'stopped' };
      if (first.kind !== 'unknown-outcome')
        return first.kind === 'ok' ? first : { kind: 'failed', error: first.error };
      // Nothing to look for (a Modify): the client already repeated it within the retry budget.
      if (!find) {
        outcome.messages.push(`the answer was lost every time it was sent (${first.error.message})`);
        return { kind: 'unknown', error: first.error };
      }
      outcome.messages.push(`the answer was lost (${first.error.message}): reading back`);
      journal('unknown');
      const seen = await lookFor(find, waitMs, settings.readBackIntervalMs, signal);
      if (seen !== null) return { kind: 'found', found: seen };
      if (signal?.aborted) return { kind: 'unknown', error: first.error };
      outcome.messages.push(`not found on the platform: ${SENT_AGAIN}`);
      const second = await dispatch(write);
      if (second === 'stopped') return { kind: 'unknown', error: first.error };
      if (second.kind === 'ok') return second;
      // A refusal now may be the first attempt's commit showing up (duplicate name): look once more.
      const found = await find();
      if (found !== null) return { kind: 'found', found };
      return second.kind === 'failed'
        ? { kind: 'failed', error: second.error }
        : { kind: 'unknown', error: second.error };
    };

    const settleFailure = (s: Settled<unknown, unknown>): boolean => {
      if (s.kind === 'stopped') {
        outcome.status = 'not-run';
        outcome.messages.push(
          stoppedBy === 'max-errors'
            ? 'not sent: too many errors'
            : stoppedBy === 'fatal'
              ? 'not sent: the run stopped'
              : 'not sent: interrupted',
        );
        return true;
      }
      if (s.kind === 'failed' || s.kind === 'unknown') {
        outcome.status = s.kind;
        outcome.error = s.error.message;
        return true;
      }
      return false;
    };

    try {
      await perform(action, outcome, settle, settleFailure, journal);
      // Recorded before the journal says succeeded: a journal `succeeded` implies the digests are stored.
      if (outcome.status === 'succeeded' && action.record.length > 0) {
        store.recordApplied(runId, withGuids(action.record, outcome.customerGuid, outcome.siteGuid));
      }
      if (outcome.status === 'succeeded' && action.followUp) {
        await followUp(action, action.followUp, outcome, settle, settleFailure);
      }
    } catch (error) {
      if (error instanceof RunError) {
        // Auth refused, platform unreachable: no further action can succeed, so stop dispatching.
        fatal ??= new RunError(
          error.code,
          redactor.text(error.message),
          error.hint ? { hint: error.hint } : {},
        );
        stoppedBy ??= 'fatal';
      }
      // A read-back, task poll or refusal that threw: once sent, the write may have happened.
      if (outcome.status !== 'succeeded' || !(error instanceof RunError)) {
        outcome.status = sentOnce ? 'unknown' : error instanceof RunError ? 'not-run' : 'failed';
      }
      outcome.error = error instanceof Error ? error.message : String(error);
    }
    const final: JournalStatus =
      outcome.status === 'not-run' ? 'pending' : outcome.status === 'unchanged' ? 'skipped' : outcome.status;
    if (sentOnce || outcome.status !== 'not-run') journal(final, true);
    return finish(action, outcome, attempts, sentOnce ? startedMs : 0, counted);
  };

  // Fields a create/add body cannot carry go in a Modify SIP Connection to the site just made.
  const followUp = async (
    action: PlannedAction,
    next: NonNullable<PlannedAction['followUp']>,
    outcome: Outcome,
    settle: <T, F>(write: () => Promise<WriteResult<T>>) => Promise<Settled<T, F>>,
    settleFailure: (s: Settled<unknown, unknown>) => boolean,
  ): Promise<void> => {
    const customerGuid = outcome.customerGuid;
    const siteGuid = outcome.siteGuid;
    if (!customerGuid || !siteGuid) return;
    const s = await settle(() => client.modifySite(customerGuid, siteGuid, next.body));
    if (s.kind === 'stopped') return; // cannot happen after a first send; the next plan finds the fields unapplied
    if (settleFailure(s)) {
      outcome.error = `${action.kind === 'add-site' ? 'added' : 'created'}, but setting the remaining fields failed: ${outcome.error ?? ''}`;
      return;
    }
    const fields = Object.keys(next.body).filter((k) => k !== 'siteLocationName' && k !== 'sbcSiteName');
    outcome.messages.push(followUpMessage(action.request!.endpoint, fields));
    if (next.record.length > 0) store.recordApplied(runId, withGuids(next.record, customerGuid, siteGuid));
  };

  const perform = async (
    action: PlannedAction,
    outcome: Outcome,
    settle: <T, F>(
      write: () => Promise<WriteResult<T>>,
      find?: () => Promise<F | null>,
      waitMs?: number,
    ) => Promise<Settled<T, F>>,
    settleFailure: (s: Settled<unknown, unknown>) => boolean,
    journal: (status: JournalStatus) => void,
  ): Promise<void> => {
    const request = action.request!;
    const siteName = action.siteName ?? action.customerShortName;
    switch (request.endpoint) {
      case 'createCustomer': {
        const s = await settle(
          () => client.createCustomer(request.body),
          () => readBack.findCustomer(action.customerShortName),
        );
        if (settleFailure(s)) return;
        if (s.kind === 'ok') {
          outcome.customerGuid = s.value.customerGuid;
          outcome.siteGuid = s.value.siteLocationIds[0] ?? s.value.customerGuid;
          outcome.deploymentState = s.value.deploymentState;
          for (const m of [s.value.progressDetails, s.value.errorDetails]) if (m) outcome.messages.push(m);
        } else if (s.kind === 'found') {
          useFound(outcome, s.found, siteName);
        }
        outcome.status = 'succeeded';
        return;
      }
      case 'createOcService': {
        const s = await settle(
          () => client.createOcService(request.body),
          () => readBack.findCustomer(action.customerShortName),
          // An OC service shows in the listing only once its task is done: look for longer.
          ocReadBackWaitMs(settings.readBackWaitMs),
        );
        if (settleFailure(s)) return;
        if (s.kind === 'found') {
          useFound(outcome, s.found, siteName);
          outcome.status = 'succeeded';
          return;
        }
        if (s.kind !== 'ok') return;
        outcome.taskId = s.value.jobId;
        journal('in-flight'); // the task id, durable before the (long) wait
        emit({
          type: 'message',
          level: 'debug',
          message: `waiting for task ${s.value.jobId}`,
          actionId: action.id,
        });
        let task: TaskStatus;
        try {
          task = await client.waitForTask(s.value.jobId, { timeoutMs: settings.taskTimeoutMs, signal });
        } catch (error) {
          outcome.status = 'unknown';
          outcome.error = `task ${s.value.jobId} did not finish while lpsync waited (${error instanceof Error ? error.message : String(error)}); \`apply --resume\` waits for it again`;
          return;
        }
        for (const m of task.executionMessages) outcome.messages.push(`${m.level}: ${m.message}`);
        if (task.status !== TASK_SUCCESS) {
          // Sent twice: the first request may have gone through, and this task failed as its duplicate.
          const first = wasSentAgain(outcome.messages)
            ? await readBack.findCustomer(action.customerShortName)
            : null;
          if (first) {
            outcome.messages.push(`task ${task.id} ended ${task.status}: the first request had created it`);
            useFound(outcome, first, siteName);
            outcome.status = 'succeeded';
            return;
          }
          outcome.status = 'failed';
          outcome.error = `task ${task.id} ended ${task.status}${firstError(task)}`;
          return;
        }
        // The task's success is the fact; the listing only adds GUIDs, so a failed look does not undo it.
        const found = await readBack.findCustomer(action.customerShortName).catch((error: unknown) => {
          outcome.messages.push(
            `created, but reading its GUIDs back failed (${error instanceof Error ? error.message : String(error)})`,
          );
          return null;
        });
        if (found) useFound(outcome, found, siteName);
        else outcome.customerGuid = task.customerGuid;
        outcome.siteGuid ??= outcome.customerGuid;
        outcome.status = 'succeeded';
        return;
      }
      case 'addSite': {
        const guid = request.customerGuid ?? outcome.customerGuid;
        if (!guid) {
          outcome.status = 'failed';
          outcome.error = `the GUID of customer ${action.customerShortName} is not known`;
          return;
        }
        outcome.customerGuid = guid;
        const s = await settle(
          () => client.addSite(guid, request.body),
          () => readBack.findSite(guid, siteName),
        );
        if (settleFailure(s)) return;
        if (s.kind === 'ok') {
          outcome.siteGuid = s.value.siteGuid;
          for (const m of s.value.executionMessages) outcome.messages.push(`${m.level}: ${m.message}`);
        } else if (s.kind === 'found') {
          outcome.siteGuid = s.found.id;
          outcome.deploymentState =
            s.found.sbcDeploymentState === null ? null : String(s.found.sbcDeploymentState);
        }
        outcome.status = 'succeeded';
        return;
      }
      case 'modifySite': {
        outcome.customerGuid = request.customerGuid;
        outcome.siteGuid = request.siteGuid;
        // PATCH is a merge of the same values: sending it again after a lost answer is safe.
        const s = await settle(() => client.modifySite(request.customerGuid, request.siteGuid, request.body));
        if (settleFailure(s)) return;
        if (s.kind === 'ok')
          for (const m of s.value.executionMessages) outcome.messages.push(`${m.level}: ${m.message}`);
        outcome.status = 'succeeded';
        return;
      }
    }
  };

  const all = plan.actions.map((action) => {
    const d = deferred.get(action.id)!;
    const p = runAction(action).catch((error: unknown): ActionResult =>
      resultOf(
        action,
        {
          ...blankOutcome(action),
          status: 'unknown',
          error: error instanceof Error ? error.message : String(error),
        },
        0,
        0,
        redactor,
      ),
    );
    void p.then(d.resolve);
    return p;
  });
  const results = await Promise.all(all);
  return { runId, results, stoppedBy, fatal, startedAt, endedAt: now().toISOString() };
}

/** An action's result: who it is (from the plan), what became of it (redacted), what it cost. */
function resultOf(
  action: PlannedAction,
  outcome: Outcome,
  attempts: number,
  durationMs: number,
  redactor: Redactor,
): ActionResult {
  return {
    actionId: action.id,
    kind: action.kind,
    rows: action.rows,
    customerShortName: action.customerShortName,
    siteName: action.siteName ?? null,
    ...outcome,
    messages: outcome.messages.map((m) => redactor.text(m)),
    error: outcome.error === null ? null : redactor.text(outcome.error),
    attempts,
    durationMs,
  };
}

function blankOutcome(action: PlannedAction): Outcome {
  return {
    status: 'not-run',
    customerGuid: action.customerGuid ?? null,
    siteGuid: action.siteGuid ?? null,
    deploymentState: null,
    taskId: null,
    messages: [],
    error: null,
  };
}

function useFound(
  outcome: Outcome,
  found: {
    customerGuid: string;
    sites: Array<{ id: string; name: string; sbcDeploymentState: string | number | null }>;
  },
  siteName: string,
): void {
  outcome.customerGuid = found.customerGuid;
  const site = found.sites.find((s) => s.name.trim() === siteName.trim());
  outcome.siteGuid = site?.id ?? found.customerGuid;
  if (site && site.sbcDeploymentState !== null) outcome.deploymentState = String(site.sbcDeploymentState);
  outcome.messages.push(`found on the platform as ${found.customerGuid}`);
}

function firstError(task: TaskStatus): string {
  const error = task.executionMessages.find((m) => m.level.toLowerCase() === 'error');
  return error ? `: ${error.message}` : '';
}

function withGuids(records: AppliedDigest[], customerGuid: string | null, siteGuid: string | null) {
  return records.map((r) => ({ ...r, customerGuid, siteGuid: r.siteName === undefined ? null : siteGuid }));
}

/** The journal row for an action in a given state. */
export function journalEntry(
  runId: string,
  action: PlannedAction,
  status: JournalStatus,
  outcome: Outcome,
): JournalEntry {
  return {
    runId,
    actionId: action.id,
    kind: action.kind,
    status,
    customerShortName: action.customerShortName,
    siteName: action.siteName ?? null,
    customerGuid: outcome.customerGuid,
    siteGuid: outcome.siteGuid,
    taskId: outcome.taskId,
    attempts: 0,
    messages: outcome.messages,
    error: outcome.error,
    deploymentState: outcome.deploymentState,
    startedAt: null,
    endedAt: null,
    durationMs: null,
  };
}
