import pLimit from 'p-limit';
import { asAction } from '../api/request-scope.js';
import { isFailure, type ActionRecord } from '../model/action-record.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import type { AppliedDigest, PlannedAction } from '../plan/types.js';
import { startingRecord, type Start } from './continue.js';
import type { TransitionContext } from './context.js';
import { createGroupCommit, journalFailure, type GroupCommit } from './group-commit.js';
import { createReadBack } from './read-back.js';
import { createKeyedSerialiser } from './serial.js';
import { failedTask } from './transitions/create-oc-service.js';
import { advance } from './transitions/index.js';
import { createStops } from './stops.js';
import type { ApplyOptions, ApplyResult } from './types.js';

/**
 * Runs a plan. A scheduler only: request slots (p-limit), writes to one customer one at a time, a site after
 * the create it depends on, stop on Ctrl-C / --max-errors / a run-ending fault. What each action sends is its
 * transition's business (`advance`). Every record is journaled before its request leaves and when it ends.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { plan, client, store, runId, settings, signal, redactor } = options;
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);
  const startedAt = now().toISOString();

  // Write slots follow the client's request budget: writes do not queue at its gate journaled in flight.
  const limit = pLimit(Math.min(settings.concurrency, client.concurrency?.limit ?? Infinity));
  const unfollow = client.concurrency?.onChange((change) => {
    limit.concurrency = Math.min(settings.concurrency, change.to);
    emit({ type: 'concurrency', change });
  });
  const slot = <T>(fn: () => Promise<T>): Promise<T> => limit(fn);
  const serial = createKeyedSerialiser();

  const stops = createStops({ maxErrors: settings.maxErrors, signal, redactor, emit });
  const { countFailure, onFatal } = stops;
  // Journal entries and applied digests of one turn of the event loop: one transaction (group commit).
  const commits = createGroupCommit((writes) => (store.batch ? store.batch(writes) : writes()));
  const ctx: TransitionContext = {
    client,
    readBack: createReadBack(client, slot),
    settings,
    signal,
    slot,
    ...storeWrites(store, commits, runId, redactor),
    stopReason: stops.reason,
    writesForbidden: stops.writesForbidden,
    countFailure,
    emit,
    now,
  };

  const starts = plan.actions.map((action) =>
    startingRecord(runId, action, options.continuing?.get(action.id)),
  );
  emit({
    type: 'start',
    total: plan.actions.length,
    toSend: plan.actions.filter((a, i) => a.request !== undefined && !starts[i]!.settled).length,
  });
  // Every action's record is on disk before the first request leaves: one transaction for the plan.
  // (A store that cannot take it ends the run here, before anything was sent.)
  store.putJournal(starts.map((s) => redacted(s.record, redactor)));

  // Every action gets its promise before any starts, so a dependency later in the list is found.
  const done = new Map<string, Promise<ActionRecord>>();
  const settle = async (action: PlannedAction, start: Start): Promise<ActionRecord> => {
    // Requests sent for this action are attributed to it in the audit trail.
    const record = await asAction(action.id, () => run(action, start, done, ctx, serial, onFatal));
    if (isFailure(record.status)) countFailure(action.id);
    const shown = redacted(record, redactor);
    emit({ type: 'action-end', action, record: shown });
    return shown;
  };
  plan.actions.forEach((action, i) => done.set(action.id, settle(action, starts[i]!)));
  const records = await Promise.all(plan.actions.map((a) => done.get(a.id)!)).finally(unfollow);
  closeJournal(commits, store, records, onFatal);
  return {
    runId,
    records,
    stoppedBy: stops.reason(),
    fatal: stops.fatal(),
    interruptedBy: stops.interruptedBy(),
    startedAt,
    endedAt: now().toISOString(),
  };
}

async function run(
  action: PlannedAction,
  start: Start,
  done: ReadonlyMap<string, Promise<ActionRecord>>,
  ctx: TransitionContext,
  serial: ReturnType<typeof createKeyedSerialiser>,
  onFatal: (error: RunError) => void,
): Promise<ActionRecord> {
  if (start.settled) return start.record;
  const record = { ...start.record };
  if (start.askTask) {
    const failure = await failedTask(start.askTask, ctx);
    if (failure !== null) {
      record.status = 'failed';
      record.error = failure;
      ctx.journal(record);
      return record;
    }
  }
  for (const id of action.dependsOn) {
    const dep = await done.get(id);
    if (!dep) continue;
    // A create whose follow-up failed still made the customer: its sites can be added.
    const usable =
      dep.status === 'succeeded' ||
      dep.status === 'unchanged' ||
      (dep.status === 'failed' && dep.customerGuid !== null);
    if (!usable) {
      // A dependency not done or not known to be done leaves this one to the resumed or next run;
      // one that failed or was skipped needs a person first.
      const notRun = dep.status === 'not-run' || dep.status === 'unknown' || dep.status === 'pending';
      record.status = notRun ? 'not-run' : 'skipped';
      record.error = `not sent: ${id} ${dep.status === 'not-run' ? 'was not run' : `ended ${dep.status}`}`;
      if (!notRun) ctx.journal(record);
      return record;
    }
    record.customerGuid ??= dep.customerGuid;
  }
  const ended = await serial(action.customerShortName, () => advance(record, action, ctx, onFatal));
  // Not sent and nothing else to say: the journal's record still stands (pending), so say not-run once.
  if (ended.status === 'pending' && action.request !== undefined) return { ...ended, status: 'not-run' };
  if (action.request === undefined) ctx.journal(ended);
  return ended;
}

/**
 * The journal's last writes: what is queued, then the actions never sent (in one transaction, not one each).
 * A store that fails here ends the run as a fault; the records in hand stay as they are, for the report.
 */
function closeJournal(
  commits: GroupCommit,
  store: ApplyOptions['store'],
  records: readonly ActionRecord[],
  onFatal: (error: RunError) => void,
): void {
  try {
    commits.flush();
    const notRun = records.filter((r) => r.status === 'not-run');
    if (notRun.length > 0) store.putJournal(notRun);
  } catch (error) {
    onFatal(journalFailure(error));
  }
}

/** What the transitions write to the store: through the group commit, and the journal through the redactor. */
function storeWrites(
  store: ApplyOptions['store'],
  commits: GroupCommit,
  runId: string,
  redactor: Redactor,
): Pick<TransitionContext, 'journal' | 'journalDurable' | 'recordApplied'> {
  return {
    // The journal is on disk: what it keeps goes through the redactor, like every report and log.
    journal: (record) => {
      const shown = redacted(record, redactor);
      commits.write(() => store.putJournal(shown));
    },
    journalDurable: (record) => {
      const shown = redacted(record, redactor);
      return commits.durable(() => store.putJournal(shown));
    },
    recordApplied: (digests, customerGuid, siteGuid) => {
      if (digests.length === 0) return;
      const rows = withGuids(digests, customerGuid, siteGuid);
      commits.write(() => store.recordApplied(runId, rows));
    },
  };
}

/** A record as it may be stored and shown: messages and error through the redactor. */
function redacted(record: ActionRecord, redactor: Redactor): ActionRecord {
  return {
    ...record,
    messages: record.messages.map((m) => redactor.text(m)),
    error: record.error === null ? null : redactor.text(record.error),
  };
}

function withGuids(records: readonly AppliedDigest[], customerGuid: string | null, siteGuid: string | null) {
  return records.map((r) => ({ ...r, customerGuid, siteGuid: r.siteName === undefined ? null : siteGuid }));
}
