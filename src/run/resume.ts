/**
 * Where a run carries on from: `--resume` (the run named, or the latest unfinished one) and a plain run
 * after one that a crash or kill -9 left unfinished (its writes in flight are carried on).
 */
import { wasSent, type ActionRecord } from '../model/action-record.js';
import { RunError } from '../model/errors.js';
import { inputSourceFrom, type InputSource } from '../input/index.js';
import { openStateStore, type RunRecord, type StateStore } from '../state/index.js';
import type { RunEvent } from './events.js';
import { shellQuote } from './resume-command.js';
import type { ApprovedPlan } from './saved-plan.js';

/** `--resume`: every record of the run, so each action carries on where it stood. */
export function resumedRecords(
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
export function carriedOver(
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

/** A run that applied a saved plan is resumed with that plan, and only such a run is. */
export function checkPlanOfRun(
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
export function sourceOfResumedRun(options: {
  resume: string | true;
  statePath: string;
  program?: string;
}): InputSource {
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
export function unfinishedRun(store: StateStore): RunRecord | null {
  const latest = store.latestRun();
  return latest && latest.status !== 'finished' ? latest : null;
}

export function findRunToResume(store: StateStore, resume: string | true, program: string): RunRecord {
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
