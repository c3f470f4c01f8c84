import type { Knobs } from './options.js';
import type { RandomStream } from './random.js';

/** What happens to one /api request before (and after) it is handled. */
export interface FaultDecision {
  delayMs: number;
  /** Answer this status instead of handling the request. */
  inject: 429 | 500 | 502 | 503 | null;
  /** Handle the request (a write commits), then answer this status instead of the result. */
  afterHandling: 504 | null;
  /** If the request commits a write, destroy the socket instead of answering. */
  dropAfterCommit: boolean;
}

export interface Faults {
  decide(knobs: Knobs): FaultDecision;
  /** Ends a 429 burst in progress (reset). */
  clear(): void;
}

/**
 * Every request draws the same four numbers whatever the knobs, so the same seed and the
 * same request sequence give the same faults, and changing one rate does not shift the others.
 */
export function createFaults(stream: RandomStream): Faults {
  let burstLeft = 0;
  return {
    decide(knobs) {
      const [jitter, burst, error, drop] = [stream.next(), stream.next(), stream.next(), stream.next()];
      const delayMs = knobs.latencyMs + Math.floor(jitter * knobs.latencyJitterMs);
      let inject: FaultDecision['inject'] = null;
      let afterHandling: FaultDecision['afterHandling'] = null;
      if (burstLeft > 0) {
        burstLeft -= 1;
        inject = 429;
      } else if (burst < knobs.throttle.burstRate) {
        burstLeft = knobs.throttle.burstLength - 1;
        inject = 429;
      } else if (error < knobs.errorRate) {
        inject = 500;
      } else if (error < knobs.errorRate + knobs.unavailableRate) {
        inject = 503;
      } else if (error < knobs.errorRate + knobs.unavailableRate + knobs.gatewayErrorRate / 2) {
        inject = 502;
      } else if (error < knobs.errorRate + knobs.unavailableRate + knobs.gatewayErrorRate) {
        afterHandling = 504;
      }
      return { delayMs, inject, afterHandling, dropAfterCommit: drop < knobs.dropAfterCommitRate };
    },
    clear() {
      burstLeft = 0;
    },
  };
}
