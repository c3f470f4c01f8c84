/**
 * `plan`: load → (invalid: stop, nothing connected) → open the state store and the client → observe →
 * plan as the mode and wave allow → write the plan file and the review workbook asked for.
 */
import type { InputSource, LoadedWorkbook } from '../input/index.js';
import { loadWorkbook } from '../input/index.js';
import { RunError } from '../model/errors.js';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import type { PlanShape } from '../plan/shape.js';
import { writeFileAtomically } from '../report/atomic-file.js';
import type { Paper } from '../report/layout.js';
import { writeReviewWorkbook } from '../report/review-workbook.js';
import { openStateStore, type PlanRecord, type RunInvocation, type StateStore } from '../state/index.js';
import { blankKept, type BlankKept } from '../plan/blank-kept.js';
import { concurrencyCeiling } from '../api/concurrency-setting.js';
import { createClientFromSettings, type ConnectionSettings, type SettingsProblem } from './client.js';
import { eventLog, type RunEvent } from './events.js';
import { planChange, type PlannedChange } from './plan.js';

/** A file `plan` writes: the plan file `apply --plan` takes, or a review workbook for the change board. */
export interface PlanOutput {
  /** Absolute. */
  path: string;
  what: 'plan file' | 'review workbook';
}

export interface PlanOptions {
  source: InputSource;
  /** Needed only once the input is valid: a problem resolving it is raised then, not before. */
  connection: ConnectionSettings | SettingsProblem;
  statePath: string;
  shape: PlanShape;
  adopt: boolean;
  outputs: PlanOutput[];
  log: Log;
  redactor: Redactor;
  lpsyncVersion: string;
  /** The clock the saved plan's time is read from. */
  now: () => Date;
  /** The paper the review workbook prints on; default A4. */
  paper?: Paper;
  /**
   * Who makes the plan (the OS user, or the console's logged-in account): recorded in the state store as the
   * plan file's author, which an approval must not be. Absent, the plan has no author and cannot be approved.
   */
  by?: RunInvocation;
  onEvent?: (event: RunEvent) => void;
}

export type PlanResult = (
  | { kind: 'invalid'; loaded: LoadedWorkbook }
  | {
      kind: 'planned';
      loaded: LoadedWorkbook;
      change: PlannedChange;
      written: PlanOutput[];
      /** The plan file's author as the store recorded it (with `by` and a plan file written). */
      author: PlanRecord | null;
      /** Columns left blank on rows that match an existing target: kept as the platform has them. */
      kept: BlankKept[];
    }
) & { events: RunEvent[] };

/** Plans the change; nothing is sent. A fault (settings, platform unreachable, an --out not written) is thrown. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const { redactor } = options;
  const log = eventLog(options.onEvent);
  log.emit({ type: 'stage', stage: 'load', message: 'reading the input' });
  const loaded = await loadWorkbook(options.source);
  redactor.addSecrets(loaded.secrets);
  if (loaded.issues.some((i) => i.severity === 'error'))
    return { kind: 'invalid', loaded, events: log.events };
  const { connection } = options;
  if ('problem' in connection) throw connection.problem;
  const store = openStateStore(options.statePath);
  let client: ReturnType<typeof createClientFromSettings> | undefined;
  try {
    client = createClientFromSettings(connection, options.log, redactor, {
      lpsyncVersion: options.lpsyncVersion,
    });
    log.emit({ type: 'client', concurrency: client.concurrency });
    log.emit({ type: 'stage', stage: 'observe', message: 'reading the Live Platform' });
    const change = await planChange({
      loaded,
      client,
      store,
      concurrency: concurrencyCeiling(connection.concurrency),
      baseUrl: redactor.text(connection.baseUrl),
      shape: options.shape,
      adopt: options.adopt,
      redactor,
      lpsyncVersion: options.lpsyncVersion,
      createdAt: options.now().toISOString(),
    });
    log.emit({ type: 'stage', stage: 'plan', message: `${change.plan.actions.length} actions planned` });
    for (const out of options.outputs) await writeOutput(out, change, options.paper);
    const author = recordAuthor(store, options, change);
    const kept = blankKept(change.plan, loaded.rows, loaded.sheets);
    return { kind: 'planned', loaded, change, written: options.outputs, author, kept, events: log.events };
  } finally {
    client?.close();
    store.close();
  }
}

/** The plan file's author, with its `plan` audit entry: the approval of a plan is checked against it. */
function recordAuthor(store: StateStore, options: PlanOptions, change: PlannedChange): PlanRecord | null {
  const file = options.outputs.find((o) => o.what === 'plan file');
  if (!file || !options.by) return null;
  return store.recordPlan({
    sha256: change.sha256,
    file: file.path,
    at: change.saved.createdAt,
    by: options.by,
    redactor: options.redactor,
    counts: change.plan.counts,
  });
}

async function writeOutput(out: PlanOutput, change: PlannedChange, paper: Paper | undefined): Promise<void> {
  try {
    // A plan half written must not be approved: whole or not at all.
    if (out.what === 'plan file') writeFileAtomically(out.path, change.text);
    else
      await writeReviewWorkbook(out.path, {
        saved: change.saved,
        sha256: change.sha256,
        paper: paper ?? 'A4',
      });
  } catch (error) {
    throw new RunError('invalid-options', `Cannot write --out ${out.path}: ${(error as Error).message}`, {
      hint: 'Name a file in a folder you can write to.',
    });
  }
}
