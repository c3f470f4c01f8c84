/**
 * `simulate`: the bundled Live Platform simulator started from the knobs a face was given, in the flags'
 * terms (seconds, milliseconds, a capacity schedule as text); the simulator's own `normaliseOptions`
 * checks them, in one place. The face shows where it listens and stops it.
 */
import { parseCapacitySchedule } from '../simulator/capacity.js';
import {
  DEFAULT_KNOBS,
  normaliseOptions,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../simulator/index.js';
import type { NormalisedOptions } from '../simulator/options.js';

export interface SimulateOptions {
  port: number;
  host: string;
  seed?: number | undefined;
  stateFile?: string | undefined;
  tokenLifetime?: number | undefined;
  taskDuration?: number | undefined;
  pendingTask?: number | undefined;
  latency?: number | undefined;
  jitter?: number | undefined;
  errorRate?: number | undefined;
  unavailableRate?: number | undefined;
  gatewayErrorRate?: number | undefined;
  throttleRate?: number | undefined;
  throttleLength?: number | undefined;
  retryAfter?: number | undefined;
  retryAfterDate?: boolean | undefined;
  dropRate?: number | undefined;
  configurationTypeOnCreate?: boolean | undefined;
  capacity?: number | undefined;
  /** `--throttle queue|immediate`: what the platform does beyond its capacity. */
  throttle?: string | undefined;
  capacitySchedule?: string | undefined;
}

export interface Simulation {
  simulator: RunningSimulator;
  /** The options as the simulator took them (defaults filled in), for describing it. */
  settings: NormalisedOptions;
}

/** Knobs → simulator options; a knob out of range is SimulatorOptionsError (code `simulator-options`). */
export function simulatorOptionsFrom(args: SimulateOptions): SimulatorOptions {
  const throttleGiven = [args.throttleRate, args.throttleLength, args.retryAfter, args.retryAfterDate].some(
    (v) => v !== undefined,
  );
  return {
    port: args.port,
    host: args.host,
    seed: args.seed,
    // As the platform: a base URL without /tenantui answers 404 (the README's first mistakes can be rehearsed).
    tenantuiOnly: true,
    stateFile: args.stateFile,
    tokenLifetimeSeconds: args.tokenLifetime,
    taskDurationMs: args.taskDuration,
    pendingTaskMs: args.pendingTask,
    latencyMs: args.latency,
    latencyJitterMs: args.jitter,
    errorRate: args.errorRate,
    unavailableRate: args.unavailableRate,
    gatewayErrorRate: args.gatewayErrorRate,
    throttle: throttleGiven
      ? {
          burstRate: args.throttleRate ?? DEFAULT_KNOBS.throttle.burstRate,
          burstLength: args.throttleLength ?? DEFAULT_KNOBS.throttle.burstLength,
          retryAfterSeconds: args.retryAfter ?? DEFAULT_KNOBS.throttle.retryAfterSeconds,
          ...(args.retryAfterDate === undefined ? {} : { retryAfterAsDate: args.retryAfterDate }),
        }
      : undefined,
    dropAfterCommitRate: args.dropRate,
    configurationTypeOnCreate: args.configurationTypeOnCreate,
    capacity: args.capacity,
    // Checked by normaliseOptions, which names the option when it is neither queue nor immediate.
    capacityThrottle: args.throttle as SimulatorOptions['capacityThrottle'],
    capacitySchedule:
      args.capacitySchedule === undefined ? undefined : parseCapacitySchedule(args.capacitySchedule),
  };
}

/** Starts the simulator; it runs until the face closes it (`simulation.simulator.close()`). */
export async function startSimulation(options: SimulateOptions): Promise<Simulation> {
  const simulatorOptions = simulatorOptionsFrom(options);
  const settings = normaliseOptions(simulatorOptions);
  const simulator = await startSimulator(simulatorOptions);
  return { simulator, settings };
}
