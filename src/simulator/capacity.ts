/**
 * The platform's capacity (`--capacity N`): N /api requests served at once, so at most N / latency per
 * second. With `--throttle queue` (the default) up to ⌈N/2⌉ more wait in a queue for a free place, so
 * latency grows with the load beyond N (the signal a careful client sees first); beyond that the platform
 * answers 429 with Retry-After. With `--throttle immediate` there is no queue: the request beyond N is
 * answered 429 at once and latency never rises before it (an API gateway's concurrency limit).
 * `--capacity-schedule` changes N over time, to see whether a client follows.
 */
import { SimulatorOptionsError } from './options.js';
import { queueLength } from './queue.js';

/** `capacity` from `atMs` after the schedule was set (0 = no limit). */
export interface CapacityStep {
  capacity: number;
  atMs: number;
}

/** What the platform does with a request beyond its capacity: queue it (up to N/2), or refuse it at once. */
export type CapacityThrottle = 'queue' | 'immediate';

export interface Capacity {
  /** A place for one /api request: its release, or null when the platform is full (answer 429). */
  admit(limit: number | null, throttle?: CapacityThrottle): Promise<(() => void) | null>;
}

export { queueLength };

export function createCapacity(): Capacity {
  let serving = 0;
  const waiting: Array<() => void> = [];
  let current: number | null = null;

  // Places freed (or added by a schedule) go to the waiting requests first, in arrival order.
  const pump = (): void => {
    while (waiting.length > 0 && (current === null || serving < current)) {
      serving += 1;
      waiting.shift()!();
    }
  };
  const release = (): void => {
    serving -= 1;
    pump();
  };

  return {
    async admit(limit, throttle = 'queue') {
      current = limit;
      pump();
      if (limit === null || serving < limit) {
        serving += 1;
        return once(release);
      }
      if (throttle === 'immediate' || waiting.length >= queueLength(limit)) return null;
      await new Promise<void>((resolve) => waiting.push(resolve));
      return once(release);
    },
  };
}

/** The capacity in force `sinceMs` after the schedule was set: the last step begun, else `base`; null = no limit. */
export function capacityAt(base: number, schedule: readonly CapacityStep[], sinceMs: number): number | null {
  let begun: CapacityStep | undefined;
  for (const step of schedule) if (step.atMs <= sinceMs && (!begun || step.atMs >= begun.atMs)) begun = step;
  const capacity = begun?.capacity ?? base;
  return capacity > 0 ? capacity : null;
}

/** `10@0s,4@30s,10@60s` (also `ms` and `m`; 0 = no limit) → steps in time order. */
export function parseCapacitySchedule(text: string): CapacityStep[] {
  const steps = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\d+)\s*@\s*(\d+(?:\.\d+)?)\s*(ms|s|m)$/i.exec(part);
      if (!m)
        throw new SimulatorOptionsError(
          `Invalid option capacity-schedule: expected steps like 10@0s,4@30s,10@60s, got "${part}"`,
        );
      const unit = m[3]!.toLowerCase();
      const atMs = Math.round(Number(m[2]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
      return { capacity: Number(m[1]), atMs };
    });
  if (steps.length === 0)
    throw new SimulatorOptionsError(
      'Invalid option capacity-schedule: expected steps like 10@0s,4@30s,10@60s',
    );
  return steps.sort((a, b) => a.atMs - b.atMs);
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
