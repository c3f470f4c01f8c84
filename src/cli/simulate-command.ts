import { EXIT } from '../model/errors.js';
import {
  DEFAULT_KNOBS,
  normaliseOptions,
  SimulatorOptionsError,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../simulator/index.js';
import { parseCapacitySchedule, queueLength } from '../simulator/capacity.js';
import type { Knobs } from '../simulator/options.js';

export interface SimulateArgs {
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

/** Flags → simulator options; `normaliseOptions` checks them (one place for defaults and rules). */
export function simulatorOptionsFrom(args: SimulateArgs): SimulatorOptions {
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

/** What `lpsync simulate` prints once it listens: where it is, how to authenticate, two commands to paste. */
export function describeRunning(sim: RunningSimulator, options: SimulatorOptions): string[] {
  const normalised = normaliseOptions(options);
  const client = normalised.clients[0];
  const token = normalised.staticTokens[0];
  const api = normalised.tenantuiOnly ? `${sim.url}/tenantui` : sim.url;
  const lines = [
    `Live Platform simulator listening on ${sim.url} (base URL ${api}, token endpoint ${sim.url}/oauth2/token)`,
    `  state:          ${normalised.stateFile ? `persisted to ${normalised.stateFile}` : 'in memory'}`,
    `  seed:           ${sim.seed} (--seed ${sim.seed} repeats this run's faults)`,
    `  faults:         ${describeFaults(normalised.knobs)}`,
    `  timing:         tokens live ${normalised.knobs.tokenLifetimeSeconds} s, v3 tasks take ${normalised.knobs.taskDurationMs} ms, sites stay pending ${normalised.knobs.pendingTaskMs} ms`,
  ];
  if (client) {
    lines.push(
      `  client id:      ${client.clientId}`,
      `  client secret:  ${client.clientSecret} (a demo credential)`,
    );
  }
  if (token) lines.push(`  static token:   ${token}`);
  lines.push(
    '',
    'Try:',
    `  curl -s -X POST ${sim.url}/oauth2/token -d grant_type=client_credentials` +
      (client ? ` -d client_id=${client.clientId} -d client_secret=${client.clientSecret}` : ''),
    `  curl -s -H 'Authorization: Bearer ${token ?? '<token>'}' '${api}/api/v3/customer?allDetails=true'`,
    '',
    `Test endpoints: GET ${sim.url}/_sim/state, POST ${sim.url}/_sim/reset. Ctrl-C stops it.`,
  );
  return lines;
}

/** The fault knobs that are switched on, in the flags' words; "none" for a well-behaved platform. */
export function describeFaults(k: Knobs): string {
  const parts: string[] = [];
  if (k.latencyMs > 0 || k.latencyJitterMs > 0)
    parts.push(`latency ${k.latencyMs} ms + up to ${k.latencyJitterMs} ms`);
  if (k.errorRate > 0) parts.push(`500 rate ${k.errorRate}`);
  if (k.unavailableRate > 0) parts.push(`503 rate ${k.unavailableRate}`);
  if (k.gatewayErrorRate > 0) parts.push(`502/504 rate ${k.gatewayErrorRate}`);
  if (k.throttle.burstRate > 0) {
    const after = k.throttle.retryAfterAsDate ? 'as an HTTP date' : 'in seconds';
    parts.push(
      `429 bursts of ${k.throttle.burstLength} at rate ${k.throttle.burstRate} (Retry-After ${k.throttle.retryAfterSeconds} s, ${after})`,
    );
  }
  if (k.dropAfterCommitRate > 0) parts.push(`drop-after-commit rate ${k.dropAfterCommitRate}`);
  if (k.configurationTypeOnCreate) parts.push('SbcConfigurationType read in create and add bodies (lenient)');
  if (k.capacity > 0 || k.capacitySchedule.length > 0) parts.push(describeCapacity(k));
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Starts the simulator, prints how to call it, and closes it when `stopped` resolves. */
export async function runSimulate(
  args: SimulateArgs,
  io: { print(line: string): void; stopped: Promise<unknown> },
): Promise<number> {
  let options: SimulatorOptions;
  let sim: RunningSimulator;
  try {
    options = simulatorOptionsFrom(args);
    sim = await startSimulator(options);
  } catch (error) {
    if (error instanceof SimulatorOptionsError) {
      io.print(`lpsync simulate: ${error.message}`);
      return EXIT.invalid;
    }
    io.print(`lpsync simulate: could not start: ${(error as Error).message}`);
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      io.print(
        `Port ${args.port} is taken (another simulator?): pass --port with a free port, or --port 0 for any.`,
      );
    }
    return EXIT.fatal;
  }
  for (const line of describeRunning(sim, options)) io.print(line);
  await io.stopped;
  await sim.close();
  io.print('Simulator stopped.');
  return EXIT.ok;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `lpsync simulate`, loaded only when the command runs. */
export async function handleSimulate(argv: SimulateArgs): Promise<void> {
  process.exitCode = await runSimulate(argv, {
    print: (line) => console.log(line),
    stopped: untilSignal(),
  });
}

/** `capacity 10 (queue 5), then 4 at 30 s, 10 at 60 s`; with `--throttle immediate`, no queue. */
function describeCapacity(k: Knobs): string {
  const immediate = k.capacityThrottle === 'immediate';
  const one = (n: number) => (n <= 0 ? 'no limit' : immediate ? String(n) : `${n} (queue ${queueLength(n)})`);
  const steps = [...k.capacitySchedule]
    .sort((a, b) => a.atMs - b.atMs)
    .map((s) => `${one(s.capacity)} at ${s.atMs / 1000} s`);
  const beyond = immediate ? '429 at once beyond it, no queue' : '429 beyond it';
  return `capacity ${one(k.capacity)}${steps.length ? `, then ${steps.join(', ')}` : ''} (${beyond}, Retry-After ${k.throttle.retryAfterSeconds} s)`;
}
