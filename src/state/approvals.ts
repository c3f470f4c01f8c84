/**
 * Saved plans and their approvals: who made a plan file (by its SHA-256, as `plan --out` wrote it) and who
 * approved it, each row written in the same transaction as its audit entry, so `audit verify` names a row
 * edited afterwards. A plan is recorded once (its first author stays); an approval once per person.
 */
import type Database from 'better-sqlite3';
import type { Redactor } from '../model/redact.js';
import { isRole, type Role } from '../model/roles.js';
import { shellQuote } from '../model/shell-quote.js';
import type { AuditChain } from './audit.js';
import type { RunInvocation } from './run-context.js';

/** Schema migration (issue 24): the saved plans' authors and the approvals of them. */
export const APPROVALS_MIGRATION = `
  CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    plan_sha256 TEXT NOT NULL UNIQUE,
    plan_file   TEXT NOT NULL,
    planned_by  TEXT NOT NULL,
    role        TEXT,
    host        TEXT NOT NULL,
    planned_at  TEXT NOT NULL
  );
  CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY,
    plan_sha256 TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    role        TEXT,
    host        TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    UNIQUE (plan_sha256, approved_by)
  );
`;

/** Who made a saved plan, and when. */
export interface PlanRecord {
  /** The row's id: its audit entry names it, so an edit of any other column is told as an edit. */
  id: number;
  sha256: string;
  /** As written (secrets in the path masked). */
  file: string;
  by: string;
  /** The account's role, when it was made by an lpsync account; null for an OS user. */
  role: Role | null;
  host: string;
  at: string;
}

/** Who approved a saved plan, and when. */
export interface ApprovalRecord {
  id: number;
  sha256: string;
  by: string;
  role: Role | null;
  host: string;
  at: string;
}

export interface PlanRow {
  id: number;
  plan_sha256: string;
  plan_file: string;
  planned_by: string;
  role: string | null;
  host: string;
  planned_at: string;
}

export interface ApprovalRow {
  id: number;
  plan_sha256: string;
  approved_by: string;
  role: string | null;
  host: string;
  approved_at: string;
}

export const toPlanRecord = (row: PlanRow): PlanRecord => ({
  id: row.id,
  sha256: row.plan_sha256,
  file: row.plan_file,
  by: row.planned_by,
  role: isRole(row.role) ? row.role : null,
  host: row.host,
  at: row.planned_at,
});

export const toApprovalRecord = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  sha256: row.plan_sha256,
  by: row.approved_by,
  role: isRole(row.role) ? row.role : null,
  host: row.host,
  at: row.approved_at,
});

/** What `plan --out` tells the store of a plan file it wrote. */
export interface PlanMade {
  sha256: string;
  file: string;
  at: string;
  by: RunInvocation;
  redactor: Redactor;
  /** Actions per kind, for the entry. */
  counts: Record<string, number>;
}

/** What an approval tells the store. */
export interface ApprovalGiven {
  sha256: string;
  at: string;
  by: RunInvocation;
  redactor: Redactor;
}

export interface ApprovalStore {
  /** Records who made the plan with its `plan` entry; a plan recorded before keeps its first author. */
  recordPlan(plan: PlanMade): PlanRecord;
  /** The plan file's author, when this store recorded it. */
  planRecord(sha256: string): PlanRecord | null;
  /** Records the approval with its `approval` entry; a person's second approval of a plan keeps the first. */
  recordApproval(approval: ApprovalGiven): { approval: ApprovalRecord; recorded: boolean };
  /** Every approval of the plan, oldest first. */
  approvalsOf(sha256: string): ApprovalRecord[];
}

/** Who did it, as the entry holds it: the person, their account's role, and how lpsync was run. */
function actorDetails(by: RunInvocation, redactor: Redactor): Record<string, unknown> {
  return {
    user: by.user,
    role: by.role ?? null,
    ...(by.osUser === undefined ? {} : { osUser: by.osUser }),
    host: by.host,
    pid: by.pid,
    commandLine: redactor.text(by.commandLine.map(shellQuote).join(' ')),
  };
}

export function approvalStore(db: Database.Database, chain: AuditChain): ApprovalStore {
  const q = {
    plan: db.prepare('SELECT * FROM plans WHERE plan_sha256 = ?'),
    insertPlan: db.prepare(
      'INSERT INTO plans (plan_sha256, plan_file, planned_by, role, host, planned_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    approval: db.prepare('SELECT * FROM approvals WHERE plan_sha256 = ? AND approved_by = ?'),
    approvals: db.prepare('SELECT * FROM approvals WHERE plan_sha256 = ? ORDER BY id'),
    insertApproval: db.prepare(
      'INSERT INTO approvals (plan_sha256, approved_by, role, host, approved_at) VALUES (?, ?, ?, ?, ?)',
    ),
  };
  const planRecord = (sha256: string): PlanRecord | null => {
    const row = q.plan.get(sha256) as PlanRow | undefined;
    return row ? toPlanRecord(row) : null;
  };
  const recordPlan = db.transaction((made: PlanMade): PlanRecord => {
    const known = planRecord(made.sha256);
    if (known) return known;
    const file = made.redactor.text(made.file);
    const role = made.by.role ?? null;
    const id = Number(
      q.insertPlan.run(made.sha256, file, made.by.user, role, made.by.host, made.at).lastInsertRowid,
    );
    chain.append({
      kind: 'plan',
      runId: null,
      at: made.at,
      data: {
        ...actorDetails(made.by, made.redactor),
        id,
        planSha256: made.sha256,
        planFile: file,
        plannedAt: made.at,
        counts: made.counts,
      },
    });
    return { id, sha256: made.sha256, file, by: made.by.user, role, host: made.by.host, at: made.at };
  });
  const recordApproval = db.transaction((given: ApprovalGiven) => {
    const known = q.approval.get(given.sha256, given.by.user) as ApprovalRow | undefined;
    if (known) return { approval: toApprovalRecord(known), recorded: false };
    const role = given.by.role ?? null;
    const id = Number(
      q.insertApproval.run(given.sha256, given.by.user, role, given.by.host, given.at).lastInsertRowid,
    );
    chain.append({
      kind: 'approval',
      runId: null,
      at: given.at,
      data: { ...actorDetails(given.by, given.redactor), id, planSha256: given.sha256, approvedAt: given.at },
    });
    const approval: ApprovalRecord = {
      id,
      sha256: given.sha256,
      by: given.by.user,
      role,
      host: given.by.host,
      at: given.at,
    };
    return { approval, recorded: true };
  });
  return {
    recordPlan,
    planRecord,
    recordApproval,
    approvalsOf: (sha256) => (q.approvals.all(sha256) as ApprovalRow[]).map(toApprovalRecord),
  };
}
