/**
 * Journal writes in groups: everything written in one turn of the event loop is committed in one
 * transaction, so one disk sync instead of one each (at 40 actions a second, three syncs an action
 * blocked the event loop long enough to slow the run and to look like the platform's latency).
 * A write that must be durable before its request leaves awaits the commit; the others do not wait,
 * yet are committed with it, so the journal on disk is never behind the requests that have left.
 */
import { RunError } from '../model/errors.js';

export interface GroupCommit {
  /** Queued for this turn's commit; the caller goes on at once. */
  write(op: () => void): void;
  /** Queued for this turn's commit; resolves once it (and all queued before it) is on disk. */
  durable(op: () => void): Promise<void>;
  /** Commits what is queued now (the end of a run). Throws the first failed commit's error. */
  flush(): void;
}

/** A journal write that failed (the disk full, the file gone): the run-ending fault that says so. */
export function journalFailure(error: unknown): RunError {
  if (error instanceof RunError) return error;
  return new RunError(
    'state-store',
    `The journal could not be written: ${error instanceof Error ? error.message : String(error)}`,
    {
      hint: 'Check the disk and the --state path; `apply --resume` reads back what was in flight.',
      cause: error,
    },
  );
}

/** `batch` runs the queued writes in one transaction; `later` schedules the commit (setImmediate). */
export function createGroupCommit(
  batch: (ops: () => void) => void,
  later: (commit: () => void) => void = (commit) => void setImmediate(commit),
): GroupCommit {
  let queued: Array<() => void> = [];
  let waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let scheduled = false;
  let failed: RunError | null = null;

  const commit = (): void => {
    scheduled = false;
    const ops = queued;
    const waiters = waiting;
    queued = [];
    waiting = [];
    if (failed === null && ops.length > 0) {
      try {
        batch(() => {
          for (const op of ops) op();
        });
      } catch (error) {
        failed = journalFailure(error);
      }
    }
    for (const w of waiters) {
      if (failed) w.reject(failed);
      else w.resolve();
    }
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    later(commit);
  };

  return {
    write(op) {
      queued.push(op);
      schedule();
    },
    durable(op) {
      queued.push(op);
      schedule();
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    flush() {
      commit();
      if (failed) throw failed;
    },
  };
}
