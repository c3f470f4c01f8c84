/**
 * The audit trail in a real SQLite file: every write of the store is an entry of one SHA-256 chain; an
 * entry or a table row edited, deleted, inserted or swapped with plain SQL through another connection (what
 * the sqlite3 command line does) is named by verify; a store from before the trail is adopted; pruning
 * keeps verify green.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRuns } from '../../src/run/history.js';
import { canonicalJson } from '../../src/state/audit.js';
import { openAuditReader } from '../../src/state/audit-read.js';
import { openStateStore, SCHEMA_VERSION } from '../../src/state/index.js';
import { daysAgo, record, sentRequest, sha, verify, writeRun } from './audit-runs.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-audit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the store edited with plain SQL through its own connection, as the sqlite3 command line would. */
function tampered(path: string, edit: (db: Database.Database) => void): string {
  const copy = join(dir, `tampered-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  const db = new Database(copy);
  try {
    edit(db);
  } finally {
    db.close();
  }
  return copy;
}

function sampleStore(): string {
  const path = join(dir, 'state.db');
  const store = openStateStore(path);
  writeRun(store, 'run-1', daysAgo(1), ['A1', 'B2']);
  store.close();
  return path;
}

describe('the audit chain', () => {
  it('holds every write of the store as one SHA-256 chain: content hashed, each linked to the one before', () => {
    const path = sampleStore();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Array<
      Record<string, string | number>
    >;
    db.close();
    expect(rows.map((r) => r.kind)).toEqual([
      'run-start',
      'action',
      'action',
      'request',
      'action',
      'applied',
      'applied',
      'request',
      'action',
      'applied',
      'applied',
      'report',
      'run-end',
    ]);
    let prev = '0'.repeat(64);
    rows.forEach((row, i) => {
      const content = String(row.content);
      expect(row.seq).toBe(i + 1);
      // Canonical: keys sorted, no spaces, the entry's own position inside.
      expect(canonicalJson(JSON.parse(content))).toBe(content);
      expect(JSON.parse(content)).toMatchObject({ seq: i + 1, kind: row.kind });
      expect(row.content_sha256).toBe(sha(content));
      expect(row.prev).toBe(prev);
      expect(row.hash).toBe(sha(prev + sha(content)));
      prev = String(row.hash);
    });
    const verdict = verify(path);
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({
      ok: true,
      entries: 13,
      first: 1,
      runs: 1,
      head: { seq: 13, hash: prev },
    });
  });

  it.each<[string, (db: Database.Database) => void, RegExp]>([
    [
      'an entry edited',
      (db) =>
        db.prepare("UPDATE audit SET content = replace(content, 'succeeded', 'failed') WHERE seq = 5").run(),
      /^entry 5 was edited: its content no longer matches its SHA-256 \(action, run-1, customer:A1\)/,
    ],
    [
      'an entry edited and its own hashes recomputed',
      (db) => {
        const row = db.prepare('SELECT content, prev FROM audit WHERE seq = 5').get() as {
          content: string;
          prev: string;
        };
        const content = row.content.replace('succeeded', 'failed');
        db.prepare('UPDATE audit SET content = ?, content_sha256 = ?, hash = ? WHERE seq = 5').run(
          content,
          sha(content),
          sha(row.prev + sha(content)),
        );
      },
      /^entry 6 does not follow entry 5/,
    ],
    [
      'an entry deleted',
      (db) => db.prepare('DELETE FROM audit WHERE seq = 7').run(),
      /^entry 7 is missing: deleted/,
    ],
    [
      'the first entry deleted',
      (db) => db.prepare('DELETE FROM audit WHERE seq = 1').run(),
      /entry 1 is missing: deleted from the start of the chain/,
    ],
    [
      'two entries swapped',
      (db) => {
        db.prepare('UPDATE audit SET seq = -1 WHERE seq = 8').run();
        db.prepare('UPDATE audit SET seq = 8 WHERE seq = 9').run();
        db.prepare('UPDATE audit SET seq = 9 WHERE seq = -1').run();
      },
      /^entry 8 holds the content of entry 9: entries were swapped or moved/,
    ],
    [
      'an entry inserted before the first',
      (db) => {
        const content = canonicalJson({
          seq: 0,
          kind: 'request',
          at: daysAgo(2),
          runId: 'run-1',
          actionId: null,
          data: {},
        });
        db.prepare(
          "INSERT INTO audit (seq, kind, run_id, action_id, at, content, content_sha256, prev, hash) VALUES (0, 'request', 'run-1', NULL, ?, ?, ?, ?, ?)",
        ).run(
          JSON.parse(content).at,
          content,
          sha(content),
          '0'.repeat(64),
          sha('0'.repeat(64) + sha(content)),
        );
      },
      /entry 0 is not the start of the chain .*inserted before entry 1/,
    ],
    [
      'the last entry deleted',
      (db) => db.prepare('DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)').run(),
      /^runs row run-1 was edited: it differs from the audit chain \(entry 1\): endedAt: null in the chain, "[^"]+" in the table; status: "running" in the chain, "finished" in the table/,
    ],
    [
      'a journal row edited',
      (db) => db.prepare("UPDATE journal SET status = 'failed' WHERE action_id = 'customer:B2'").run(),
      /^journal row \(run run-1, action customer:B2\) was edited: it differs from the audit chain \(entry 9\): status: "succeeded" in the chain, "failed" in the table$/,
    ],
    [
      'a journal row deleted',
      (db) => db.prepare("DELETE FROM journal WHERE action_id = 'customer:A1'").run(),
      /^journal row \(run run-1, action customer:A1\) was deleted: the audit chain has it \(entry 5\)/,
    ],
    [
      'two journal rows swapped',
      (db) =>
        db
          .prepare(
            "UPDATE journal SET customer_guid = CASE action_id WHEN 'customer:A1' THEN 'guid-B2' ELSE 'guid-A1' END",
          )
          .run(),
      /^journal row \(run run-1, action customer:A1\) was edited: .*customerGuid: "guid-A1" in the chain, "guid-B2" in the table/,
    ],
    [
      'a journal row inserted',
      (db) =>
        db
          .prepare(
            "INSERT INTO journal (run_id, action_id, kind, status, customer_short_name, attempts, messages) VALUES ('run-1', 'customer:C3', 'create-customer', 'succeeded', 'C3', 1, '[]')",
          )
          .run(),
      /^journal row \(run run-1, action customer:C3\) is not in the audit chain: inserted/,
    ],
    [
      'a runs row edited',
      (db) => db.prepare("UPDATE runs SET input_digest = 'cd' WHERE run_id = 'run-1'").run(),
      /^runs row run-1 was edited: .*inputDigest/,
    ],
    [
      'a runs row deleted',
      (db) => db.prepare("DELETE FROM runs WHERE run_id = 'run-1'").run(),
      /^runs row run-1 was deleted: the audit chain has it \(entry 13\)/,
    ],
    [
      'an applied row edited',
      (db) => db.prepare("UPDATE applied_sites SET digest = 'x' WHERE short_name = 'B2'").run(),
      /^applied_sites row B2 \/ HQ was edited: it differs from the audit chain \(entry 11\): digest/,
    ],
    [
      'a report snapshot deleted',
      (db) => db.prepare('DELETE FROM run_reports').run(),
      /^report snapshot of run run-1 \(entry 12\) was deleted/,
    ],
    [
      'a report snapshot edited',
      (db) => db.prepare('UPDATE run_reports SET data = ?').run(gzipSync(Buffer.from('{}'))),
      /^report snapshot of run run-1 \(entry 12\) was edited/,
    ],
  ])('names %s', (_what, edit, first) => {
    const path = sampleStore();
    expect(verify(path).ok).toBe(true);
    const verdict = verify(tampered(path, edit));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]?.message).toMatch(first);
  });

  it('a chain rewritten from an edited entry onwards passes on its own, not against the head kept elsewhere', () => {
    const path = sampleStore();
    const kept = verify(path).head!.hash;
    const rewritten = tampered(path, (db) => {
      // Edit an applied digest in the chain and in its table, then recompute every hash after it.
      const rows = db.prepare('SELECT seq, content, prev FROM audit ORDER BY seq').all() as Array<{
        seq: number;
        content: string;
        prev: string;
      }>;
      let prev = rows[9]!.prev;
      for (const row of rows.slice(9)) {
        const content =
          row.seq === 10 ? row.content.replace(/"digest":"[0-9a-f]+"/, '"digest":"forged"') : row.content;
        const hash = sha(prev + sha(content));
        db.prepare('UPDATE audit SET content = ?, content_sha256 = ?, prev = ?, hash = ? WHERE seq = ?').run(
          content,
          sha(content),
          prev,
          hash,
          row.seq,
        );
        prev = hash;
      }
      db.prepare("UPDATE applied_customers SET digest = 'forged' WHERE short_name = 'B2'").run();
    });
    expect(verify(rewritten).ok).toBe(true);
    const againstKept = verify(rewritten, kept);
    expect(againstKept.ok).toBe(false);
    expect(againstKept.keptHead).toEqual({ hash: kept, seq: null });
    expect(verify(path, kept)).toMatchObject({ ok: true, keptHead: { hash: kept, seq: 13 } });
  });

  it('a store written before the audit trail existed starts the chain with what it holds, marked adopted', () => {
    const path = join(dir, 'old.db');
    const store = openStateStore(path);
    writeRun(store, 'run-old', daysAgo(3), ['Old1']);
    store.close();
    // As an older lpsync left it: no audit tables, no lock lease, no plans and approvals, no before-images and no
    // record digests: five schema versions less.
    const db = new Database(path);
    db.exec(
      'DROP TABLE audit; DROP TABLE run_reports; ALTER TABLE lock DROP COLUMN lease_ms; DROP TABLE plans; DROP TABLE approvals; DROP TABLE run_before_images;' +
        'ALTER TABLE applied_customers DROP COLUMN record_digest; ALTER TABLE applied_sites DROP COLUMN record_digest;',
    );
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION - 5);
    db.close();
    expect(() => openAuditReader(path)).toThrow(/has no audit trail yet/);

    openStateStore(path).close();
    const verdict = verify(path);
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, runs: 1 });
    const reader = openAuditReader(path);
    try {
      expect(
        reader.entries(['run-start', 'action', 'run-end', 'applied']).every((e) => e.data.adopted === true),
      ).toBe(true);
      expect(listRuns(reader)).toMatchObject([{ runId: 'run-old', adopted: true, ranBy: 'unknown@unknown' }]);
    } finally {
      reader.close();
    }
  });

  it('keeps the requests noted before an entry ahead of it, and writes the rest when the store closes', () => {
    const path = join(dir, 'notes.db');
    const store = openStateStore(path);
    store.requestSent('r', sentRequest(null, '2026-01-01T00:00:01.000Z'));
    store.putJournal(record('r', 'a'));
    store.requestSent('r', sentRequest('a', '2026-01-01T00:00:02.000Z'));
    store.close();
    const reader = openAuditReader(path);
    try {
      expect(
        reader.entries(['request', 'action']).map((e) => (e.kind === 'request' ? e.at : e.kind)),
      ).toEqual(['2026-01-01T00:00:01.000Z', 'action', '2026-01-01T00:00:02.000Z']);
    } finally {
      reader.close();
    }
  });
});

describe('retention', () => {
  it('prune removes old runs with their entries; a checkpoint carries the chain on and verify stays green', () => {
    const path = join(dir, 'state.db');
    const store = openStateStore(path);
    writeRun(store, 'run-40d', daysAgo(40), ['Old1']);
    writeRun(store, 'run-20d', daysAgo(20), ['Mid1']);
    writeRun(store, 'run-1d', daysAgo(1), ['New1']);
    const before = store.auditHead()!;

    const first = store.prune({ cutoff: daysAgo(10), keepDays: 10, by: { user: 'alice' } });
    expect(first.removedRuns.sort()).toEqual(['run-20d', 'run-40d']);
    expect(first.checkpoint!.seq).toBe(before.seq + 1);
    expect(store.getRun('run-40d')).toBeNull();
    expect(store.journal('run-20d')).toEqual([]);
    expect(store.getRun('run-1d')).not.toBeNull();
    // What the removed runs applied is still the state the next plan reads.
    expect([...store.loadApplied().customers.keys()].sort()).toEqual(['Mid1', 'New1', 'Old1']);
    store.close();

    let verdict = verify(path);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.first).toBeGreaterThan(1);
    expect(verdict.runs).toBe(1);
    const reader = openAuditReader(path);
    const checkpoint = reader.entries(['checkpoint'])[0]!;
    reader.close();
    expect(checkpoint.data).toMatchObject({
      removedRuns: expect.arrayContaining(['run-40d', 'run-20d']),
      keepDays: 10,
      user: 'alice',
    });

    // Its start is vouched for by the checkpoint: removing the entry it starts with is named.
    const cut = tampered(path, (db) =>
      db.prepare('DELETE FROM audit WHERE seq = (SELECT MIN(seq) FROM audit)').run(),
    );
    expect(verify(cut).problems[0]?.message).toMatch(
      /the chain starts at entry \d+, but the checkpoint \(entry \d+\) says it carries on from entry \d+/,
    );

    // A second prune removes the last run; the chain is the checkpoint and the applied state, still green.
    const again = openStateStore(path);
    expect(
      again.prune({ cutoff: new Date(Date.now() + 1000).toISOString(), keepDays: 0, by: {} }).removedRuns,
    ).toEqual(['run-1d']);
    writeRun(again, 'run-now', new Date().toISOString(), ['Now1']);
    again.close();
    verdict = verify(path);
    expect(verdict.problems).toEqual([]);
    expect(verdict.runs).toBe(1);
  });

  it('keeps an old run whose entries interleave with a run kept (a killed run closed by the next one)', () => {
    const path = join(dir, 'state.db');
    const store = openStateStore(path);
    store.createRun({
      runId: 'run-killed',
      command: 'apply',
      inputFile: 'a',
      inputDigest: 'd',
      baseUrl: 'u',
      startedAt: daysAgo(30),
    });
    store.putJournal(record('run-killed', 'customer:K1', { status: 'in-flight' }));
    writeRun(store, 'run-1d', daysAgo(1), ['N1']);
    // The fresh run closes the killed one as interrupted: its run-end lands inside the fresh run's entries.
    store.finishRun('run-killed', 'interrupted', { closedBy: 'run-1d' });
    const result = store.prune({ cutoff: daysAgo(10), keepDays: 10, by: {} });
    store.close();
    expect(result).toMatchObject({ removedRuns: [], checkpoint: null, keptOld: ['run-killed'] });
    expect(verify(path).ok).toBe(true);
  });

  it('says nothing was pruned when every run is recent, and leaves the chain as it was', () => {
    const path = sampleStore();
    const head = verify(path).head;
    const store = openStateStore(path);
    expect(store.prune({ cutoff: daysAgo(10), keepDays: 10, by: {} })).toMatchObject({
      checkpoint: null,
      removedRuns: [],
    });
    store.close();
    expect(verify(path).head).toEqual(head);
    expect(existsSync(path)).toBe(true);
  });
});
