/**
 * Saved plans' authors and their approvals in a real store: each row written with its audit entry in one
 * transaction; a row edited, deleted or inserted with plain SQL (as the sqlite3 command line would) is named
 * by `audit verify`; a prune that removes their entries carries them on, so verify stays green.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/model/redact.js';
import { openAuditReader } from '../../src/state/audit-read.js';
import { openStateStore, type RunInvocation } from '../../src/state/index.js';
import { daysAgo, verify, writeRun } from './audit-runs.js';

const PLAN = 'ab12'.repeat(16);
const alice: RunInvocation = {
  user: 'alice',
  host: 'build-01',
  pid: 11,
  commandLine: ['lpsync', 'plan', 'book.xlsx', '--out', 'cr42.plan.json'],
};
const bob: RunInvocation = {
  user: 'bob',
  role: 'approver',
  osUser: 'lpsync',
  host: 'build-01',
  pid: 12,
  commandLine: ['lpsync', 'approve', '--plan', 'cr42.plan.json', '--as', 'bob'],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-approvals-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function approvedStore(): string {
  const path = join(dir, 'state.db');
  const store = openStateStore(path);
  const redactor = createRedactor();
  store.recordPlan({
    sha256: PLAN,
    file: '/srv/cr42.plan.json',
    at: '2026-12-01T09:00:00.000Z',
    by: alice,
    redactor,
    counts: { 'add-site': 1 },
  });
  store.recordApproval({ sha256: PLAN, at: '2026-12-01T10:00:00.000Z', by: bob, redactor });
  store.close();
  return path;
}

function tampered(path: string, sql: string): string {
  const copy = join(dir, `tampered-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.exec(sql);
  db.close();
  return copy;
}

describe('plans and approvals', () => {
  it('are rows with audit entries: who, as which role, from where, how, when', () => {
    const path = approvedStore();
    const store = openStateStore(path);
    try {
      expect(store.planRecord(PLAN)).toEqual({
        id: 1,
        sha256: PLAN,
        file: '/srv/cr42.plan.json',
        by: 'alice',
        role: null,
        host: 'build-01',
        at: '2026-12-01T09:00:00.000Z',
      });
      expect(store.approvalsOf(PLAN)).toEqual([
        {
          id: 1,
          sha256: PLAN,
          by: 'bob',
          role: 'approver',
          host: 'build-01',
          at: '2026-12-01T10:00:00.000Z',
        },
      ]);
      // The first author stays; a second approval by the same person is not a second row.
      expect(
        store.recordPlan({
          sha256: PLAN,
          file: 'x',
          at: 'later',
          by: bob,
          redactor: createRedactor(),
          counts: {},
        }).by,
      ).toBe('alice');
      expect(
        store.recordApproval({ sha256: PLAN, at: 'later', by: bob, redactor: createRedactor() }).recorded,
      ).toBe(false);
    } finally {
      store.close();
    }
    const reader = openAuditReader(path);
    try {
      expect(reader.entries(['plan', 'approval']).map((e) => [e.kind, e.data])).toEqual([
        [
          'plan',
          {
            id: 1,
            user: 'alice',
            role: null,
            host: 'build-01',
            pid: 11,
            commandLine: 'lpsync plan book.xlsx --out cr42.plan.json',
            planSha256: PLAN,
            planFile: '/srv/cr42.plan.json',
            plannedAt: '2026-12-01T09:00:00.000Z',
            counts: { 'add-site': 1 },
          },
        ],
        [
          'approval',
          {
            id: 1,
            user: 'bob',
            role: 'approver',
            osUser: 'lpsync',
            host: 'build-01',
            pid: 12,
            commandLine: 'lpsync approve --plan cr42.plan.json --as bob',
            planSha256: PLAN,
            approvedAt: '2026-12-01T10:00:00.000Z',
          },
        ],
      ]);
    } finally {
      reader.close();
    }
    expect(verify(path)).toMatchObject({ ok: true, problems: [] });
  });

  it('audit verify names an approval row edited in SQLite: who approved, or when', () => {
    const path = approvedStore();
    const who = verify(tampered(path, "UPDATE approvals SET approved_by = 'mallory'"));
    expect(who.ok).toBe(false);
    expect(who.problems).toEqual([
      {
        entry: 2,
        message: `approvals row 1 (plan ${PLAN}, approved by bob) was edited: it differs from the audit chain (entry 2): by: "bob" in the chain, "mallory" in the table`,
      },
    ]);
    const when = verify(tampered(path, "UPDATE approvals SET approved_at = '2026-11-01T10:00:00.000Z'"));
    expect(when.problems.map((p) => p.message)).toEqual([
      `approvals row 1 (plan ${PLAN}, approved by bob) was edited: it differs from the audit chain (entry 2): at: "2026-12-01T10:00:00.000Z" in the chain, "2026-11-01T10:00:00.000Z" in the table`,
    ]);
  });

  it('audit verify names an approval inserted or deleted, and a plan whose author was changed', () => {
    const path = approvedStore();
    const inserted = verify(
      tampered(
        path,
        `INSERT INTO approvals (plan_sha256, approved_by, role, host, approved_at) VALUES ('${PLAN}', 'carol', 'approver', 'h', 't')`,
      ),
    );
    expect(inserted.problems.map((p) => p.message)).toEqual([
      `approvals row 2 (plan ${PLAN}, approved by carol) is not in the audit chain: inserted`,
    ]);
    const deleted = verify(tampered(path, 'DELETE FROM approvals'));
    expect(deleted.problems.map((p) => p.message)).toEqual([
      `approvals row 1 (plan ${PLAN}, approved by bob) was deleted: the audit chain has it (entry 2)`,
    ]);
    const author = verify(tampered(path, "UPDATE plans SET planned_by = 'bob'"));
    expect(author.problems.map((p) => p.message)).toEqual([
      `plans row 1 (plan ${PLAN}, made by alice) was edited: it differs from the audit chain (entry 1): by: "alice" in the chain, "bob" in the table`,
    ]);
  });

  it('a prune that removes their entries carries them on after its checkpoint: verify stays green', () => {
    const path = approvedStore();
    const store = openStateStore(path);
    writeRun(store, 'run-old', daysAgo(30), ['Old1']);
    writeRun(store, 'run-new', daysAgo(1), ['New1']);
    const pruned = store.prune({ cutoff: daysAgo(10), keepDays: 10, by: { user: 'alice' } });
    store.close();
    expect(pruned.removedRuns).toEqual(['run-old']);
    expect(pruned.removedFrom).toBe(1);
    expect(verify(path)).toMatchObject({ ok: true, problems: [] });
    const reader = openAuditReader(path);
    try {
      expect(reader.entries(['plan', 'approval']).map((e) => [e.kind, e.data.carried])).toEqual([
        ['plan', true],
        ['approval', true],
      ]);
    } finally {
      reader.close();
    }
    // Still vouched for: an edit after the prune is named.
    const edited = verify(tampered(path, "UPDATE approvals SET approved_by = 'mallory'"));
    expect(edited.problems[0]?.message).toMatch(/^approvals row 1 \(plan \w+, approved by bob\) was edited/);
  });
});
