/**
 * Waiting on a signal without a listener per wait. Every request that waits (for a place in the budget,
 * a back-off, a read-back's pause) must wake when the run is stopped; one `abort` listener each made Node
 * warn (MaxListenersExceededWarning) as soon as eleven requests waited on the same signal. Here a signal
 * gets one listener, shared by every wait on it, and removed when the last wait ends.
 */

interface Waits {
  callbacks: Set<() => void>;
  dispatch: () => void;
}

// Keyed by the signal and weakly held: the waits are the signal's own state, gone with the signal.
const waitsOf = new WeakMap<AbortSignal, Waits>();

/**
 * Calls `callback` once when `signal` aborts; returns the function that ends the wait (call it when the
 * wait ends another way). Without a signal nothing waits.
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined;
  let waits = waitsOf.get(signal);
  if (!waits) {
    const callbacks = new Set<() => void>();
    const dispatch = (): void => {
      waitsOf.delete(signal);
      for (const cb of [...callbacks]) cb();
      callbacks.clear();
    };
    waits = { callbacks, dispatch };
    waitsOf.set(signal, waits);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  const { callbacks, dispatch } = waits;
  const once = (): void => callback();
  callbacks.add(once);
  return () => {
    if (!callbacks.delete(once) || callbacks.size > 0) return;
    signal.removeEventListener('abort', dispatch);
    if (waitsOf.get(signal)?.dispatch === dispatch) waitsOf.delete(signal);
  };
}
