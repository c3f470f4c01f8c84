import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/apply/group-commit.js';
import type { ActionRecord } from '../../src/model/action-record.js';
import { RunError } from '../../src/model/errors.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import { recordOf } from '../support/records.js';

const dirs: string[] = [];
const stores: StateStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A state store file, plus a second connection to it: what another process (a resume) would read. */
function storeFile() {
  const dir = mkdtempSync(join(tmpdir(), 'lpsync-group-'));
  dirs.push(dir);
  const path = join(dir, 'state.db');
  const store = openStateStore(path);
  stores.push(store);
  const reader = openStateStore(path);
  stores.push(reader);
  let commits = 0;
  const batch = (writes: () => void) => {
    commits += 1;
    store.batch(writes);
  };
  return { store, reader, batch, commits: () => commits };
}

function entry(actionId: string, status: ActionRecord['status']): ActionRecord {
  return recordOf({ actionId, status, customerShortName: actionId });
}

const statuses = (s: StateStore) => Object.fromEntries(s.journal('run-1').map((r) => [r.actionId, r.status]));

describe('group commit of the journal', () => {
  it('commits every write of one turn in one transaction, durable (seen by another connection) when awaited', async () => {
    const f = storeFile();
    const group = createGroupCommit(f.batch);
    const waits = ['a', 'b', 'c'].map((id) =>
      group.durable(() => f.store.putJournal(entry(id, 'in-flight'))),
    );
    group.write(() => f.store.putJournal(entry('d', 'succeeded')));
    // Nothing is on disk before the commit: the requests wait for it.
    expect(statuses(f.reader)).toEqual({});
    await Promise.all(waits);
    expect(statuses(f.reader)).toEqual({ a: 'in-flight', b: 'in-flight', c: 'in-flight', d: 'succeeded' });
    expect(f.commits()).toBe(1);
  });

  it('a write that is not awaited is on disk before any later durable one resolves, in order', async () => {
    const f = storeFile();
    const group = createGroupCommit(f.batch);
    await group.durable(() => f.store.putJournal(entry('a', 'in-flight')));
    group.write(() => f.store.putJournal(entry('a', 'unknown')));
    group.write(() => f.store.putJournal(entry('a', 'succeeded')));
    await group.durable(() => f.store.putJournal(entry('b', 'in-flight')));
    expect(statuses(f.reader)).toEqual({ a: 'succeeded', b: 'in-flight' });
    expect(f.commits()).toBe(2);
  });

  it('flush commits what is queued at once (the end of a run)', () => {
    const f = storeFile();
    const group = createGroupCommit(f.batch);
    group.write(() => f.store.putJournal(entry('a', 'succeeded')));
    group.flush();
    expect(statuses(f.reader)).toEqual({ a: 'succeeded' });
  });

  it('a commit that fails fails every waiter and the run with a state-store error', async () => {
    const f = storeFile();
    const group = createGroupCommit(f.batch);
    f.store.close();
    stores.splice(stores.indexOf(f.store), 1);
    const waiting = group.durable(() => f.store.putJournal(entry('a', 'in-flight')));
    await expect(waiting).rejects.toMatchObject({ code: 'state-store' });
    await expect(group.durable(() => undefined)).rejects.toBeInstanceOf(RunError);
    expect(() => group.flush()).toThrow(/journal could not be written/);
  });
});
