/**
 * A requests-per-second cap: each call resolves at the next free 1/rate slot.
 * `undefined` or 0 means no cap.
 */
export function createRateGate(rate: number | undefined): () => Promise<void> {
  if (rate === undefined || rate <= 0) return () => Promise.resolve();
  if (!Number.isFinite(rate)) throw new TypeError(`Invalid rate: expected a positive number, got ${rate}`);
  const spacingMs = 1000 / rate;
  let nextAt = 0;
  return () => {
    const now = Date.now();
    const at = Math.max(now, nextAt);
    nextAt = at + spacingMs;
    const wait = at - now;
    return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  };
}

/** Sleeps, waking early (without throwing) when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
