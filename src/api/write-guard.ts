/**
 * The last check before a write leaves: a run that holds the state store's writer lock confirms it
 * (src/run/lock.ts) right before each POST or PATCH goes out, retries included, and a run that lost it
 * sends nothing more. An AsyncLocalStorage scope, as request-scope.ts is: the run sets it once around its
 * work, `callApi` asks it before every write, and every async step of every action carries it along —
 * without threading a lock through every `LivePlatform` method, and with the client made before the run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const guard = new AsyncLocalStorage<() => void>();

/** Runs `fn` with `confirm` asked before each write it sends; `confirm` throws (a RunError) to refuse one. */
export function guardWrites<T>(confirm: () => void, fn: () => T): T {
  return guard.run(confirm, fn);
}

/** Called by `callApi` right before a write is sent; throws when the run may no longer write. */
export function confirmWrite(): void {
  guard.getStore()?.();
}
