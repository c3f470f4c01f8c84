/**
 * A run's before-images in a real SQLite file: kept with a `before-image` entry of the audit chain, read back
 * oldest first, named by verify when edited, deleted or inserted with plain SQL, and removed with their run
 * by a prune.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBeforeImage, encodeBeforeImage, type BeforeImage } from '../../src/report/before-image.js';
import { openAuditReader } from '../../src/state/audit-read.js';
import { openStateStore } from '../../src/state/index.js';
import { daysAgo, verify, writeRun } from './audit-runs.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-before-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const image = (runId: string, cacProfile: string): BeforeImage => ({
  version: 1,
  runId,
  rows: {
    customers: [],
    sites: [
      {
        customerShortName: 'A1',
        site: {
          siteName: 'HQ',
          sbcId: 5,
          onboardingScript: 7,
          cleanupScript: 700,
          sbcConfigurationType: 1,
          cacProfile,
          carrierId: 'SIPTrunk',
          onlinePstnGateway: null,
          carrierUserName: null,
          carrierMainLine: null,
          carrierHostName: null,
          flagConfigureSbc: true,
          customerVariables: {},
          secretVariables: [],
          m365: { flagConfigureM365Routing: true, onboardingScript: null, cleanupScript: null },
        },
      },
    ],
  },
});

/** A store with run-1 and two before-images of it (its start and a resume). */
function storeWithImages(): string {
  const path = join(dir, 'state.db');
  const store = openStateStore(path);
  writeRun(store, 'run-1', daysAgo(30), ['A1']);
  store.saveBeforeImage('run-1', encodeBeforeImage(image('run-1', '10 sessions')), { sipConnections: 1 });
  store.saveBeforeImage('run-1', encodeBeforeImage(image('run-1', '20 sessions')), { sipConnections: 1 });
  store.close();
  return path;
}

function tampered(path: string, sql: (db: Database.Database) => void): string {
  const copy = join(dir, `tampered-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  const db = new Database(copy);
  try {
    sql(db);
  } finally {
    db.close();
  }
  return copy;
}

describe('before-images in the state store', () => {
  it('are kept in order, each vouched for by a before-image entry, and read back as they were', () => {
    const path = storeWithImages();
    expect(verify(path)).toMatchObject({ ok: true, problems: [] });
    const reader = openAuditReader(path);
    try {
      const kept = reader.beforeImages('run-1');
      expect(kept.map((k) => decodeBeforeImage(k.gzip).rows.sites[0]!.site.cacProfile)).toEqual([
        '10 sessions',
        '20 sessions',
      ]);
      const entries = reader.entries(['before-image'], 'run-1');
      expect(entries.map((e) => [e.seq, e.data.sha256])).toEqual(kept.map((k) => [k.seq, k.sha256]));
      expect(reader.beforeImages('run-2')).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it.each<[string, (db: Database.Database) => void, RegExp]>([
    [
      'edited',
      (db) => db.prepare('UPDATE run_before_images SET data = ?').run(gzipSync(Buffer.from('{}'))),
      /^before-image of run run-1 \(entry \d+\) was edited/,
    ],
    [
      'deleted',
      (db) => db.prepare('DELETE FROM run_before_images').run(),
      /^before-image of run run-1 \(entry \d+\) was deleted/,
    ],
    [
      'inserted',
      (db) =>
        db
          .prepare("INSERT INTO run_before_images (run_id, seq, sha256, data) VALUES ('run-1', 999, 'x', ?)")
          .run(gzipSync(Buffer.from('{}'))),
      /^before-image of run run-1 \(entry 999\) is not in the audit chain/,
    ],
  ])('verify names a before-image %s with plain SQL', (_what, sql, message) => {
    const verdict = verify(tampered(storeWithImages(), sql));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]?.message).toMatch(message);
  });

  it('go with their run when history is pruned, and verify stays green', () => {
    const path = storeWithImages();
    const store = openStateStore(path);
    writeRun(store, 'run-2', daysAgo(1), ['B2']);
    expect(store.prune({ cutoff: daysAgo(10), keepDays: 10, by: {} }).removedRuns).toEqual(['run-1']);
    expect(store.beforeImages('run-1')).toEqual([]);
    store.close();
    expect(verify(path)).toMatchObject({ ok: true });
  });
});
