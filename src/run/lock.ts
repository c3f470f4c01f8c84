import { RunError } from '../model/errors.js';
import type { HeldLock, LockClaim, LockHolder, StateStore } from '../state/index.js';

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

/** The clocks a lease is judged by; tests move them instead of sleeping. */
export interface LeaseClocks {
  /** Monotonic milliseconds: what this process saw pass. */
  monotonic: () => number;
  /** Wall-clock milliseconds: it also counts the time a suspended machine (a closed laptop) slept. */
  wall: () => number;
  /** Starts the heartbeat; returns its stop. */
  every: (ms: number, beat: () => void) => () => void;
}

const SYSTEM_CLOCKS: LeaseClocks = {
  monotonic: () => performance.now(),
  wall: () => Date.now(),
  every: (ms, beat) => {
    const timer = setInterval(beat, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** What a run that writes does with its lock lease. */
export interface LeaseKeeper {
  /** Aborted, with the RunError('lock-lost') as its reason, once the lock is lost. */
  readonly lost: AbortSignal;
  /**
   * Before each write: returns when the lease is confirmed with margin to spare; throws RunError('lock-lost')
   * (and aborts `lost`) when it was taken over, or has lapsed and cannot be renewed.
   */
  confirm: () => void;
  stop: () => void;
}

/**
 * Renews the lease on a heartbeat (a twelfth of the lease) and confirms it before each write. A write leaves
 * without asking the store while the last renewal is recent (no more than two beats ago, by both clocks);
 * otherwise — the heartbeat was late: the process was stopped, the machine slept, the event loop stalled —
 * the lease is renewed from the store first, and a lock taken over meanwhile is lost: nothing more is sent.
 * A lease that cannot be renewed (the store unwritable) is used only up to three quarters of its length.
 */
export function keepLock(
  lock: HeldLock,
  options: {
    lostError: (taken: boolean, silentMs: number) => RunError;
    warn: (message: string) => void;
  },
  clocks: LeaseClocks = SYSTEM_CLOCKS,
): LeaseKeeper {
  const beatEvery = lock.leaseMs / 12;
  const usable = lock.leaseMs * 0.75;
  const lost = new AbortController();
  let renewed = { monotonic: clocks.monotonic(), wall: clocks.wall() };
  const silentMs = (): number =>
    Math.max(clocks.monotonic() - renewed.monotonic, clocks.wall() - renewed.wall);

  /** `taken`: another run has it; otherwise it could not be renewed (the store cannot be written). */
  const lose = (taken: boolean): RunError => {
    if (!lost.signal.aborted) {
      const error = options.lostError(taken, silentMs());
      lost.abort(error);
      options.warn(error.message);
    }
    return lost.signal.reason as RunError;
  };
  /** Renews from the store: held, lost (taken over), or unknown (the store could not be written). */
  const renew = (): 'held' | 'lost' | 'unknown' => {
    if (lost.signal.aborted) return 'lost';
    const before = { monotonic: clocks.monotonic(), wall: clocks.wall() };
    let held: boolean;
    try {
      held = lock.heartbeat();
    } catch {
      return 'unknown';
    }
    if (!held) {
      lose(true);
      return 'lost';
    }
    renewed = before;
    return 'held';
  };
  const stopBeating = clocks.every(beatEvery, () => {
    if (renew() === 'unknown' && silentMs() >= usable) lose(false);
  });

  return {
    lost: lost.signal,
    confirm: () => {
      if (lost.signal.aborted) throw lost.signal.reason as RunError;
      if (silentMs() <= 2 * beatEvery) return;
      const state = renew();
      if (state === 'held') return;
      if (state === 'unknown' && silentMs() < usable) return;
      throw lose(state === 'lost');
    },
    stop: stopBeating,
  };
}

/** Who took a lost lock over: the holder now, else the run that began after this one (it may have finished). */
export type LockTaker = { holder: LockHolder } | { runId: string } | null;

/** The run-ending error of a run that lost its lock: who has it now, why, and how to finish later. */
export function lockLostError(
  runId: string,
  lease: { leaseMs: number; silentMs: number; taken: boolean; by: LockTaker },
  resumeCommand: string,
): RunError {
  const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
  const { by } = lease;
  const to =
    by === null
      ? 'another run'
      : 'holder' in by
        ? `run ${by.holder.runId} (process ${by.holder.pid} on ${by.holder.host}, since ${by.holder.acquiredAt})`
        : `run ${by.runId}`;
  const message = lease.taken
    ? `Run ${runId} lost the state store lock to ${to}: its lease of ${seconds(lease.leaseMs)} ran out while it was stopped or cut off (${seconds(lease.silentMs)} without a renewal). It sent nothing more.`
    : `Run ${runId} could not renew its lease on the state store lock for ${seconds(lease.silentMs)} (the store cannot be written): it sent nothing more, as another run may take the lock over.`;
  return new RunError('lock-lost', message, {
    hint: `What it had in flight is read back, never sent twice, when the run is finished later: once the other run is done, ${resumeCommand}`,
  });
}

/** Who has the lock now; else the run that began after this one (it took the lock over and has finished). */
export function lockTaker(store: StateStore, lock: HeldLock, runId: string): LockTaker {
  try {
    const holder = lock.holderNow();
    if (holder) return { holder };
    const latest = store.latestRun();
    return latest && latest.runId !== runId ? { runId: latest.runId } : null;
  } catch {
    return null;
  }
}
