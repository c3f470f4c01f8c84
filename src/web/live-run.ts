/**
 * A run started in the console, as its page shows it: counts that move as actions end, the request
 * budget (concurrency, throttled answers), each failure with its message, and how it ended. Built from the
 * run's events only; every text goes through the redactor before it is kept, so nothing kept is secret.
 */
import type { ApplyCommandResult, ConcurrencyBudget, RunEvent } from '../run/index.js';

export type RunState = 'running' | 'stopping' | 'done' | 'interrupted' | 'failed';

export interface Failure {
  target: string;
  rows: string;
  status: string;
  message: string;
}

/** What the live page shows, and the server-sent events carry: plain data, masked. */
export interface RunView {
  state: RunState;
  /** What the run is doing: reading the input, reading the platform, applying, writing the report. */
  stage: string;
  /** Actions planned (0 until the run starts applying) and ended so far. */
  total: number;
  ended: number;
  /** Actions that ended with an outcome (not left `not-run` by a stop): what the progress bar shows. */
  done: number;
  toSend: number;
  byStatus: Record<string, number>;
  /** Requests allowed in flight now, and answers that asked lpsync to slow down (429/503). */
  concurrency: number | null;
  throttled: number;
  failures: Failure[];
  /** How many failures there are in all (the list keeps the first 200). */
  failureCount: number;
  /** The state store's id of the run, once an action ended (for resume and the audit trail). */
  runId: string | null;
  warnings: string[];
}

export interface LiveRun {
  readonly id: string;
  readonly sessionId: string;
  /** The account that started it (accounts mode); null in the token mode. */
  readonly owner: string | null;
  /** The saved plan it applies. */
  readonly planSha: string;
  readonly uploadId: string;
  readonly startedAt: Date;
  readonly controller: AbortController;
  /** Resolves when the run has ended (the server waits for it at shutdown). */
  settled: Promise<void>;
  view: RunView;
  /** How it ended, once it did. */
  result?: ApplyCommandResult;
  /** Calls `listener` after every change (throttled by the caller); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** The run's event: the view moves. */
  take(event: RunEvent): void;
  /** The run's end. */
  finish(result: ApplyCommandResult): void;
}

const MAX_FAILURES = 200;
const MAX_WARNINGS = 20;

export function createLiveRun(
  init: {
    id: string;
    sessionId: string;
    owner: string | null;
    planSha: string;
    uploadId: string;
    now: Date;
  },
  mask: (text: string) => string,
): LiveRun {
  const listeners = new Set<() => void>();
  let budget: ConcurrencyBudget | undefined;
  const changed = (): void => {
    if (budget) {
      run.view.concurrency = budget.limit;
      run.view.throttled = budget.report().throttled;
    }
    for (const listener of listeners) listener();
  };
  const run: LiveRun = {
    ...init,
    startedAt: init.now,
    controller: new AbortController(),
    settled: Promise.resolve(),
    view: emptyView(),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    take: (event) => {
      if (event.type === 'client') budget = event.concurrency;
      takeEvent(run.view, event, mask);
      changed();
    },
    finish: (result) => {
      run.result = result;
      run.view.state = endState(result, run.controller.signal);
      run.view.stage = 'ended';
      changed();
      listeners.clear();
    },
  };
  return run;
}

function emptyView(): RunView {
  return {
    state: 'running',
    stage: 'starting',
    total: 0,
    ended: 0,
    done: 0,
    toSend: 0,
    byStatus: {},
    concurrency: null,
    throttled: 0,
    failures: [],
    failureCount: 0,
    runId: null,
    warnings: [],
  };
}

function takeEvent(view: RunView, event: RunEvent, mask: (text: string) => string): void {
  switch (event.type) {
    case 'stage':
      view.stage = event.message;
      return;
    case 'start':
      view.total = event.total;
      view.toSend = event.toSend;
      return;
    case 'action-end': {
      const r = event.record;
      view.ended += 1;
      if (r.status !== 'not-run') view.done += 1;
      view.byStatus[r.status] = (view.byStatus[r.status] ?? 0) + 1;
      view.runId ??= r.runId;
      if (r.status === 'failed' || r.status === 'unknown') {
        view.failureCount += 1;
        if (view.failures.length < MAX_FAILURES)
          view.failures.push({
            target: mask(
              r.siteName === null ? r.customerShortName : `${r.customerShortName} / ${r.siteName}`,
            ),
            rows: r.rows.map((o) => `${o.sheet} row ${o.row}`).join(', '),
            status: r.status,
            message: mask(r.error ?? r.messages.at(-1) ?? r.status),
          });
      }
      return;
    }
    case 'warning':
      if (view.warnings.length < MAX_WARNINGS) view.warnings.push(mask(event.message));
      return;
    default:
      return;
  }
}

function endState(result: ApplyCommandResult, signal: AbortSignal): RunState {
  if (signal.aborted) return 'interrupted';
  if (result.kind === 'failed') return 'failed';
  if (result.kind === 'applied' && result.result.records.some((r) => r.status === 'not-run'))
    return 'interrupted';
  return 'done';
}
