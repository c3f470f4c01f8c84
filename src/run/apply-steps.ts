/**
 * The steps of an apply that are not its sequence (src/run/apply.ts): how the run is recorded as it begins and
 * ends, how the commands that run it again are written, and what a state store that cannot be written means
 * before the first request and after it.
 */
import type { LivePlatform } from '../api/types.js';
import type { ApplySettings } from '../apply/settings.js';
import type { ApplyResult } from '../apply/types.js';
import type { InputSource, LoadedWorkbook } from '../input/index.js';
import type { ActionRecord } from '../model/action-record.js';
import { RunError } from '../model/errors.js';
import type { PlanShape } from '../plan/shape.js';
import type { ObservedState, Plan } from '../plan/types.js';
import type { RunSummary } from '../report/types.js';
import type { RunContext, RunRecord, StateStore } from '../state/index.js';
import type { RunApplyOptions } from './apply.js';
import type { EventStream } from './event-stream.js';
import type { RunEvent } from './events.js';
import { withDeploymentStates } from './report.js';
import { inputArgs, shellQuote, stateOption } from './resume-command.js';
import { isStoreFault, storeFaultAfterSending, storeFaultBeforeSending } from './store-fault.js';

export interface Pipeline {
  options: RunApplyOptions;
  settings: ApplySettings;
  shape: PlanShape;
  adopt: boolean;
  source: InputSource;
  loaded: LoadedWorkbook;
  store: StateStore;
  reportPath: string;
  emit: (event: RunEvent) => void;
  /** The run's events; the state store subscribes while it records the run. */
  events: EventStream;
}

/** A store write after the run's outcome is known: a failure is a warning (returns false), not a new outcome. */
export function bestEffort(p: Pipeline, write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    p.emit({
      type: 'warning',
      message: `The state store ${p.store.path} could not record the end of the run: ${error instanceof Error ? error.message : String(error)}`,
    });
    return false;
  }
}

/** `step` before anything is sent; a store that cannot be written then says that nothing was sent. */
export function beforeSending<T>(p: Pipeline, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isStoreFault(error) && !(error instanceof RunError))
      throw storeFaultBeforeSending(p.store.path, error, againCommandOf(p, null));
    throw error;
  }
}

/** How the run ended, as the runs table says it. */
export function endStatus(result: ApplyResult): RunRecord['status'] {
  const { stoppedBy, fatal } = result;
  if (fatal?.code === 'lock-lost') return 'lock-lost';
  return stoppedBy === null ? 'finished' : stoppedBy === 'fatal' ? 'failed' : 'interrupted';
}

/**
 * The run's start (or its resume) and its planned changes, in the state store; what the store records
 * beside them (who runs it, how, with which options and input files) is given to it here, once.
 */
export function recordBegin(
  p: Pipeline,
  run: {
    runId: string;
    resumed: RunRecord | null;
    inputDigest: string;
    inputFiles: Array<{ file: string; sha256: string }>;
    continuing: Map<string, ActionRecord>;
    plan: Plan;
  },
): void {
  const { options, store } = p;
  const { runId, inputDigest, continuing } = run;
  const begun = { context: runContextOf(p, run.inputFiles), continuing, planned: run.plan.actions };
  if (run.resumed) {
    store.resumeRun(runId, inputDigest, begun);
    return;
  }
  store.createRun(
    {
      runId,
      command: options.command,
      inputFile: p.loaded.files.join(', '),
      inputDigest,
      baseUrl: options.baseUrl,
      startedAt: (options.now?.() ?? new Date()).toISOString(),
      plan: options.approved ? { sha256: options.approved.sha256, file: options.approved.path } : null,
    },
    begun,
  );
}

/** What the store records of the run beside its rows: who runs it and how, its options, its input files. */
function runContextOf(p: Pipeline, inputFiles: RunContext['inputFiles']): RunContext {
  const { options, shape } = p;
  return {
    invocation: options.invocation,
    redactor: options.redactor,
    lpsyncVersion: options.lpsyncVersion,
    options: {
      mode: shape.mode,
      only: shape.only.map((s) => s.text),
      limit: shape.limit ?? null,
      skipInvalid: options.skipInvalid === true,
      adopt: p.adopt,
      concurrency: recordedConcurrency(options.client, p.settings),
      maxErrors: p.settings.maxErrors ?? null,
      planFile: options.approved?.path ?? null,
      ...(options.requireApproval ? { requireApproval: true } : {}),
    },
    inputFiles,
  };
}

/** The concurrency as set: `auto` (its ceiling, --max-concurrency, is not what the run used), or the pinned limit. */
function recordedConcurrency(client: LivePlatform, settings: ApplySettings): number | 'auto' {
  const budget = client.concurrency?.report();
  if (!budget) return settings.concurrency;
  return budget.mode === 'auto' ? 'auto' : budget.max;
}

/** How the run ended, for the state store: exit code, counts, why it stopped. */
export function endDetails(summary: RunSummary): Record<string, unknown> {
  return {
    exitCode: summary.exitCode ?? null,
    rows: summary.rows,
    byStatus: summary.byStatus,
    byAction: summary.byAction,
    byActionStatus: summary.byActionStatus,
    drift: summary.drift,
    stoppedBy: summary.stoppedBy,
    error: summary.fatalError,
  };
}

/** The options the resume command needs after the run id: the plan it applied, a state store not the default. */
export function resumeOptionsOf(options: RunApplyOptions): string {
  return [
    options.approved ? `--plan ${shellQuote(options.approved.path)}` : '',
    stateOption(options.statePath),
  ]
    .filter(Boolean)
    .join(' ');
}

/** The command that runs this again: the same command, or the resume of the run it carried on. */
export function againCommandOf(p: Pipeline, resuming: string | null): string {
  if (resuming) return resumeCommandOf(p, resuming);
  const extra = resumeOptionsOf(p.options);
  return `${p.options.program ?? 'lpsync'} ${p.options.command} ${inputArgs(p.source)}${extra ? ` ${extra}` : ''}`;
}

/** The command that finishes this run later, as the summary prints it. */
export function resumeCommandOf(p: Pipeline, runId: string): string {
  const extra = resumeOptionsOf(p.options);
  return `${p.options.program ?? 'lpsync'} apply ${inputArgs(p.source)} --resume ${runId}${extra ? ` ${extra}` : ''}`;
}

/**
 * The applied records as the report shows them, and as the journal then holds them.
 * A store that could not be written — during the apply, or now — makes the run's fault the full account:
 * what was sent and confirmed, where the journal stands, how to finish.
 */
export async function settleResult(
  p: Pipeline,
  runId: string,
  applied: ApplyResult,
  observed: ObservedState,
): Promise<ApplyResult> {
  const { options, store } = p;
  const filled = await withDeploymentStates(applied, observed, options.client);
  let fault: unknown = filled.fatal?.code === 'state-store' ? filled.fatal : null;
  let records = filled.records;
  if (fault === null) {
    try {
      records = store.settleJournal(runId, filled.records);
    } catch (error) {
      fault = error;
    }
  }
  if (fault === null) return { ...filled, records };
  let journal: ActionRecord[] | null;
  try {
    journal = store.journal(runId);
  } catch {
    journal = null;
  }
  const account = storeFaultAfterSending(store.path, fault, {
    records,
    journal,
    resumeCommand: resumeCommandOf(p, runId),
  });
  return { ...filled, records, stoppedBy: 'fatal', fatal: account };
}
