/**
 * A token bucket shared by every request of one client: at most `rate` requests per second,
 * with a burst of one second's worth, so `--rate` is a promise to the platform's operators.
 */
import { sleep } from './retry.js';

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  take(signal?: AbortSignal): Promise<void>;
}

/** `rate` ≤ 0 or undefined: no limit. */
export function createRateLimiter(rate: number | undefined): RateLimiter {
  if (!rate || rate <= 0) return { take: () => Promise.resolve() };
  const capacity = Math.max(1, rate);
  let tokens = capacity;
  let refilledAt = Date.now();
  // Callers are served in arrival order: each reserves its token, possibly in the future.
  const take = async (signal?: AbortSignal): Promise<void> => {
    const now = Date.now();
    tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    tokens -= 1;
    if (tokens >= 0) return;
    await sleep(Math.ceil((-tokens / rate) * 1000), signal);
  };
  return { take };
}
