import { onAbort } from '../api/abort-listeners.js';
import type { LivePlatform, ServiceSummary, SiteSummary } from '../api/types.js';

/**
 * Reading back is how an unknown outcome is settled: does the customer (by short name) or the
 * site (by name within its customer) exist now?
 */
export interface ReadBack {
  findCustomer(shortName: string): Promise<ServiceSummary | null>;
  findSite(customerGuid: string, siteName: string): Promise<SiteSummary | null>;
}

export function createReadBack(
  client: Pick<LivePlatform, 'listServices' | 'getService'>,
  slot: <T>(fn: () => Promise<T>) => Promise<T>,
): ReadBack {
  return {
    async findCustomer(shortName) {
      const services = await slot(() => client.listServices({ allDetails: true }));
      return services.find((s) => s.shortName.trim() === shortName.trim()) ?? null;
    },
    async findSite(customerGuid, siteName) {
      const service = await slot(() => client.getService(customerGuid));
      return service?.sites.find((s) => s.name.trim() === siteName.trim()) ?? null;
    },
  };
}

/** Looks again and again (a slow commit, an async task) until found or `waitMs` has passed; one look at least. */
export async function lookFor<T>(
  look: () => Promise<T | null>,
  waitMs: number,
  intervalMs: number,
  signal?: AbortSignal,
): Promise<T | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = await look();
    if (found !== null) return found;
    if (Date.now() + intervalMs > deadline || signal?.aborted) return null;
    await pause(intervalMs, signal);
  }
}

/** How long to look for an OC service whose create answer was lost: it shows in the listing only once its task is done. */
export function ocReadBackWaitMs(waitMs: number): number {
  return 6 * waitMs;
}

/** Sleeps, waking early (without throwing) when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const stopWaiting = onAbort(signal, () => {
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      stopWaiting();
      resolve();
    }, ms);
  });
}
