/**
 * The runs table: one row per apply or reconcile, opened (and each resume recorded) with its chain entries
 * and its planned changes in one transaction, and closed with a chain entry; the context a run is begun
 * with is kept for its later entries.
 */
import type Database from 'better-sqlite3';
import type { ActionRecord } from '../model/action-record.js';
import type { AuditChain } from './audit.js';
import { changeEntries } from './planned-changes.js';
import { toRun, type RunRow } from './rows.js';
import { readBackEnded, resumeDetails, runStartDetails, type KeptRun, type RunBegun } from './run-context.js';
import type { StateStore } from './store.js';
import { transaction } from './transaction.js';
import type { RunRecord } from './types.js';

export function runStore(
  db: Database.Database,
  chain: AuditChain,
  kept: Map<string, KeptRun>,
): Pick<StateStore, 'createRun' | 'resumeRun' | 'finishRun' | 'getRun' | 'runOfPlan' | 'latestRun'> {
  const q = {
    insertRun: db.prepare(`
      INSERT INTO runs (run_id, command, input_file, input_digest, base_url, started_at, ended_at, status,
        plan_sha256, plan_file)
      VALUES (@runId, @command, @inputFile, @inputDigest, @baseUrl, @startedAt, NULL, 'running', @planSha256, @planFile)`),
    runOfPlan: db.prepare('SELECT * FROM runs WHERE plan_sha256 = ? ORDER BY started_at LIMIT 1'),
    finishRun: db.prepare('UPDATE runs SET status = ?, ended_at = ? WHERE run_id = ?'),
    getRun: db.prepare('SELECT * FROM runs WHERE run_id = ?'),
    latestRun: db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1'),
    latestUnfinished: db.prepare(
      "SELECT * FROM runs WHERE status <> 'finished' ORDER BY started_at DESC, rowid DESC LIMIT 1",
    ),
  };
  return {
    ...beginRuns(db, chain, kept, q.insertRun),
    runOfPlan: (sha256) => toRun(q.runOfPlan.get(sha256) as RunRow | undefined),
    finishRun: db.transaction(
      (
        runId: string,
        status: RunRecord['status'],
        details: Record<string, unknown> = {},
        final?: readonly ActionRecord[],
      ) => {
        const endedAt = status === 'running' ? null : new Date().toISOString();
        q.finishRun.run(status, endedAt, runId);
        const readBack = final ? { readBack: readBackEnded(kept.get(runId), final) } : {};
        chain.append({
          kind: 'run-end',
          runId,
          ...(endedAt ? { at: endedAt } : {}),
          data: { ...details, ...readBack, runId, status, endedAt },
        });
      },
    ),
    getRun: (runId) => toRun(q.getRun.get(runId) as RunRow | undefined),
    latestRun: (options = {}) =>
      toRun((options.unfinishedOnly ? q.latestUnfinished : q.latestRun).get() as RunRow | undefined),
  };
}

/** A run's start (or resume) with its planned changes, one transaction each; the run kept once written. */
function beginRuns(
  db: Database.Database,
  chain: AuditChain,
  kept: Map<string, KeptRun>,
  insertRun: Database.Statement,
): Pick<StateStore, 'createRun' | 'resumeRun'> {
  // Its planned changes follow a run's start or resume, at the same time.
  const appendChanges = (runId: string, begun: RunBegun, at: string): void => {
    for (const entry of changeEntries(runId, begun.planned, begun.context.redactor, at)) chain.append(entry);
  };
  // Kept once its start is written: the run's later entries (its end, its account) are told from it.
  const keep = (runId: string, begun: RunBegun): void => {
    kept.set(runId, { context: begun.context, continuing: begun.continuing });
  };
  const createRun = transaction(
    db,
    chain,
    (run: Parameters<StateStore['createRun']>[0], begun?: RunBegun): RunRecord => {
      const plan = run.plan ?? null;
      insertRun.run({ ...run, planSha256: plan?.sha256 ?? null, planFile: plan?.file ?? null });
      const created: RunRecord = {
        runId: run.runId,
        command: run.command,
        inputFile: run.inputFile,
        inputDigest: run.inputDigest,
        baseUrl: run.baseUrl,
        startedAt: run.startedAt,
        plan,
        endedAt: null,
        status: 'running',
      };
      chain.append({
        kind: 'run-start',
        runId: run.runId,
        at: run.startedAt,
        data: { ...(begun ? runStartDetails(begun) : {}), ...created },
      });
      if (begun) appendChanges(run.runId, begun, run.startedAt);
      return created;
    },
  );
  const resumeRun = transaction(db, chain, (runId: string, inputDigest: string, begun: RunBegun): void => {
    const at = new Date().toISOString();
    chain.append({ kind: 'resume', runId, at, data: resumeDetails(runId, inputDigest, begun) });
    appendChanges(runId, begun, at);
  });

  return {
    createRun: (run, begun) => {
      const created = createRun(run, begun);
      if (begun) keep(run.runId, begun);
      return created;
    },
    resumeRun: (runId, inputDigest, begun) => {
      resumeRun(runId, inputDigest, begun);
      keep(runId, begun);
    },
  };
}
