import { randomUUID } from 'node:crypto';
import type { Paper } from '../report/layout.js';
import { readFileSync } from 'node:fs';
import { recordRequests } from '../api/request-scope.js';
import type { LivePlatform } from '../api/types.js';
import { guardWrites } from '../api/write-guard.js';
import { createdUnrecorded } from '../apply/continue.js';
import { journalFailure } from '../apply/group-commit.js';
import { applyPlan } from '../apply/scheduler.js';
import { normaliseApplySettings, type ApplySettings } from '../apply/settings.js';
import type { ApplyResult } from '../apply/types.js';
import { loadWorkbook, type InputSource, type LoadedWorkbook } from '../input/index.js';
import { refuseUnreadSheets } from '../input/unread-sheets.js';
import type { ActionRecord } from '../model/action-record.js';
import { EXIT, exitCodeFor, RunError } from '../model/errors.js';
import { sha256Hex } from '../model/hashing.js';
import type { Redactor } from '../model/redact.js';
import { shapePlan, WHOLE_PLAN, type PlanShape } from '../plan/shape.js';
import type { AppliedState, ObservedState, Plan } from '../plan/types.js';
import type { RunSummary } from '../report/types.js';
import { openStateStore, type HeldLock, type RunInvocation, type StateStore } from '../state/index.js';
import {
  againCommandOf,
  beforeSending,
  bestEffort,
  endDetails,
  endStatus,
  recordBegin,
  resumeCommandOf,
  resumeOptionsOf,
  settleResult,
  type Pipeline,
} from './apply-steps.js';
import { eventStream, keptByStore } from './event-stream.js';
import type { RunEvent } from './events.js';
import { keepLock, lockLostError, lockTaker, takeLock, type LeaseKeeper } from './lock.js';
import { beforeImageOfRun, keepBeforeImage } from './before-image.js';
import { makePlan } from './plan.js';
import { writeRunReport } from './report.js';
import { keepReportSnapshot } from './report-snapshot.js';
import { inputArgs } from './resume-command.js';
import {
  carriedOver,
  checkPlanOfRun,
  findRunToResume,
  resumedRecords,
  sourceOfResumedRun,
} from './resume.js';
import { checkApprovedPlan, checkNotStale, type ApprovedPlan } from './saved-plan.js';
import { checkApproval, signedPlan } from './approve.js';
import { isStoreFault, storeFaultBeforeSending } from './store-fault.js';

export interface RunApplyOptions {
  command: 'apply' | 'reconcile';
  /** Absent only with `resume`: the resumed run's input file is read again. */
  source?: InputSource;
  /** `true`: the latest unfinished run; a string: that run id. */
  resume?: string | true;
  client: LivePlatform;
  /** Masked: kept in the state store and the reports. */
  baseUrl: string;
  statePath: string;
  /** Chosen by the CLI (it owns the clock for file names); a function is given the input, for `--resume` without a file. */
  reportPath: string | ((source: InputSource) => string);
  dryRun?: boolean;
  adopt?: boolean;
  skipInvalid?: boolean;
  /** Apply although a sheet with the headers of a known one is not read because of its name. */
  ignoreUnreadSheets?: boolean;
  /** Apply's settings as given; normalised here, once. */
  apply?: Partial<ApplySettings>;
  /** The mode and wave (`--mode`, `--only`, `--limit`); with `approved`, the plan's own. */
  shape?: PlanShape;
  /** `apply --plan`: the approved plan, read; exactly its actions are sent. */
  approved?: ApprovedPlan;
  /** `--require-approval`: the plan must have been approved by a user other than its author. */
  requireApproval?: boolean;
  signal?: AbortSignal;
  redactor: Redactor;
  lpsyncVersion: string;
  /** Opens the state store (default `openStateStore`; tests give one whose disk fills up). */
  openStore?: (path: string) => StateStore;
  /** Who holds the state store's lock while writing, and its lease (default LOCK_LEASE_MS). */
  lockOwner: { pid: number; host: string; leaseMs?: number };
  /** The run's events as they happen: stages, warnings, each action, each request sent. */
  onEvent?: (event: RunEvent) => void;
  /** How the person runs lpsync, for the printed resume command (default `lpsync`). */
  program?: string;
  /** The paper the results workbook prints on (the CLI reads the locale); default A4. */
  paper?: Paper;
  /** Who runs it and the command line, as the state store records them with the run (from the CLI). */
  invocation?: RunInvocation;
  /** The clock run ids and times are read from (default the system's). */
  now?: () => Date;
}

export type RunApplyOutcome =
  | { kind: 'invalid'; loaded: LoadedWorkbook }
  | { kind: 'dry-run'; loaded: LoadedWorkbook; plan: Plan }
  | {
      kind: 'applied';
      loaded: LoadedWorkbook;
      plan: Plan;
      result: ApplyResult;
      summary: RunSummary;
      exitCode: number;
    };

/**
 * The apply pipeline, shared by `apply`, `reconcile` and the demo: load → lock → carry on what an earlier
 * run left unfinished → observe → plan → apply → report. Never prints and never touches `process`.
 */
export async function runApply(options: RunApplyOptions): Promise<RunApplyOutcome> {
  const events = eventStream(options.onEvent);
  const { emit } = events;
  const settings = normaliseApplySettings(options.apply);
  const shape = options.approved?.shape ?? options.shape ?? WHOLE_PLAN;
  const adopt = options.approved ? options.approved.saved.options.adopt : options.adopt === true;
  emit({ type: 'stage', stage: 'load', message: 'reading the input' });
  const source = options.source ?? resumedSource(options);
  const loaded = await loadWorkbook(source);
  options.redactor.addSecrets(loaded.secrets);
  const unread = options.ignoreUnreadSheets ? undefined : refuseUnreadSheets(loaded.issues);
  if (unread) throw unread;
  if (loaded.issues.some((i) => i.severity === 'error') && !options.skipInvalid)
    return { kind: 'invalid', loaded };

  const store = (options.openStore ?? openStateStore)(options.statePath);
  try {
    if (options.dryRun) {
      emit({ type: 'stage', stage: 'observe', message: 'reading the Live Platform' });
      const { plan } = await makePlan({
        rows: loaded.rows,
        client: options.client,
        applied: store.loadApplied(),
        concurrency: settings.concurrency,
        baseUrl: options.baseUrl,
        adopt,
      });
      return { kind: 'dry-run', loaded, plan: shapePlan(plan, shape) };
    }
    const reportPath =
      typeof options.reportPath === 'string' ? options.reportPath : options.reportPath(source);
    return await applyUnderLock({
      options,
      settings,
      shape,
      adopt,
      source,
      loaded,
      store,
      reportPath,
      emit,
      events,
    });
  } finally {
    try {
      store.close();
    } catch (error) {
      // The requests noted last could not be written (the store full): the outcome stands, said as a warning.
      emit({
        type: 'warning',
        message: `The state store ${store.path} could not be closed cleanly: ${String(error)}`,
      });
    }
  }
}

/** What a run checks before it takes the lock: its input files, the run it resumes, an approved plan's fit. */
function prepareRun(p: Pipeline) {
  const { options, store } = p;
  const inputFiles = p.loaded.files.map((file) => ({ file, sha256: sha256Hex(readFileSync(file)) }));
  const inputDigest = sha256Hex(inputFiles.map((f) => f.sha256).join('\n'));
  const program = options.program ?? 'lpsync';
  const resumed = options.resume === undefined ? null : findRunToResume(store, options.resume, program);
  checkPlanOfRun(resumed, options.approved, program);
  if (options.approved)
    checkApprovedPlan(options.approved, {
      baseUrl: options.baseUrl,
      inputs: inputFiles,
      store,
      resuming: resumed?.runId ?? null,
      program,
    });
  if (options.requireApproval) checkApproval(store, options.approved, program);
  return {
    inputFiles,
    inputDigest,
    program,
    resumed,
    runId: resumed?.runId ?? newRunId(p.options.now?.() ?? new Date()),
  };
}

async function applyUnderLock(p: Pipeline): Promise<RunApplyOutcome> {
  const { options, store, emit } = p;
  const { inputFiles, inputDigest, program, resumed, runId } = prepareRun(p);
  const lock = beforeSending(p, () => takeLock(store, { runId, ...options.lockOwner }));
  const keeper = keeperOf(p, lock, runId);
  // The store keeps each request the run sends; one it cannot keep stops the sending, as the journal's would.
  const storeFailed = new AbortController();
  const unsubscribe = p.events.subscribe(
    keptByStore(store, runId, (error) => storeFailed.abort(journalFailure(error))),
  );
  let created = false;
  try {
    // Finished by someone else between the look and the lock: nothing is left to resume.
    if (resumed) findRunToResume(store, runId, program);
    const continuing = resumed
      ? resumedRecords(store, resumed, inputDigest, emit)
      : carriedOver(store, runId, emit);
    // The run is recorded once its plan is made and checked: a refused plan leaves no run behind.
    const begin = (plan: Plan): void => {
      // A run that lost its lock while it read the platform does not begin.
      keeper.confirm();
      created = true;
      recordBegin(p, { runId, resumed, inputDigest, inputFiles, continuing, plan });
    };
    // Each request the run sends is one of its events, with the action it was sent for; every write is
    // sent only while the lock is confirmed.
    const signal = anySignal(options.signal, keeper.lost, storeFailed.signal);
    const outcome = await guardWrites(keeper.confirm, () =>
      recordRequests(
        (request) => emit({ type: 'request', request }),
        () =>
          planApplyReport(p, runId, continuing, inputFiles, signal, { checkStale: resumed === null, begin }),
      ),
    );
    const { result, summary } = outcome;
    const ended = bestEffort(p, () =>
      store.finishRun(runId, endStatus(result), endDetails(summary), result.records),
    );
    return ended || outcome.exitCode !== EXIT.ok ? outcome : { ...outcome, exitCode: EXIT.fatal };
  } catch (error) {
    if (created)
      bestEffort(p, () =>
        store.finishRun(runId, 'failed', {
          exitCode: error instanceof RunError ? exitCodeFor(error.code) : EXIT.fatal,
          error: options.redactor.text(error instanceof Error ? error.message : String(error)),
        }),
      );
    // Thrown, a store fault came before the first request (the lock, the run's start, the first journal entries).
    if (isStoreFault(error) && !(error instanceof RunError))
      throw storeFaultBeforeSending(store.path, error, againCommandOf(p, resumed ? runId : null));
    throw error;
  } finally {
    unsubscribe();
    keeper.stop();
    bestEffort(p, () => lock.release());
  }
}

async function planApplyReport(
  p: Pipeline,
  runId: string,
  continuing: Map<string, ActionRecord>,
  inputFiles: Array<{ file: string; sha256: string }>,
  signal: AbortSignal,
  checks: { checkStale: boolean; begin: (plan: Plan) => void },
): Promise<Extract<RunApplyOutcome, { kind: 'applied' }>> {
  const { options, store, emit, loaded } = p;
  emit({ type: 'stage', stage: 'observe', message: 'reading the Live Platform' });
  const applied = store.loadApplied();
  const made = await makePlan({
    rows: loaded.rows,
    client: options.client,
    applied,
    concurrency: p.settings.concurrency,
    baseUrl: options.baseUrl,
    adopt: p.adopt,
    createdUnrecorded: createdUnrecorded(continuing.values(), applied),
  });
  const { observed } = made;
  const plan = shapePlan(made.plan, p.shape);
  // A resumed plan run has changed its own targets: only its first run compares them with the plan.
  if (checks.checkStale) checkStillApproved(p, { plan, observed, applied });
  checks.begin(plan);
  // What the modifies' targets hold now, kept before anything is sent: the backout of this session.
  keepBeforeImage(store, runId, plan, observed);
  emit({ type: 'stage', stage: 'plan', message: `${plan.actions.length} actions planned` });
  emit({ type: 'stage', stage: 'apply', message: 'applying' });
  const applyResult = await applyPlan({
    plan,
    client: options.client,
    store,
    runId,
    settings: p.settings,
    continuing,
    signal,
    redactor: options.redactor,
    onEvent: emit,
    ...(options.now ? { now: options.now } : {}),
  });
  const result = await settleResult(p, runId, applyResult, observed);
  emit({ type: 'stage', stage: 'report', message: 'writing the report' });
  const summary = await reportRun(p, runId, plan, result, inputFiles);
  return { kind: 'applied', loaded, plan, result, summary, exitCode: summary.exitCode };
}

/** The results workbook and its summary, and the snapshot the store keeps to rebuild them. */
async function reportRun(
  p: Pipeline,
  runId: string,
  plan: Plan,
  result: ApplyResult,
  inputFiles: Array<{ file: string; sha256: string }>,
): Promise<RunSummary & { exitCode: number }> {
  const { options, store, emit, loaded } = p;
  const warn = (message: string) => emit({ type: 'warning', message });
  const now = options.now?.() ?? new Date();
  const beforeImage = await beforeImageOfRun(store, { runId, reportPath: p.reportPath, now }, warn);
  const summary = await writeRunReport({
    beforeImage,
    command: options.command,
    loaded,
    plan,
    result,
    inputFiles,
    baseUrl: options.baseUrl,
    lpsyncVersion: options.lpsyncVersion,
    reportPath: p.reportPath,
    inputArgs: inputArgs(p.source),
    resumeOptions: resumeOptionsOf(options),
    scope: scopeOf(p.shape),
    approvedPlan: options.approved ? signedPlan(store, options.approved) : null,
    ...(options.program ? { program: options.program } : {}),
    ...(options.paper ? { paper: options.paper } : {}),
    redactor: options.redactor,
    ...(options.client.concurrency ? { concurrency: options.client.concurrency.report() } : {}),
    statePath: store.path,
    warn,
    trail: store.trailOf(runId),
  });
  // What `lpsync report --run` rebuilds the workbook from.
  if (result.fatal?.code !== 'state-store')
    bestEffort(p, () =>
      keepReportSnapshot(store, {
        sheets: loaded.sheets,
        invalidRows: loaded.invalidRows,
        issues: loaded.issues,
        drift: plan.drift,
        summary,
        records: result.records,
        redactor: options.redactor,
      }),
    );
  return summary;
}

/** Renews the lock's lease while the run writes; a lease lost ends the run, naming who took it and how to finish. */
function keeperOf(p: Pipeline, lock: HeldLock, runId: string): LeaseKeeper {
  return keepLock(lock, {
    lostError: (taken, silentMs) =>
      lockLostError(
        runId,
        { leaseMs: lock.leaseMs, silentMs, taken, by: taken ? lockTaker(p.store, lock, runId) : null },
        resumeCommandOf(p, runId),
      ),
    warn: (message) => p.emit({ type: 'warning', message: p.options.redactor.text(message) }),
  });
}

/** `apply --plan`: the fresh plan must be the approved one, target by target. */
function checkStillApproved(
  p: Pipeline,
  fresh: { plan: Plan; observed: ObservedState; applied: AppliedState },
): void {
  const { approved, redactor, program } = p.options;
  if (approved) checkNotStale(approved, fresh, p.loaded, redactor, program ?? 'lpsync');
}

/** What the change was allowed to touch, as the summary records it. */
function scopeOf(shape: PlanShape): RunSummary['scope'] {
  return { mode: shape.mode, only: shape.only.map((s) => s.text), limit: shape.limit ?? null };
}

/** The input of the run resumed; a caller that names neither an input nor a run to resume is a fault of lpsync's. */
function resumedSource(options: RunApplyOptions): InputSource {
  if (options.resume === undefined) throw new Error('runApply needs a source, or a run to resume');
  return sourceOfResumedRun({
    resume: options.resume,
    statePath: options.statePath,
    ...(options.program ? { program: options.program } : {}),
  });
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

function newRunId(at: Date): string {
  return `run-${at.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomUUID().slice(0, 8)}`;
}
