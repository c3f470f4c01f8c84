import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { LpsyncError } from '../model/errors.js';
import { lazy } from '../model/zod-lazy.js';
import type { SimState } from './state.js';

/** Options of `startSimulator` (see notes/simulator-api.md): every default lives here and nowhere else. */
export interface SimulatorOptions {
  /** 0 = OS-chosen (tests); default 8080. */
  port?: number | undefined;
  /** Default '127.0.0.1'. */
  host?: string | undefined;
  /** Every random decision (faults, jitter, GUIDs) comes from this seed; random when absent. */
  seed?: number | undefined;
  /** OAuth client-credentials clients; default [{ clientId: 'lpsync-demo', clientSecret: 'demo-secret' }]. */
  clients?: Array<{ clientId: string; clientSecret: string }> | undefined;
  /** Bearer tokens accepted forever (what LPSYNC_TOKEN would hold); default ['demo-token']. */
  staticTokens?: string[] | undefined;
  /** Lifetime of issued tokens; default 3600. */
  tokenLifetimeSeconds?: number | undefined;
  /** A v3 task stays InProgress this long; default 200. */
  taskDurationMs?: number | undefined;
  /** A site reports non-empty pendingTasks this long after add/modify; default 0. */
  pendingTaskMs?: number | undefined;
  /** Fixed latency per /api request; default 0. */
  latencyMs?: number | undefined;
  /** Plus uniform jitter in [0, latencyJitterMs); default 0. */
  latencyJitterMs?: number | undefined;
  /** Probability of a 500 problem JSON before processing; default 0. */
  errorRate?: number | undefined;
  /** Probability of a 503 before processing; default 0. */
  unavailableRate?: number | undefined;
  /**
   * Probability of a gateway error; default 0. Half of them are a 502 before processing, half a 504
   * after it (a write is committed, then the gateway gives up waiting for the answer).
   */
  gatewayErrorRate?: number | undefined;
  /**
   * A burst starts with probability burstRate and answers the next burstLength /api requests 429,
   * with `Retry-After` in seconds, or as an HTTP date that many seconds ahead when `retryAfterAsDate`.
   */
  throttle?:
    | {
        burstRate: number;
        burstLength: number;
        retryAfterSeconds: number;
        retryAfterAsDate?: boolean | undefined;
      }
    | undefined;
  /** Probability that a committed POST/PATCH write is answered by destroying the socket. */
  dropAfterCommitRate?: number | undefined;
  /**
   * /api requests served at once (0 = no limit, the default); up to half as many more wait in a queue,
   * beyond that 429 with the throttle's `Retry-After` (src/simulator/capacity.ts).
   */
  capacity?: number | undefined;
  /**
   * Beyond `capacity`: 'queue' (the default; up to half as many more wait, so latency rises first) or
   * 'immediate' (429 with the throttle's `Retry-After` at once, no queue: an API gateway's concurrency limit).
   */
  capacityThrottle?: 'queue' | 'immediate' | undefined;
  /** Capacity steps from when the schedule is set (start, or `setFaults`); before the first, `capacity`. */
  capacitySchedule?: Array<{ capacity: number; atMs: number }> | undefined;
  /**
   * Read `SbcConfigurationType` in create and add bodies too (lenient). Default false, as the pages
   * say: the Create Hosted Essentials Service page marks it "currently not supported" and neither Add
   * SIP Connection nor Create OC Service lists it; only Modify SIP Connection sets it.
   */
  configurationTypeOnCreate?: boolean | undefined;
  /** Persist state here (atomically) and load it on start. */
  stateFile?: string | undefined;
  /**
   * Start holding this tenant (copied), without a state file: a large tenant for a test or the bench,
   * which a state file would rewrite after every request. A state file that exists wins.
   */
  initialState?: SimState | undefined;
  /**
   * Serve the API only under `/tenantui`, as the platform does: `/api/…` without it answers 404, so a base
   * URL missing `/tenantui` fails as it would in production. `lpsync simulate` and the demo set it; default
   * false, so that in-process tests may use the simulator's root URL as the base URL.
   */
  tenantuiOnly?: boolean | undefined;
  /** The simulator's clock (token expiry, task and pending-task timers): tests move it instead of sleeping. */
  clock?: (() => number) | undefined;
}

/** The option schemas, built on first use (zod loads only when the simulator checks options). */
const schemas = lazy((z) => {
  const rate = z.number().min(0).max(1);
  const millis = z.number().int().min(0).max(3_600_000);

  /** The knobs that may change while the simulator runs (`setFaults`, `POST /_sim/faults`). */
  const knobsSchema = z.strictObject({
    tokenLifetimeSeconds: z.number().int().min(1).max(31_536_000),
    taskDurationMs: millis,
    pendingTaskMs: millis,
    latencyMs: millis,
    latencyJitterMs: millis,
    errorRate: rate,
    unavailableRate: rate,
    gatewayErrorRate: rate,
    throttle: z.strictObject({
      burstRate: rate,
      burstLength: z.number().int().min(1).max(1_000_000),
      retryAfterSeconds: z.number().int().min(0).max(86_400),
      retryAfterAsDate: z.boolean().optional(),
    }),
    dropAfterCommitRate: rate,
    configurationTypeOnCreate: z.boolean(),
    capacity: z.number().int().min(0).max(100_000),
    capacityThrottle: z.enum(['queue', 'immediate']),
    capacitySchedule: z
      .array(
        z.strictObject({ capacity: z.number().int().min(0).max(100_000), atMs: z.number().int().min(0) }),
      )
      .max(1_000),
  });

  const optionsSchema = z.strictObject({
    port: z.number().int().min(0).max(65_535).default(8080),
    host: z.string().min(1).default('127.0.0.1'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    clients: z
      .array(z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1) }))
      .default([{ clientId: 'lpsync-demo', clientSecret: 'demo-secret' }]),
    staticTokens: z.array(z.string().min(1)).default(['demo-token']),
    stateFile: z.string().min(1).optional(),
    tenantuiOnly: z.boolean().default(false),
    ...knobsSchema.partial().shape,
  });
  return { knobsSchema, optionsSchema };
});

export type Knobs = z.infer<ReturnType<typeof schemas>['knobsSchema']>;

export interface NormalisedOptions {
  port: number;
  host: string;
  seed: number;
  clients: Array<{ clientId: string; clientSecret: string }>;
  staticTokens: string[];
  stateFile: string | undefined;
  initialState: SimState | undefined;
  tenantuiOnly: boolean;
  knobs: Knobs;
  clock: () => number;
}

export const DEFAULT_KNOBS: Knobs = {
  tokenLifetimeSeconds: 3600,
  taskDurationMs: 200,
  pendingTaskMs: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  unavailableRate: 0,
  gatewayErrorRate: 0,
  throttle: { burstRate: 0, burstLength: 1, retryAfterSeconds: 1 },
  dropAfterCommitRate: 0,
  configurationTypeOnCreate: false,
  capacity: 0,
  capacityThrottle: 'queue',
  capacitySchedule: [],
};

/** Thrown for options that make no sense; the message names the option and the rule. */
export class SimulatorOptionsError extends LpsyncError {
  declare readonly code: 'simulator-options';

  constructor(message: string) {
    super('simulator-options', message);
    this.name = 'SimulatorOptionsError';
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `Invalid option ${i.path.join('.') || '(options)'}: ${i.message}`)
    .join('; ');
}

/** Applies defaults and checks every option once; nothing downstream re-applies a default. */
export function normaliseOptions(input: SimulatorOptions = {}): NormalisedOptions {
  const { clock, initialState, ...rest } = input;
  if (clock !== undefined && typeof clock !== 'function')
    throw new SimulatorOptionsError('Invalid option clock: expected a function returning milliseconds');
  const parsed = schemas().optionsSchema.safeParse(stripUndefined(rest));
  if (!parsed.success) throw new SimulatorOptionsError(describeIssues(parsed.error));
  const o = parsed.data;
  const knobs = mergeKnobs(DEFAULT_KNOBS, o);
  return {
    port: o.port,
    host: o.host,
    seed: o.seed ?? randomInt(0, 2 ** 32 - 1),
    clients: o.clients,
    staticTokens: o.staticTokens,
    stateFile: o.stateFile,
    initialState: initialState === undefined ? undefined : structuredClone(initialState),
    tenantuiOnly: o.tenantuiOnly,
    knobs,
    clock: clock ?? Date.now,
  };
}

/** Validates a partial change of knobs (unknown keys are refused) and returns the merged knobs. */
export function applyKnobChange(current: Knobs, change: unknown): Knobs {
  const parsed = schemas().knobsSchema.partial().safeParse(stripUndefined(change));
  if (!parsed.success) throw new SimulatorOptionsError(describeIssues(parsed.error));
  return mergeKnobs(current, parsed.data);
}

function mergeKnobs(base: Knobs, change: { [K in keyof Knobs]?: Knobs[K] | undefined }): Knobs {
  const out: Knobs = { ...base, throttle: { ...base.throttle } };
  for (const key of Object.keys(schemas().knobsSchema.shape) as Array<keyof Knobs>) {
    const value = change[key];
    if (value !== undefined) (out as Record<keyof Knobs, unknown>)[key] = value;
  }
  return out;
}

// `{ seed: undefined }` from a CLI flag that was not given means "not set", not "invalid".
function stripUndefined(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
