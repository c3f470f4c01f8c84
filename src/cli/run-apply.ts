import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { ApiError } from '../api/errors.js';
import type { LivePlatform, ServiceSummary } from '../api/types.js';
import { applyPlan } from '../apply/executor.js';
import { createdUnrecorded, resolveInterrupted, settledFromJournal } from '../apply/resume.js';
import type { ApplyEvent, ApplyResult, ReadBackOptions } from '../apply/types.js';
import { inputSourceFrom, loadWorkbook, type InputSource, type LoadedWorkbook } from '../input/index.js';
import { refuseUnreadSheets } from '../input/unread-sheets.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { planActions, readObservedState } from '../plan/index.js';
import {
  DEFAULT_STATE_PATH,
  LOCK_HEARTBEAT_MS,
  openStateStore,
  type HeldLock,
  type LockHolder,
  type StateStore,
} from '../state/index.js';
import type { ObservedState, Plan, RunRecord } from '../plan/types.js';
import { rowResults } from '../report/row-results.js';
import { buildSummary, summaryJsonPath, writeSummaryJson } from '../report/summary.js';
import type { RunSummary } from '../report/types.js';
import { writeResultsWorkbook } from '../report/workbook.js';

export interface RunApplyOptions {
  command: 'apply' | 'reconcile';
  /** Absent only with `resume`: the resumed run's input file is read again. */
  source?: InputSource;
  client: LivePlatform;
  baseUrl: string;
  statePath: string;
  /**
   * Chosen by the CLI (it owns the clock for file names); a function is given the input, so that
   * `apply --resume` without a file still names the report after the run's workbook.
   */
  reportPath: string | ((source: InputSource) => string);
  /** `true`: the latest unfinished run; a string: that run id. */
  resume?: string | true;
  dryRun?: boolean;
  adopt?: boolean;
  skipInvalid?: boolean;
  /** Apply although a sheet with the headers of a known one is not read because of its name. */
  ignoreUnreadSheets?: boolean;
  concurrency: number;
  rate?: number;
  maxErrors?: number;
  signal?: AbortSignal;
  redactor: Redactor;
  lpsyncVersion: string;
  /** Who holds the state store's lock while writing. */
  lockOwner: { pid: number; host: string };
  readBack?: ReadBackOptions;
  taskTimeoutMs?: number;
  onEvent?: (event: ApplyEvent | PipelineEvent) => void;
}

/** Stage changes, for logs and the progress display. */
export type PipelineEvent =
  | { type: 'stage'; stage: 'load' | 'resolve' | 'observe' | 'plan' | 'apply' | 'report'; message: string }
  | { type: 'warning'; message: string };

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
 * The apply pipeline, shared by `apply`, `reconcile` and the demo: load → (resume: read back
 * the interrupted run) → observe → plan → apply → report. Never prints and never touches
 * `process`: the CLI maps the outcome to output and an exit code.
 */
export async function runApply(options: RunApplyOptions): Promise<RunApplyOutcome> {
  const emit = (event: ApplyEvent | PipelineEvent): void => options.onEvent?.(event);
  const { redactor } = options;

  emit({ type: 'stage', stage: 'load', message: 'reading the input' });
  const source = options.source ?? sourceOfResumedRun(options);
  const reportPath = typeof options.reportPath === 'string' ? options.reportPath : options.reportPath(source);
  const loaded = await loadWorkbook(source);
  redactor.addSecrets(loaded.secrets);
  const unread = options.ignoreUnreadSheets ? undefined : refuseUnreadSheets(loaded.issues);
  if (unread) throw unread;
  const hasErrors = loaded.issues.some((i) => i.severity === 'error');
  if (hasErrors && !options.skipInvalid) return { kind: 'invalid', loaded };

  const store = openStateStore(options.statePath);
  try {
    if (options.dryRun) {
      emit({ type: 'stage', stage: 'observe', message: 'reading the Live Platform' });
      const observed = await observe(options, loaded);
      const plan = planActions(loaded.rows, observed, store.loadApplied(), { adopt: options.adopt === true });
      return { kind: 'dry-run', loaded, plan };
    }
    return await applyWithStore({ ...options, reportPath }, source, loaded, store, emit);
  } finally {
    store.close();
  }
}

async function applyWithStore(
  options: RunApplyOptions & { reportPath: string },
  source: InputSource,
  loaded: LoadedWorkbook,
  store: StateStore,
  emit: (event: ApplyEvent | PipelineEvent) => void,
): Promise<RunApplyOutcome> {
  const { client, redactor } = options;
  const inputFiles = loaded.files.map((file) => ({ file, sha256: sha256File(file) }));
  const inputDigest = sha256Text(inputFiles.map((f) => f.sha256).join('\n'));

  const resumed = options.resume === undefined ? null : findRunToResume(store, options.resume);
  const runId = resumed?.runId ?? newRunId();
  const attempt = store.acquireLock({ runId, pid: options.lockOwner.pid, host: options.lockOwner.host });
  if (!attempt.ok) throw lockRefused(store.path, attempt.holder);
  const lock = attempt.lock;
  // Resumed by someone else between the look and the lock: there is nothing left to resume.
  if (resumed && store.getRun(runId)?.status === 'finished') {
    lock.release();
    findRunToResume(store, runId);
  }
  const keeper = keepLock(lock, (message) => emit({ type: 'warning', message }));
  const signal = anySignal(options.signal, keeper.lost);
  let staleRunId: string | null = null;
  const readBackRun = (id: string) =>
    resolveInterrupted({
      client,
      store,
      runId: id,
      concurrency: options.concurrency,
      readBack: options.readBack,
      taskTimeoutMs: options.taskTimeoutMs,
      signal,
      redactor,
      onEvent: emit,
    });
  try {
    if (resumed) {
      if (resumed.inputDigest !== inputDigest)
        emit({
          type: 'warning',
          message: `The input changed since run ${runId} was interrupted: the fresh plan follows the file as it is now.`,
        });
      emit({ type: 'stage', stage: 'resolve', message: `reading back what run ${runId} left in flight` });
      await readBackRun(runId);
    } else {
      // A run killed earlier may have left writes in flight (an OC task still running): read those
      // back first, so this fresh plan cannot send a create a second time.
      const stale = unfinishedRun(store);
      staleRunId = stale?.runId ?? null;
      if (stale) {
        const resolution = await readBackRun(stale.runId);
        const touched = resolution.foundDone.length + resolution.stillUnknown.length;
        if (touched > 0)
          emit({
            type: 'warning',
            message: `Run ${stale.runId} did not finish; ${touched} of its writes in flight were read back first (\`--resume ${stale.runId}\` reports on that run).`,
          });
      }
      store.createRun({
        runId,
        command: options.command,
        inputFile: loaded.files.join(', '),
        inputDigest,
        baseUrl: options.baseUrl,
        startedAt: new Date().toISOString(),
      });
    }

    emit({ type: 'stage', stage: 'observe', message: 'reading the Live Platform' });
    const observed = await observe(options, loaded);
    const applied = store.loadApplied();
    const plan = planActions(loaded.rows, observed, applied, {
      adopt: options.adopt === true,
      createdUnrecorded: createdUnrecorded(
        [runId, ...(staleRunId ? [staleRunId] : [])].flatMap((id) => store.journal(id)),
        applied,
      ),
    });
    emit({ type: 'stage', stage: 'plan', message: `${plan.actions.length} actions planned` });
    const settled = resumed ? settledFromJournal(store.journal(runId), plan.actions) : undefined;

    emit({ type: 'stage', stage: 'apply', message: 'applying' });
    const result = await applyPlan({
      plan,
      client,
      store,
      runId,
      concurrency: options.concurrency,
      rate: options.rate,
      maxErrors: options.maxErrors,
      signal,
      settled,
      redactor,
      readBack: options.readBack,
      taskTimeoutMs: options.taskTimeoutMs,
      onEvent: emit,
    });
    fillDeploymentStates(result, observed.services, observed);
    if (!result.fatal && result.results.some((r) => r.status === 'succeeded' && r.deploymentState === null)) {
      // One more listing so the report shows where new sites stand; the report does without it if it fails.
      const after = await client.listServices({ allDetails: true }).catch(() => null);
      if (after) fillDeploymentStates(result, after, observed);
    }

    emit({ type: 'stage', stage: 'report', message: 'writing the report' });
    const rows = rowResults(loaded.sheets, result.results, loaded.invalidRows, loaded.issues);
    const summary = buildSummary({
      runId,
      command: options.command,
      startedAt: result.startedAt,
      endedAt: result.endedAt,
      lpsyncVersion: options.lpsyncVersion,
      baseUrl: options.baseUrl,
      inputFiles,
      rows,
      apply: result,
      drift: plan.drift.length,
      reportPath: options.reportPath,
      inputArgs: inputArgs(source),
      resumeOptions: stateOption(options.statePath),
    });
    try {
      await writeResultsWorkbook(options.reportPath, {
        sheets: loaded.sheets,
        results: rows,
        summary,
        drift: plan.drift,
        issues: loaded.issues,
        redactor,
      });
      writeSummaryJson(summaryJsonPath(options.reportPath), summary, redactor);
    } catch (error) {
      // What was sent stays sent and journaled: a report that cannot be written does not undo the run.
      summary.reportPath = null;
      emit({
        type: 'warning',
        message: `The report could not be written to ${options.reportPath}: ${error instanceof Error ? error.message : String(error)}. Every result is in the journal of run ${runId} in ${store.path}; choose another --report or --reports-dir next time.`,
      });
    }
    store.finishRun(
      runId,
      result.stoppedBy === null ? 'finished' : result.stoppedBy === 'fatal' ? 'failed' : 'interrupted',
    );
    return { kind: 'applied', loaded, plan, result, summary, exitCode: summary.exitCode };
  } catch (error) {
    store.finishRun(runId, 'failed');
    throw error;
  } finally {
    keeper.stop();
    lock.release();
  }
}

/** The refusal when another process holds the writer lock: who, since when, and that nothing was sent. */
function lockRefused(path: string, holder: LockHolder | null): RunError {
  const who = holder
    ? ` (run ${holder.runId}, process ${holder.pid} on ${holder.host}, since ${holder.acquiredAt})`
    : '';
  return new RunError(
    'lock-held',
    `Another lpsync run${who} is writing with the state store ${path}; nothing was sent.`,
    {
      hint: "Wait for it to finish (or, if that process is gone, run again: a dead holder's lock is taken over).",
    },
  );
}

/**
 * Refreshes the lock's heartbeat while the run writes. Should the lock be lost (taken over as stale
 * after a long stall), `lost` aborts: no further request is sent by a run that no longer holds it.
 */
function keepLock(lock: HeldLock, warn: (message: string) => void): { lost: AbortSignal; stop: () => void } {
  const lost = new AbortController();
  const timer = setInterval(() => {
    if (lock.heartbeat() || lost.signal.aborted) return;
    lost.abort();
    warn(
      `The state store lock of run ${lock.holder.runId} was taken over by another process: no further request is sent.`,
    );
  }, LOCK_HEARTBEAT_MS);
  timer.unref();
  return { lost: lost.signal, stop: () => clearInterval(timer) };
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
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
    const run = findRunToResume(store, options.resume);
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

const quote = (p: string): string => (/[\s'"$]/.test(p) ? `'${p.replace(/'/g, "'\\''")}'` : p);

/** The input as it is written on the command line, for the printed resume command. */
function inputArgs(source: InputSource): string {
  if (source.kind === 'xlsx') return quote(source.path);
  if (source.combined) return quote(source.combined);
  return [
    source.customers ? `--customers ${quote(source.customers)}` : '',
    source.sites ? `--sites ${quote(source.sites)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** `--state <path>` for the resume command when it is not the default: the run to resume is only in that store. */
export function stateOption(statePath: string): string {
  return resolve(statePath) === resolve(DEFAULT_STATE_PATH) ? '' : `--state ${quote(statePath)}`;
}

/** Reads the platform; a platform that cannot be reached at all ends the run as `unreachable` (exit 3). */
async function observe(options: RunApplyOptions, loaded: LoadedWorkbook): Promise<ObservedState> {
  try {
    return await readObservedState(options.client, loaded.rows, pLimit(options.concurrency));
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'network' || error.code === 'timeout'))
      throw new RunError(
        'unreachable',
        `The Live Platform at ${options.baseUrl} is unreachable: ${error.message}`,
        {
          hint: 'Check --base-url / LPSYNC_BASE_URL and the network path; nothing was sent.',
          cause: error,
        },
      );
    throw error;
  }
}

/**
 * The run a crash or Ctrl-C left unfinished, if the latest run is one. An older unfinished run was
 * read back by the later runs, and a later run that finished did its work: nothing is left of it.
 */
function unfinishedRun(store: StateStore): RunRecord | null {
  const latest = store.latestRun();
  return latest && latest.status !== 'finished' ? latest : null;
}

function findRunToResume(store: StateStore, resume: string | true): RunRecord {
  const run = resume === true ? (unfinishedRun(store) ?? store.latestRun()) : store.getRun(resume);
  if (!run)
    throw new RunError(
      'invalid-options',
      resume === true
        ? `There is no unfinished run in ${store.path} to resume.`
        : `There is no run ${resume} in ${store.path}.`,
      { hint: 'Run `lpsync apply <file>` without --resume.' },
    );
  if (run.status === 'finished')
    throw new RunError('invalid-options', `Run ${run.runId} finished; there is nothing to resume.`, {
      hint: 'Run `lpsync apply <file>` without --resume.',
    });
  return run;
}

/** Deployment states for the report: the listing's name (`Deployed`) first, Get SIP Connection's integer otherwise. */
function fillDeploymentStates(
  result: ApplyResult,
  services: ServiceSummary[],
  observed: ObservedState,
): void {
  const listed = new Map<string, string | number | null>();
  for (const service of services)
    for (const site of service.sites) listed.set(site.id, site.sbcDeploymentState);
  for (const r of result.results) {
    if (r.deploymentState !== null || r.siteGuid === null) continue;
    const state = listed.get(r.siteGuid) ?? observed.sites.get(r.siteGuid)?.sbcDeploymentState ?? null;
    if (state !== null) r.deploymentState = String(state);
  }
}

function newRunId(): string {
  return `run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomUUID().slice(0, 8)}`;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
