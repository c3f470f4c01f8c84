import { RunError } from '../model/errors.js';
import {
  LOCK_HEARTBEAT_MS,
  type HeldLock,
  type LockClaim,
  type LockHolder,
  type StateStore,
} from '../state/index.js';

/** Takes the state store's writer lock, or refuses the run (exit 4) naming the holder; nothing is sent then. */
export function takeLock(store: StateStore, claim: LockClaim): HeldLock {
  const attempt = store.acquireLock(claim);
  if (attempt.ok) return attempt.lock;
  throw lockRefused(store.path, attempt.holder);
}

function lockRefused(path: string, holder: LockHolder | null): RunError {
  const who = holder
    ? ` (run ${holder.runId}, process ${holder.pid} on ${holder.host}, since ${holder.acquiredAt})`
    : '';
  return new RunError(
    'lock-held',
    `Another lpsync run${who} is writing with the state store ${path}; nothing was sent.`,
    {
      hint: "Wait for it to finish (or, if that process is gone, run again: a dead holder's lock is taken over).",
    },
  );
}

/**
 * Refreshes the lock's heartbeat while the run writes. Should the lock be lost (taken over as stale after a
 * long stall), `lost` aborts: a run that no longer holds the lock sends no further request.
 */
export function keepLock(
  lock: HeldLock,
  warn: (message: string) => void,
): { lost: AbortSignal; stop: () => void } {
  const lost = new AbortController();
  const timer = setInterval(() => {
    if (lock.heartbeat() || lost.signal.aborted) return;
    lost.abort();
    warn(
      `The state store lock of run ${lock.holder.runId} was taken over by another process: no further request is sent.`,
    );
  }, LOCK_HEARTBEAT_MS);
  timer.unref();
  return { lost: lost.signal, stop: () => clearInterval(timer) };
}
