/** The runs table: one row per apply or reconcile, opened and closed with a chain entry each. */
import type Database from 'better-sqlite3';
import type { AuditChain } from './audit.js';
import { toRun, type RunRow } from './rows.js';
import type { StateStore } from './store.js';
import type { RunRecord } from './types.js';

export function runStore(
  db: Database.Database,
  chain: AuditChain,
): Pick<StateStore, 'createRun' | 'finishRun' | 'getRun' | 'runOfPlan' | 'latestRun'> {
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
    createRun: db.transaction(
      (run: Parameters<StateStore['createRun']>[0], details: Record<string, unknown> = {}): RunRecord => {
        const plan = run.plan ?? null;
        q.insertRun.run({ ...run, planSha256: plan?.sha256 ?? null, planFile: plan?.file ?? null });
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
          data: { ...details, ...created },
        });
        return created;
      },
    ),
    runOfPlan: (sha256) => toRun(q.runOfPlan.get(sha256) as RunRow | undefined),
    finishRun: db.transaction(
      (runId: string, status: RunRecord['status'], details: Record<string, unknown> = {}) => {
        const endedAt = status === 'running' ? null : new Date().toISOString();
        q.finishRun.run(status, endedAt, runId);
        chain.append({
          kind: 'run-end',
          runId,
          ...(endedAt ? { at: endedAt } : {}),
          data: { ...details, runId, status, endedAt },
        });
      },
    ),
    getRun: (runId) => toRun(q.getRun.get(runId) as RunRow | undefined),
    latestRun: (options = {}) =>
      toRun((options.unfinishedOnly ? q.latestUnfinished : q.latestRun).get() as RunRow | undefined),
  };
}
