/** The store's face of the audit chain: requests sent, a run's account, report snapshots, pruning. */
import type Database from 'better-sqlite3';
import type { AuditChain, AuditContent, ChainHead } from './audit.js';
import { pruneAudit } from './audit-prune.js';
import { keptRun, runTrail, type KeptRun } from './run-context.js';
import type { StateStore } from './store.js';

export function auditStore(
  db: Database.Database,
  chain: AuditChain,
  kept: ReadonlyMap<string, KeptRun>,
): Pick<StateStore, 'requestSent' | 'trailOf' | 'auditHead' | 'saveReportSnapshot' | 'prune'> {
  const q = {
    saveReport: db.prepare('INSERT INTO run_reports (run_id, seq, sha256, data) VALUES (?, ?, ?, ?)'),
    sessionsOf: db.prepare(
      "SELECT content FROM audit WHERE run_id = ? AND kind IN ('run-start', 'resume') ORDER BY seq",
    ),
  };
  const auditHead = (): ChainHead | null => {
    chain.flush();
    return chain.head();
  };

  return {
    requestSent: (runId, request) => {
      const { actionId, at, ...data } = request;
      chain.note({ kind: 'request', runId, actionId, at, data });
    },
    trailOf: (runId) => {
      const sessions = (q.sessionsOf.all(runId) as Array<{ content: string }>).map(
        (row) => JSON.parse(row.content) as AuditContent,
      );
      return runTrail(keptRun(kept, runId).context, sessions, auditHead());
    },
    auditHead,
    saveReportSnapshot: db.transaction(
      (
        runId: string,
        snapshot: { gzip: Buffer; sha256: string },
        data: Record<string, unknown>,
      ): ChainHead => {
        const { seq, hash } = chain.append({
          kind: 'report',
          runId,
          data: { ...data, runId, sha256: snapshot.sha256 },
        });
        q.saveReport.run(runId, seq, snapshot.sha256, snapshot.gzip);
        return { seq, hash };
      },
    ),
    prune: (options) => {
      chain.flush();
      return pruneAudit(db, chain, options);
    },
  };
}
