import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/plan/digest.js';
import { planActions } from '../../src/plan/plan-actions.js';
import { openStateStore, SCHEMA_VERSION, type StateStore } from '../../src/state/index.js';
import type { ActionRecord } from '../../src/model/action-record.js';
import { appliedSiteKey } from '../../src/plan/types.js';
import { customerRow, noneApplied, observed, siteRow } from '../plan/fixtures.js';
import { recordOf } from '../support/records.js';
import { goldenCases } from '../plan/golden-scenario.js';
import { record, verify, writeRun } from './audit-runs.js';

let dir: string;
const open: StateStore[] = [];

function store(path = join(dir, 'nested', 'state.db')): StateStore {
  const s = openStateStore(path);
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-state-'));
});
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.close();
    } catch {
      // already closed by the test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function entry(partial: Partial<ActionRecord> = {}): ActionRecord {
  return recordOf({ siteName: 'A1', rows: [{ file: 'book.xlsx', sheet: 'Customers', row: 2 }], ...partial });
}

describe('state store', () => {
  it('creates the folder and file, migrates a fresh file, uses WAL', () => {
    const path = join(dir, 'nested', 'state.db');
    const s = store(path);
    expect(s.path).toBe(path);
    expect(existsSync(path)).toBe(true);
    s.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: SCHEMA_VERSION }]);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    )
      .map((t) => t.name)
      .sort();
    expect(tables).toEqual([
      'applied_customers',
      'applied_sites',
      'approvals',
      'audit',
      'journal',
      'lock',
      'plans',
      'run_before_images',
      'run_reports',
      'runs',
      'schema_version',
    ]);
    db.close();
  });

  it('keeps data and does not migrate again on reopen', () => {
    const path = join(dir, 'state.db');
    const first = store(path);
    first.createRun({
      runId: 'run-1',
      command: 'apply',
      inputFile: 'a.xlsx',
      inputDigest: 'abc',
      baseUrl: 'http://127.0.0.1:1',
      startedAt: '2026-01-01T00:00:00.000Z',
    });
    first.close();
    const again = store(path);
    expect(again.getRun('run-1')).toMatchObject({ runId: 'run-1', status: 'running', endedAt: null });
    again.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a file written by a newer schema', () => {
    const path = join(dir, 'state.db');
    store(path).close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => openStateStore(path)).toThrow(/newer lpsync/);
  });

  it('records runs: create, finish, latest (unfinished only)', () => {
    const s = store(':memory:');
    const base = { command: 'apply', inputFile: 'a.xlsx', inputDigest: 'd', baseUrl: 'http://127.0.0.1:1' };
    expect(s.createRun({ ...base, runId: 'r1', startedAt: '2026-01-01T00:00:00.000Z' }).status).toBe(
      'running',
    );
    s.createRun({ ...base, runId: 'r2', startedAt: '2026-01-02T00:00:00.000Z' });
    s.finishRun('r2', 'finished');
    expect(s.getRun('r2')?.status).toBe('finished');
    expect(s.getRun('r2')?.endedAt).not.toBeNull();
    expect(s.latestRun()?.runId).toBe('r2');
    expect(s.latestRun({ unfinishedOnly: true })?.runId).toBe('r1');
    expect(s.getRun('nope')).toBeNull();
  });

  it('upserts journal entries by (runId, actionId), keeping their first order', () => {
    const s = store();
    s.putJournal(entry());
    s.putJournal(entry({ actionId: 'site:A1/B', kind: 'add-site', siteName: 'B' }));
    s.putJournal(
      entry({
        status: 'succeeded',
        customerGuid: 'g',
        attempts: 2,
        messages: ['ok', 'done'],
        durationMs: 12,
      }),
    );
    s.putJournal(entry({ runId: 'run-2' }));
    const journal = s.journal('run-1');
    expect(journal.map((e) => [e.actionId, e.status])).toEqual([
      ['customer:A1', 'succeeded'],
      ['site:A1/B', 'pending'],
    ]);
    expect(journal[0]).toEqual(
      entry({
        status: 'succeeded',
        customerGuid: 'g',
        attempts: 2,
        messages: ['ok', 'done'],
        durationMs: 12,
      }),
    );
    expect(s.journal('run-2')).toHaveLength(1);
  });

  it('writes a list of journal entries in one call (the pending entries of a whole plan), all or none', () => {
    const s = store();
    const three = [1, 2, 3].map((i) =>
      entry({ actionId: `site:A1/S${i}`, kind: 'add-site', siteName: `S${i}` }),
    );
    s.putJournal(three);
    expect(s.journal('run-1').map((e) => e.actionId)).toEqual(three.map((e) => e.actionId));
    // The last entry of a list breaks a constraint: the ones before it are not written either.
    const broken = [
      entry({ runId: 'run-3' }),
      entry({ runId: 'run-3', actionId: 'x2' }),
      { ...entry({ runId: 'run-3', actionId: 'x3' }), kind: null },
    ];
    expect(() => s.putJournal(broken as never)).toThrow();
    expect(s.journal('run-3')).toEqual([]);
  });

  it('a group commit that fails takes its chain entries with it: the next entry links to the chain on disk', () => {
    const path = join(dir, 'state.db');
    const s = store(path);
    writeRun(s, 'run-1', new Date().toISOString(), ['A1']);
    const head = s.auditHead();
    // The second write breaks a constraint: the first one's journal row and chain entry are undone too.
    const broken = { ...record('run-1', 'customer:B1'), kind: null } as never;
    expect(() =>
      s.batch(() => {
        s.putJournal(record('run-1', 'customer:A1', { status: 'failed', error: 'not written' }));
        s.putJournal(broken);
      }),
    ).toThrow();
    expect(s.auditHead()).toEqual(head);
    expect(s.journal('run-1').map((r) => r.status)).toEqual(['succeeded']);
    writeRun(s, 'run-2', new Date().toISOString(), ['B1']);
    expect(verify(path)).toMatchObject({ ok: true, problems: [] });
  });

  it('makes a journal entry visible to another connection as soon as putJournal returns', () => {
    const path = join(dir, 'state.db');
    const s = store(path);
    s.putJournal(entry({ status: 'in-flight' }));
    const reader = openStateStore(path);
    expect(reader.journal('run-1')[0]?.status).toBe('in-flight');
    reader.close();
  });

  it('stores and loads applied records, keeping known GUIDs when a later record has none', () => {
    const s = store();
    s.recordApplied('run-1', [
      { ...digestOf('A1', undefined, { lcCustomerId: '1' }), customerGuid: 'g1' },
      { ...digestOf('A1', 'A1', {}), customerGuid: 'g1', siteGuid: 'g1' },
    ]);
    s.recordApplied('run-2', [{ ...digestOf('A1', 'A1', { phones: ['+3212345678'] }) }]);
    const applied = s.loadApplied();
    expect(applied.customers.get('A1')).toMatchObject({ customerGuid: 'g1', runId: 'run-1', siteName: null });
    const site = applied.sites.get(appliedSiteKey('A1', 'A1'));
    expect(site).toMatchObject({ customerGuid: 'g1', siteGuid: 'g1', runId: 'run-2' });
    expect(site?.digest).toBe(digestOf('A1', 'A1', { phones: ['+3212345678'] }).digest);
    expect(Object.keys(site?.fields ?? {})).toEqual(['phones']);
  });

  it('migrates a store written before record digests: its records plan as before, new ones get one', () => {
    const path = join(dir, 'old.db');
    const [golden] = goldenCases();
    const { rows, observed: platform, applied, options } = golden!;
    const older = openStateStore(path);
    // As an older lpsync recorded them: per-field hashes and their digest, no record digest.
    const records = [...applied.customers.values(), ...applied.sites.values()].map((r) => ({
      shortName: r.shortName,
      ...(r.siteName === null ? {} : { siteName: r.siteName }),
      digest: r.digest,
      ...(r.fields ? { fields: r.fields } : {}),
    }));
    older.recordApplied('run-old', records);
    older.close();
    const db = new Database(path);
    db.exec(
      'ALTER TABLE applied_customers DROP COLUMN record_digest; ALTER TABLE applied_sites DROP COLUMN record_digest;',
    );
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION - 1);
    db.close();

    const migrated = store(path);
    const loaded = migrated.loadApplied();
    expect(loaded.sites.size).toBe(applied.sites.size);
    expect([...loaded.sites.values()].every((r) => r.recordDigest === null)).toBe(true);
    const kinds = (plan: ReturnType<typeof planActions>) =>
      plan.actions.map((a) => [a.id, a.kind, a.reasons, a.record]);
    expect(kinds(planActions(rows, platform, loaded, options))).toEqual(
      kinds(planActions(rows, platform, applied, options)),
    );
    // What this version records from now on carries the record digest, and reads back with it.
    const fresh = digestOf('A1', 'A1', { phones: ['+3212345678'] });
    migrated.recordApplied('run-new', [fresh]);
    expect(migrated.loadApplied().sites.get(appliedSiteKey('A1', 'A1'))?.recordDigest).toBe(
      fresh.recordDigest,
    );
    migrated.close();
    expect(verify(path).problems).toEqual([]);
  });

  it('never holds a secret in clear: the file bytes do not contain the password', () => {
    const path = join(dir, 'state.db');
    const s = store(path);
    const password = 'Zq9-Carrier-Passw0rd';
    const dpi = 'Dpi-Secret-4242';
    const teams = 'Teams-Client-Secret-1';
    const rows = {
      customers: [
        customerRow({
          shortName: 'Sec1',
          license: 'OC Essentials',
          oc: { teamsQosApplicationPassword: teams },
          site: { carrierUserPassword: password, customVariables: {} },
        }),
      ],
      sites: [siteRow('Sec1', 'B1', { carrierUserPassword: password, carrierPasswordDPI: dpi })],
    };
    const plan = planActions(rows, observed([]), noneApplied());
    for (const action of plan.actions) {
      s.recordApplied('run-1', [...action.record, ...(action.followUp?.record ?? [])]);
      s.putJournal(entry({ actionId: action.id, kind: action.kind, status: 'succeeded' }));
    }
    expect(s.loadApplied().sites.size).toBe(2);
    s.close();
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [password, dpi, teams]) expect(bytes).not.toContain(secret);
  });

  it('turns an unusable path into a state-store error', () => {
    const file = join(dir, 'a-file');
    store(file).close();
    expect(() => openStateStore(join(file, 'sub', 'state.db'))).toThrow(/cannot open the state store/);
  });
});
