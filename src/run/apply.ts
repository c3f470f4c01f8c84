import { createHash, randomUUID } from 'node:crypto';
import type { Paper } from '../report/layout.js';
import { readFileSync } from 'node:fs';
import type { LivePlatform } from '../api/types.js';
import { createdUnrecorded } from '../apply/continue.js';
import { applyPlan } from '../apply/scheduler.js';
import { normaliseApplySettings, type ApplySettings } from '../apply/settings.js';
import type { ApplyResult } from '../apply/types.js';
import { inputSourceFrom, loadWorkbook, type InputSource, type LoadedWorkbook } from '../input/index.js';
import { refuseUnreadSheets } from '../input/unread-sheets.js';
import { wasSent, type ActionRecord } from '../model/action-record.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { shapePlan, WHOLE_PLAN, type PlanShape } from '../plan/shape.js';
import type { Plan } from '../plan/types.js';
import type { RunSummary } from '../report/types.js';
import { openStateStore, type RunRecord, type StateStore } from '../state/index.js';
import type { RunEvent } from './events.js';
import { keepLock, takeLock } from './lock.js';
import { makePlan } from './plan.js';
import { withDeploymentStates, writeRunReport } from './report.js';
import { inputArgs, shellQuote, stateOption } from './resume-command.js';
import { checkApprovedPlan, checkNotStale, type ApprovedPlan } from './saved-plan.js';
import { recordRequests } from '../api/request-scope.js';
import { EXIT, exitCodeFor } from '../model/errors.js';
import {
  auditSummary,
  keepReportSnapshot,
  recordChanges,
  recordResume,
  requestEntry,
  runEndDetails,
  runStartDetails,
  settleRecords,
  type AuditContext,
  type RunInvocation,
} from './audit-trail.js';

export interface RunApplyOptions {
  command: 'apply' | 'reconcile';
  /** Absent only with `resume`: the resumed run's input file is read again. */
  source?: InputSource;
  client: LivePlatform;
  /** Masked: kept in the state store and the reports. */
  baseUrl: string;
  statePath: string;
  /** Chosen by the CLI (it owns the clock for file names); a function is given the input, for `--resume` without a file. */
  reportPath: string | ((source: InputSource) => string);
  /** `true`: the latest unfinished run; a string: that run id. */
  resume?: string | true;
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
  signal?: AbortSignal;
  redactor: Redactor;
  lpsyncVersion: string;
  /** Who holds the state store's lock while writing. */
  lockOwner: { pid: number; host: string };
  onEvent?: (event: RunEvent) => void;
  /** How the person runs lpsync, for the printed resume command (default `lpsync`). */
  program?: string;
  /** The paper the results workbook prints on (the CLI reads the locale); default A4. */
  paper?: Paper;
  /** Who runs it and the command line, for the audit trail (from the CLI). */
  invocation?: RunInvocation;
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
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  const settings = normaliseApplySettings(options.apply);
  const shape = options.approved?.shape ?? options.shape ?? WHOLE_PLAN;
  const adopt = options.approved ? options.approved.saved.options.adopt : options.adopt === true;
  emit({ type: 'stage', stage: 'load', message: 'reading the input' });
  const source = options.source ?? sourceOfResumedRun(options);
  const loaded = await loadWorkbook(source);
  options.redactor.addSecrets(loaded.secrets);
  const unread = options.ignoreUnreadSheets ? undefined : refuseUnreadSheets(loaded.issues);
  if (unread) throw unread;
  if (loaded.issues.some((i) => i.severity === 'error') && !options.skipInvalid)
    return { kind: 'invalid', loaded };

  const store = openStateStore(options.statePath);
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
      audit: {
        invocation: options.invocation,
        redactor: options.redactor,
        lpsyncVersion: options.lpsyncVersion,
        options: {
          mode: shape.mode,
          only: shape.only.map((s) => s.text),
          limit: shape.limit ?? null,
          skipInvalid: options.skipInvalid === true,
          adopt,
          concurrency: recordedConcurrency(options.client, settings),
          maxErrors: settings.maxErrors ?? null,
          planFile: options.approved?.path ?? null,
        },
        inputFiles: [],
      },
    });
  } finally {
    store.close();
  }
}

interface Pipeline {
  options: RunApplyOptions;
  settings: ApplySettings;
  shape: PlanShape;
  adopt: boolean;
  source: InputSource;
  loaded: LoadedWorkbook;
  store: StateStore;
  reportPath: string;
  emit: (event: RunEvent) => void;
  audit: AuditContext;
}

async function applyUnderLock(p: Pipeline): Promise<RunApplyOutcome> {
  const { options, store, emit } = p;
  const inputFiles = p.loaded.files.map((file) => ({ file, sha256: sha256(readFileSync(file)) }));
  p.audit.inputFiles = inputFiles;
  const inputDigest = sha256(inputFiles.map((f) => f.sha256).join('\n'));
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
  const runId = resumed?.runId ?? newRunId();
  const lock = takeLock(store, { runId, ...options.lockOwner });
  const keeper = keepLock(lock, (message) => emit({ type: 'warning', message }));
  let created = false;
  try {
    // Finished by someone else between the look and the lock: nothing is left to resume.
    if (resumed) findRunToResume(store, runId, program);
    const continuing = resumed
      ? resumedRecords(store, resumed, inputDigest, emit)
      : carriedOver(store, runId, emit);
    // The run is recorded once its plan is made and checked: a refused plan leaves no run behind.
    const begin = (plan: Plan): void => {
      created = true;
      const at = new Date().toISOString();
      if (resumed) recordResume(store, runId, p.audit, inputDigest, continuing, at);
      else
        store.createRun(
          {
            runId,
            command: options.command,
            inputFile: p.loaded.files.join(', '),
            inputDigest,
            baseUrl: options.baseUrl,
            startedAt: at,
            plan: options.approved ? { sha256: options.approved.sha256, file: options.approved.path } : null,
          },
          runStartDetails(p.audit, carriedFrom(continuing)),
        );
      recordChanges(store, runId, plan, options.redactor, at);
    };
    // Every request the run sends is an entry of the audit trail, with the action it was sent for.
    const outcome = await recordRequests(
      (request) => store.noteRequest(requestEntry(runId, request)),
      () =>
        planApplyReport(p, runId, continuing, inputFiles, anySignal(options.signal, keeper.lost), {
          checkStale: resumed === null,
          begin,
        }),
    );
    const { stoppedBy } = outcome.result;
    store.finishRun(
      runId,
      stoppedBy === null ? 'finished' : stoppedBy === 'fatal' ? 'failed' : 'interrupted',
      runEndDetails(outcome.summary, continuing, outcome.result.records),
    );
    return outcome;
  } catch (error) {
    if (created)
      store.finishRun(runId, 'failed', {
        exitCode: error instanceof RunError ? exitCodeFor(error.code) : EXIT.fatal,
        error: options.redactor.text(error instanceof Error ? error.message : String(error)),
      });
    throw error;
  } finally {
    keeper.stop();
    lock.release();
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
  if (options.approved && checks.checkStale)
    checkNotStale(
      options.approved,
      { plan, observed, applied },
      loaded,
      options.redactor,
      options.program ?? 'lpsync',
    );
  checks.begin(plan);
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
  });
  const filled = await withDeploymentStates(applyResult, observed, options.client);
  // The journal (and the audit chain) hold the records exactly as the report shows them.
  const result = { ...filled, records: settleRecords(store, runId, filled.records, options.redactor) };
  emit({ type: 'stage', stage: 'report', message: 'writing the report' });
  const summary = await writeRunReport({
    command: options.command,
    loaded,
    plan,
    result,
    inputFiles,
    baseUrl: options.baseUrl,
    lpsyncVersion: options.lpsyncVersion,
    reportPath: p.reportPath,
    inputArgs: inputArgs(p.source),
    resumeOptions: [
      options.approved ? `--plan ${shellQuote(options.approved.path)}` : '',
      stateOption(options.statePath),
    ]
      .filter(Boolean)
      .join(' '),
    scope: {
      mode: p.shape.mode,
      only: p.shape.only.map((s) => s.text),
      limit: p.shape.limit ?? null,
    },
    approvedPlan: options.approved ? { file: options.approved.path, sha256: options.approved.sha256 } : null,
    ...(options.program ? { program: options.program } : {}),
    ...(options.paper ? { paper: options.paper } : {}),
    redactor: options.redactor,
    ...(options.client.concurrency ? { concurrency: options.client.concurrency.report() } : {}),
    statePath: store.path,
    warn: (message) => emit({ type: 'warning', message }),
    audit: auditSummary(store, runId, p.audit),
  });
  // What `lpsync report --run` rebuilds the workbook from.
  keepReportSnapshot(store, {
    sheets: loaded.sheets,
    invalidRows: loaded.invalidRows,
    issues: loaded.issues,
    drift: plan.drift,
    summary,
    records: result.records,
    redactor: options.redactor,
  });
  return { kind: 'applied', loaded, plan, result, summary, exitCode: summary.exitCode };
}

/** `--resume`: every record of the run, so each action carries on where it stood. */
function resumedRecords(
  store: StateStore,
  run: RunRecord,
  inputDigest: string,
  emit: (event: RunEvent) => void,
): Map<string, ActionRecord> {
  if (run.inputDigest !== inputDigest)
    emit({
      type: 'warning',
      message: `The input changed since run ${run.runId} was interrupted: the fresh plan follows the file as it is now.`,
    });
  emit({ type: 'stage', stage: 'resolve', message: `carrying on run ${run.runId}` });
  return new Map(store.journal(run.runId).map((r) => [r.actionId, r]));
}

/**
 * A plain run after one that a crash or kill -9 left unfinished carries on that run's writes in flight
 * (an OC task still running is waited for, never created again); the old run is closed as interrupted.
 */
function carriedOver(
  store: StateStore,
  runId: string,
  emit: (event: RunEvent) => void,
): Map<string, ActionRecord> {
  const stale = unfinishedRun(store);
  if (!stale) return new Map();
  const inFlight = store.journal(stale.runId).filter((r) => wasSent(r.status));
  store.finishRun(stale.runId, 'interrupted', { closedBy: runId });
  if (inFlight.length > 0)
    emit({
      type: 'warning',
      message: `Run ${stale.runId} did not finish; ${inFlight.length} of its writes in flight are read back and carried on by this run.`,
    });
  return new Map(inFlight.map((r) => [r.actionId, r]));
}

/** The killed run a fresh run carries writes on from, for its `run-start` entry. */
function carriedFrom(
  continuing: ReadonlyMap<string, ActionRecord>,
): { fromRun: string; actions: string[] } | null {
  const first = continuing.values().next();
  if (first.done) return null;
  return { fromRun: first.value.runId, actions: [...continuing.keys()] };
}

/** A run that applied a saved plan is resumed with that plan, and only such a run is. */
function checkPlanOfRun(
  resumed: RunRecord | null,
  approved: ApprovedPlan | undefined,
  program: string,
): void {
  if (!resumed) return;
  if (resumed.plan && !approved)
    throw new RunError(
      'plan-refused',
      `Run ${resumed.runId} applied the plan ${resumed.plan.file}; resume it with that plan.`,
      {
        hint: `${program} apply --plan ${shellQuote(resumed.plan.file)} --resume ${resumed.runId}`,
      },
    );
  if (approved && resumed.plan?.sha256 !== approved.sha256)
    throw new RunError(
      'plan-refused',
      `Run ${resumed.runId} did not apply ${approved.path}; nothing was sent.`,
      {
        hint: 'Resume a run with the plan it applied, or apply a plan in a new run.',
      },
    );
}

/** `apply --resume` without a file: the file the interrupted run read. */
function sourceOfResumedRun(options: RunApplyOptions): InputSource {
  if (options.resume === undefined)
    throw new RunError(
      'invalid-options',
      'No input: name a workbook (.xlsx or .csv) or pass --customers/--sites.',
    );
  const store = openStateStore(options.statePath);
  try {
    const run = findRunToResume(store, options.resume, options.program ?? 'lpsync');
    const files = run.inputFile.split(', ').filter(Boolean);
    if (files.length !== 1)
      throw new RunError(
        'invalid-options',
        `Run ${run.runId} read ${run.inputFile}: name the files again (--customers/--sites).`,
      );
    return inputSourceFrom({ file: files[0] });
  } finally {
    store.close();
  }
}

/** The latest run, if a crash or Ctrl-C left it unfinished; a later run that finished did its work. */
function unfinishedRun(store: StateStore): RunRecord | null {
  const latest = store.latestRun();
  return latest && latest.status !== 'finished' ? latest : null;
}

function findRunToResume(store: StateStore, resume: string | true, program: string): RunRecord {
  const run = resume === true ? (unfinishedRun(store) ?? store.latestRun()) : store.getRun(resume);
  if (!run)
    throw new RunError(
      'invalid-options',
      resume === true
        ? `There is no unfinished run in ${store.path} to resume.`
        : `There is no run ${resume} in ${store.path}.`,
      { hint: `Run \`${program} apply <file>\` without --resume.` },
    );
  if (run.status === 'finished')
    throw new RunError('invalid-options', `Run ${run.runId} finished; there is nothing to resume.`, {
      hint: `Run \`${program} apply <file>\` without --resume.`,
    });
  return run;
}

/** The concurrency as set: `auto` (its ceiling, --max-concurrency, is not what the run used), or the pinned limit. */
function recordedConcurrency(client: LivePlatform, settings: ApplySettings): number | 'auto' {
  const budget = client.concurrency?.report();
  if (!budget) return settings.concurrency;
  return budget.mode === 'auto' ? 'auto' : budget.max;
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

function newRunId(): string {
  return `run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomUUID().slice(0, 8)}`;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
