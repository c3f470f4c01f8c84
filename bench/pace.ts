/**
 * Pace: `--concurrency auto` through `applyPlan` and the real client against an in-process simulator with
 * 200 ms of latency and a hidden capacity of 10 (so at most 50 requests/s), on both kinds of platform the
 * simulator knows: one that queues and slows before it throttles (`--throttle queue`), and one that answers
 * 429 with Retry-After at once beyond its capacity (`--throttle immediate`, an API gateway's concurrency
 * limit), beside c=10 there (the capacity known in advance); and on each, auto following a capacity
 * schedule 10 → 4 → 10.
 */
import { normaliseConcurrency } from '../src/api/concurrency-setting.js';
import type { CapacityThrottle } from '../src/simulator/capacity.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.js';
import { describeConcurrency } from '../src/report/concurrency.js';
import {
  achieved,
  CAPACITY,
  capacityRate,
  creates,
  followSeconds,
  idealMs,
  LATENCY_MS,
  limitsBySecond,
  pct,
  runCase,
  throttledShare,
  type CaseResult,
} from './concurrency-case.js';
import type { BenchLine } from './harness.js';

export interface PaceSizes {
  /** Creates on the queueing platform. */
  queued: number;
  /** Creates on the platform that throttles at once. */
  immediate: number;
  /** Each phase of the capacity schedule. */
  phaseMs: number;
}

export interface PaceResult {
  lines: BenchLine[];
  /** auto at capacity 10 on each kind: the concurrency bench compares them with fixed settings. */
  auto: Record<CapacityThrottle, CaseResult>;
}

/** What each kind of platform is called in the lines. */
const KIND: Record<CapacityThrottle, string> = { queue: 'queueing', immediate: 'throttles at once' };
/** The least share of the capacity auto must reach on each kind. */
const AT_LEAST: Record<CapacityThrottle, number> = { queue: 0.9, immediate: 0.85 };
const MOST_THROTTLED = 0.05;
const FOLLOW_WITHIN_S = 10;

const autoSetting = () => normaliseConcurrency({ concurrency: 'auto' });

export async function benchPace(
  sim: RunningSimulator,
  sizes: PaceSizes,
  store: () => string,
  log: (line: string) => void,
): Promise<PaceResult> {
  const lines: BenchLine[] = [];
  const auto: Partial<Record<CapacityThrottle, CaseResult>> = {};
  for (const throttle of ['queue', 'immediate'] as const) {
    sim.setFaults({ capacityThrottle: throttle, capacity: CAPACITY, capacitySchedule: [] });
    const n = throttle === 'queue' ? sizes.queued : sizes.immediate;
    const r = await runCase(sim, creates(n), autoSetting(), store());
    auto[throttle] = r;
    const known = throttle === 'immediate' ? await knownCapacity(sim, n, store, log) : undefined;
    lines.push(steadyLine(throttle, n, r, log, known?.result));
    if (known) lines.push(known.line);
    lines.push(await scheduleLine(sim, throttle, sizes.phaseMs, store, log));
  }
  sim.setFaults({ capacityThrottle: 'queue', capacitySchedule: [] });
  return { lines, auto: { queue: auto.queue!, immediate: auto.immediate! } };
}

/** auto at capacity 10 throughout: the share of the capacity reached, and (throttling at once) the share throttled. */
function steadyLine(
  throttle: CapacityThrottle,
  n: number,
  r: CaseResult,
  log: (line: string) => void,
  known?: CaseResult,
): BenchLine {
  const least = AT_LEAST[throttle];
  log(
    `  auto, ${KIND[throttle]}: ${(r.ms / 1000).toFixed(1)} s, ${describeConcurrency(r.report)}, ${r.failed} not succeeded; ` +
      `limit by second: ${limitsBySecond(r.samples)}`,
  );
  const checks = [{ what: `< ${pct(MOST_THROTTLED)} throttled`, met: throttledShare(r) < MOST_THROTTLED }];
  return {
    bench: 'pace',
    case: `${KIND[throttle]}, capacity ${CAPACITY}, auto`,
    n,
    ms: r.ms,
    baselineMs: (n * 1000) / capacityRate(CAPACITY),
    // At least `least` of the capacity is at most 1/least of the time at capacity.
    target: { ratio: 1 / least, checks },
    note:
      `${achieved(r).toFixed(2)} of capacity (target ≥ ${least})` +
      `${known ? `, ${(achieved(r) / achieved(known)).toFixed(2)}× the rate of c=${CAPACITY}` : ''}; ${pct(throttledShare(r))} throttled; limit ${r.report.lowest}→${r.report.highest}, ended at ${r.report.final}` +
      `${r.report.pausedMs > 0 ? `; paused ${(r.report.pausedMs / 1000).toFixed(1)} s for Retry-After` : ''}` +
      `${r.failed ? `; ${r.failed} failed` : ''}; loop delay p99 ${r.lagP99.toFixed(0)} ms; baseline: every request at capacity`,
  };
}

/**
 * c=10 on the platform that throttles at once: the capacity, as if known in advance. What this client
 * reaches so on this machine in this run bounds what auto can.
 */
async function knownCapacity(
  sim: RunningSimulator,
  n: number,
  store: () => string,
  log: (line: string) => void,
): Promise<{ result: CaseResult; line: BenchLine }> {
  const r = await runCase(sim, creates(n), normaliseConcurrency({ concurrency: CAPACITY }), store());
  log(`  ${CAPACITY}, ${KIND.immediate}: ${(r.ms / 1000).toFixed(1)} s, ${describeConcurrency(r.report)}`);
  const line: BenchLine = {
    bench: 'pace',
    case: `${KIND.immediate}, capacity 10, c=${CAPACITY}`,
    n,
    ms: r.ms,
    baselineMs: (n * 1000) / capacityRate(CAPACITY),
    note: `${achieved(r).toFixed(2)} of capacity with the capacity known in advance: what this client reaches at best here; loop delay p99 ${r.lagP99.toFixed(0)} ms; baseline: every request at capacity`,
  };
  return { result: r, line };
}

/** auto over a capacity schedule 10 → 4 → 10: how long it took to follow each change. */
async function scheduleLine(
  sim: RunningSimulator,
  throttle: CapacityThrottle,
  phaseMs: number,
  store: () => string,
  log: (line: string) => void,
): Promise<BenchLine> {
  const schedule = [
    { capacity: CAPACITY, atMs: 0 },
    { capacity: 4, atMs: phaseMs },
    { capacity: CAPACITY, atMs: 2 * phaseMs },
  ];
  const n = Math.ceil((capacityRate(CAPACITY) * 2 + capacityRate(4)) * (phaseMs / 1000) * 1.05);
  const plan = creates(n);
  sim.setFaults({ capacitySchedule: schedule });
  const r = await runCase(sim, plan, autoSetting(), store());
  sim.setFaults({ capacitySchedule: [] });
  const down = followSeconds(r.samples, phaseMs, 4);
  const up = followSeconds(r.samples, 2 * phaseMs, CAPACITY);
  const shown = (s: number | null) => (s === null ? 'never' : `${s.toFixed(1)} s`);
  const within = (s: number | null) => s !== null && s <= FOLLOW_WITHIN_S;
  log(
    `  auto, ${KIND[throttle]}, capacity 10→4→10 every ${phaseMs / 1000} s: ${(r.ms / 1000).toFixed(1)} s, ${describeConcurrency(r.report)}; ` +
      `limit by second: ${limitsBySecond(r.samples)}`,
  );
  return {
    bench: 'pace',
    case: `${KIND[throttle]}, capacity 10→4→10, auto`,
    n,
    ms: r.ms,
    // The time the schedule allows at full use of each phase's capacity.
    baselineMs: idealMs(n, schedule),
    target: {
      ratio: Infinity,
      checks: [
        { what: `follows 10→4 within ${FOLLOW_WITHIN_S} s`, met: within(down) },
        { what: `4→10 within ${FOLLOW_WITHIN_S} s`, met: within(up) },
      ],
    },
    note: `followed 10→4 in ${shown(down)}, 4→10 in ${shown(up)}; ${pct(throttledShare(r))} throttled; limit ${r.report.lowest}→${r.report.highest}; loop delay p99 ${r.lagP99.toFixed(0)} ms; baseline: every phase at capacity`,
  };
}

/** A simulator for the pace and concurrency benches: 200 ms per request, capacity 10, queueing. */
export function paceSimulator(): Promise<RunningSimulator> {
  return startSimulator({ port: 0, seed: 11, latencyMs: LATENCY_MS, capacity: CAPACITY });
}
