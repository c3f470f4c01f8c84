/** The store's face of the audit chain: appending, reading a run's entries, report snapshots, pruning. */
import type Database from 'better-sqlite3';
import type { AuditChain, AuditContent, AuditKind, ChainHead, NewAuditEntry } from './audit.js';
import { pruneAudit } from './audit-prune.js';
import { asList } from './one-or-many.js';
import type { StateStore } from './store.js';

export function auditStore(
  db: Database.Database,
  chain: AuditChain,
): Pick<
  StateStore,
  'appendAudit' | 'auditEntries' | 'noteRequest' | 'auditHead' | 'saveReportSnapshot' | 'prune'
> {
  const q = {
    saveReport: db.prepare('INSERT INTO run_reports (run_id, seq, sha256, data) VALUES (?, ?, ?, ?)'),
    auditOfRun: db.prepare(
      "SELECT kind, content FROM audit WHERE run_id = ? AND kind IN ('run-start', 'resume', 'run-end', 'report') ORDER BY seq",
    ),
  };

  return {
    appendAudit: db.transaction((entries: NewAuditEntry | readonly NewAuditEntry[]): ChainHead => {
      let head: ChainHead | null = null;
      for (const entry of asList(entries)) {
        const { seq, hash } = chain.append(entry);
        head = { seq, hash };
      }
      return head ?? (chain.head() as ChainHead);
    }),
    auditEntries: (runId, kinds) =>
      (q.auditOfRun.all(runId) as Array<{ content: string; kind: AuditKind }>)
        .filter((row) => kinds.includes(row.kind))
        .map((row) => JSON.parse(row.content) as AuditContent),
    noteRequest: (entry) => chain.note(entry),
    auditHead: () => {
      chain.flush();
      return chain.head();
    },
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
