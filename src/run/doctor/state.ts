/** The state store check: read from a copy, never written; whether the next apply can use it. */
import { SCHEMA_VERSION } from '../../state/index.js';
import { inspectStateStore, type StateInspection } from '../../state/inspect.js';
import type { Check } from './check.js';

const STATE = { id: 'state', title: 'State store' } as const;

export function stateCheck(statePath: string): Check {
  const found = inspectStateStore(statePath);
  switch (found.kind) {
    case 'absent':
      return found.creatable
        ? {
            ...STATE,
            status: 'ok',
            detail: `${found.path} does not exist yet: the first apply creates it (${found.folder} is writable)`,
            data: { path: found.path, exists: false },
          }
        : {
            ...STATE,
            status: 'fail',
            detail: `${found.path} does not exist and ${found.folder} is not writable by this user`,
            hint: 'Choose another --state path, or make the folder writable for the user cron runs as.',
          };
    case 'unreadable':
      return {
        ...STATE,
        status: 'fail',
        detail: `${found.path} cannot be read as a state store: ${found.problem}`,
        hint: 'Check the --state path: it must be the SQLite file lpsync wrote.',
      };
    case 'present':
      return presentStoreCheck(found);
  }
}

type PresentStore = Extract<StateInspection, { kind: 'present' }>;

/** A store that exists: usable unless a newer lpsync wrote it, this user cannot write it, or lpsync did not. */
function presentStoreCheck(found: PresentStore): Check {
  const detail = describeStore(found);
  const data = { ...found };
  if (found.schemaVersion !== null && found.schemaVersion > SCHEMA_VERSION)
    return {
      ...STATE,
      status: 'fail',
      detail: `${detail}: written by a newer lpsync (this one knows schema ${SCHEMA_VERSION})`,
      hint: 'Run the lpsync version that wrote it, or another --state.',
      data,
    };
  if (!found.writable)
    return {
      ...STATE,
      status: 'fail',
      detail: `${detail}: not writable by this user`,
      hint: 'Make the file and its folder writable for the user cron runs as.',
      data,
    };
  if (found.schemaVersion === null)
    return { ...STATE, status: 'fail', detail, hint: 'Point --state at the state store lpsync wrote.', data };
  return { ...STATE, status: 'ok', detail, data };
}

/** Its path, schema, last run and lock, in one line. */
function describeStore(found: PresentStore): string {
  const parts = [found.path];
  if (found.schemaVersion === null) parts.push('no schema version (not written by lpsync?)');
  else
    parts.push(
      `schema ${found.schemaVersion}${found.schemaVersion < SCHEMA_VERSION ? ` (the next apply upgrades it to ${SCHEMA_VERSION})` : ''}`,
    );
  const run = found.lastRun;
  parts.push(
    run
      ? `last run ${run.runId} (${run.command}, ${run.status}${run.endedAt ? ` ${run.endedAt}` : `, started ${run.startedAt}`})`
      : 'no run yet',
  );
  if (run && run.status !== 'finished')
    parts.push('it did not finish: the next apply or reconcile reads its writes back first');
  if (found.lock)
    parts.push(
      `lock held by run ${found.lock.runId} (process ${found.lock.pid} on ${found.lock.host} since ${found.lock.acquiredAt})`,
    );
  return parts.join('; ');
}
