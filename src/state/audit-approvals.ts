/**
 * The saved plans' authors and their approvals held against the audit chain (part of `audit verify`): a
 * `plans` or `approvals` row edited, deleted or inserted outside lpsync is named with the entry that
 * vouches for it; and, for `history prune`, those whose entries a prune removes are written again after
 * its checkpoint, so they stay vouched for.
 */
import type Database from 'better-sqlite3';
import { canonicalJson, type AuditChain, type AuditContent } from './audit.js';
import type { AuditProblem } from './audit-verify.js';
import { toApprovalRecord, toPlanRecord, type ApprovalRow, type PlanRow } from './approvals.js';

/** What the chain says the two tables hold, by row id. */
export interface ExpectedApprovals {
  plans: Map<number, { seq: number; row: Record<string, unknown> }>;
  approvals: Map<number, { seq: number; row: Record<string, unknown> }>;
}

/** A `plan` or `approval` entry, as the row it vouches for. */
export function collectApproval(content: AuditContent, expected: ExpectedApprovals): void {
  const d = content.data;
  const common = { id: Number(d.id), sha256: String(d.planSha256), by: String(d.user), role: d.role ?? null };
  if (content.kind === 'plan') {
    const row = { ...common, file: String(d.planFile), host: String(d.host), at: String(d.plannedAt) };
    expected.plans.set(row.id, { seq: content.seq, row });
  } else if (content.kind === 'approval') {
    const row = { ...common, host: String(d.host), at: String(d.approvedAt) };
    expected.approvals.set(row.id, { seq: content.seq, row });
  }
}

const planName = (r: { id: unknown; sha256: unknown; by: unknown }) =>
  `plans row ${String(r.id)} (plan ${String(r.sha256)}, made by ${String(r.by)})`;
const approvalName = (r: { id: unknown; sha256: unknown; by: unknown }) =>
  `approvals row ${String(r.id)} (plan ${String(r.sha256)}, approved by ${String(r.by)})`;

/** Each row of `plans` and `approvals` against its entry: edited, inserted or deleted is named. */
export function checkApprovals(
  db: Database.Database,
  expected: ExpectedApprovals,
  problems: AuditProblem[],
): void {
  const plans = (db.prepare('SELECT * FROM plans ORDER BY id').all() as PlanRow[]).map(toPlanRecord);
  compare(plans, expected.plans, planName, problems);
  const approvals = (db.prepare('SELECT * FROM approvals ORDER BY id').all() as ApprovalRow[]).map(
    toApprovalRecord,
  );
  compare(approvals, expected.approvals, approvalName, problems);
}

function compare(
  rows: ReadonlyArray<{ id: number; sha256: string; by: string }>,
  expected: ExpectedApprovals['plans'],
  nameOf: (r: { id: unknown; sha256: unknown; by: unknown }) => string,
  problems: AuditProblem[],
): void {
  const seen = new Set<number>();
  for (const row of rows) {
    seen.add(row.id);
    const known = expected.get(row.id);
    if (!known) {
      problems.push({ entry: null, message: `${nameOf(row)} is not in the audit chain: inserted` });
      continue;
    }
    const diff = differences(known.row, row);
    if (diff)
      problems.push({
        entry: known.seq,
        message: `${nameOf(known.row as { id: unknown; sha256: unknown; by: unknown })} was edited: it differs from the audit chain (entry ${known.seq}): ${diff}`,
      });
  }
  for (const [id, known] of expected)
    if (!seen.has(id))
      problems.push({
        entry: known.seq,
        message: `${nameOf(known.row as { id: unknown; sha256: unknown; by: unknown })} was deleted: the audit chain has it (entry ${known.seq})`,
      });
}

function differences(chain: Record<string, unknown>, table: Record<string, unknown>): string {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(chain), ...Object.keys(table)])) {
    const x = canonicalJson(chain[key]);
    const y = canonicalJson(table[key]);
    if (x !== y) out.push(`${key}: ${x} in the chain, ${y} in the table`);
  }
  return out.join('; ');
}

/** The keys whose entries stay after a prune that removes entries up to `cut`. */
function vouchedAfter(db: Database.Database, cut: number): Set<string> {
  const rows = db
    .prepare("SELECT kind, content FROM audit WHERE kind IN ('plan', 'approval') AND seq > ?")
    .all(cut) as Array<{ kind: string; content: string }>;
  return new Set(
    rows.map((r) => {
      const d = (JSON.parse(r.content) as AuditContent).data;
      return `${r.kind}\u0000${String(d.id)}`;
    }),
  );
}

/**
 * For `history prune`, before it removes entries up to `cut`: a function that, once they are gone, writes
 * again the plans and approvals whose entries went (marked `carried`), after the checkpoint.
 */
export function carryApprovals(db: Database.Database, chain: AuditChain, cut: number): (at: string) => void {
  const kept = vouchedAfter(db, cut);
  return (at) => {
    for (const p of (db.prepare('SELECT * FROM plans ORDER BY rowid').all() as PlanRow[]).map(toPlanRecord)) {
      if (kept.has(`plan\u0000${p.id}`)) continue;
      chain.append({
        kind: 'plan',
        runId: null,
        at,
        data: {
          id: p.id,
          planSha256: p.sha256,
          planFile: p.file,
          user: p.by,
          role: p.role,
          host: p.host,
          plannedAt: p.at,
          carried: true,
        },
      });
    }
    const approvals = (db.prepare('SELECT * FROM approvals ORDER BY rowid').all() as ApprovalRow[]).map(
      toApprovalRecord,
    );
    for (const a of approvals) {
      if (kept.has(`approval\u0000${a.id}`)) continue;
      chain.append({
        kind: 'approval',
        runId: null,
        at,
        data: {
          id: a.id,
          planSha256: a.sha256,
          user: a.by,
          role: a.role,
          host: a.host,
          approvedAt: a.at,
          carried: true,
        },
      });
    }
  };
}
