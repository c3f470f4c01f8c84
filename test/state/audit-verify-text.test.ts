/**
 * What `audit verify` and `history prune` print about pruned entries: one account, each fact once, none
 * contradicting another (the prune's head is verify's head; a head kept just before a prune is vouched for
 * by the checkpoint; an older one is said to be beyond checking, not "intact" and "not in this chain").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneText, verifyText } from '../../src/cli/audit-view.js';
import { openAuditReader } from '../../src/state/audit-read.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import { recordOf } from '../support/records.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-verify-text-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString();

function writeRun(store: StateStore, runId: string, startedAt: string, shortName: string): void {
  store.createRun({
    runId,
    command: 'apply',
    inputFile: 'book.xlsx',
    inputDigest: 'ab'.repeat(32),
    baseUrl: 'http://127.0.0.1:1',
    startedAt,
  });
  const rows = [{ file: 'book.xlsx', sheet: 'Customers', row: 2 }];
  store.putJournal(recordOf({ runId, actionId: `customer:${shortName}`, rows, status: 'succeeded' }));
  store.recordApplied(runId, [{ shortName, digest: 'cd'.repeat(32), customerGuid: `guid-${shortName}` }]);
  store.finishRun(runId, 'finished', { exitCode: 0 });
}

function verify(path: string, keptHead?: string) {
  const reader = openAuditReader(path);
  try {
    return reader.verify(keptHead);
  } finally {
    reader.close();
  }
}

describe('the text about pruned entries', () => {
  it('says what was removed, where the chain carries on and which head to keep, the same way in both commands', () => {
    const path = join(dir, 'state.db');
    const store = openStateStore(path);
    writeRun(store, 'run-40d', daysAgo(40), 'Old1');
    const older = store.auditHead()!;
    writeRun(store, 'run-30d', daysAgo(30), 'Old2');
    const lastBeforePrune = store.auditHead()!;
    const pruned = store.prune({ cutoff: daysAgo(10), keepDays: 10, by: {} });
    store.close();
    const printed = pruneText(pruned, 10, path);
    expect(printed).toContain(
      `Pruned ${path}: 2 run(s) that started more than 10 day(s) ago, with audit entries 1–${lastBeforePrune.seq} (${lastBeforePrune.seq} entries).`,
    );
    expect(printed).toContain(
      `Checkpoint: entry ${pruned.checkpoint!.seq} (${pruned.checkpoint!.hash}) carries the hash of entry ${lastBeforePrune.seq} on`,
    );

    const verdict = verify(path);
    const text = verifyText(verdict, path);
    // The head the prune told to keep is the head verify shows.
    expect(printed).toContain(`Head: ${verdict.head!.hash} (entry ${verdict.head!.seq})`);
    expect(text).toContain(`Head: ${verdict.head!.hash} (entry ${verdict.head!.seq})`);
    const first = lastBeforePrune.seq + 1;
    expect(text).toContain(`entries kept (entries ${first}–${verdict.head!.seq})`);
    expect(text).toContain(
      `Entries 1–${lastBeforePrune.seq} were removed by history prune; its checkpoint (entry ${pruned.checkpoint!.seq}) carries the hash of entry ${lastBeforePrune.seq} on`,
    );
    expect(text).toContain('✓ Intact: every entry kept links to the one before it');
    expect(text).not.toContain('✗');

    // The head kept just before the prune: vouched for by the checkpoint, not "not in this chain".
    const carried = verify(path, lastBeforePrune.hash);
    expect(carried).toMatchObject({ ok: true, keptHead: { seq: lastBeforePrune.seq, carried: true } });
    expect(verifyText(carried, path)).toContain(
      `✓ The head you kept is entry ${lastBeforePrune.seq}, the last entry history prune removed`,
    );

    // An older head cannot be checked here any more: said so, with no ✓ for the head and no claim of rewriting.
    const old = verify(path, older.hash);
    expect(old.ok).toBe(false);
    const oldText = verifyText(old, path);
    expect(oldText).toContain(
      `✗ The head you kept (${older.hash}) is not among the entries kept, nor the last entry pruned (entry ${lastBeforePrune.seq}): if it was an earlier entry, check it against the export made before the prune`,
    );
    expect(oldText).not.toContain('✓ The head you kept');
    expect(oldText.match(/Intact: every entry kept/g)).toHaveLength(1);
  });

  it('a chain never pruned says nothing about pruning, and a foreign head is "rewritten"', () => {
    const path = join(dir, 'state.db');
    const store = openStateStore(path);
    writeRun(store, 'run-1d', daysAgo(1), 'New1');
    store.close();
    const text = verifyText(verify(path), path);
    expect(text).not.toMatch(/prune|kept/);
    expect(text).toContain('✓ Intact: every entry links to the one before it');
    expect(verifyText(verify(path, 'f'.repeat(64)), path)).toContain(
      `✗ The head you kept (${'f'.repeat(64)}) is not in this chain: the chain was rewritten.`,
    );
  });
});
