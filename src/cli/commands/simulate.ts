/** `lpsync simulate`: a simulated Live Platform API on a local port, until Ctrl-C. */
import type { CommandModule } from 'yargs';
import { EXIT, LpsyncError } from '../../model/errors.js';
import * as run from '../../run/index.js';
import type { Knobs, SimulateOptions, Simulation } from '../../run/index.js';

export type SimulateArgs = SimulateOptions;

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate',
  describe: 'Run a simulated Live Platform API (for tests, demos and rehearsals) until Ctrl-C',
  builder: (yargs) =>
    yargs
      .option('port', { type: 'number', default: 8080, describe: 'Port to listen on (0 = any free port)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('seed', { type: 'number', describe: 'Seed of every random decision (faults, jitter, GUIDs)' })
      .option('state-file', {
        type: 'string',
        describe:
          'Persist state to this JSON file and load it on start (carrier passwords and the Teams secret are written masked: ***)',
      })
      .option('token-lifetime', {
        type: 'number',
        describe: 'Lifetime of issued tokens, seconds (default 3600)',
      })
      .option('task-duration', {
        type: 'number',
        describe: 'v3 tasks stay InProgress this long, ms (default 200)',
      })
      .option('pending-task', {
        type: 'number',
        describe: 'Sites report pendingTasks this long after add/modify, ms (default 0)',
      })
      .option('latency', { type: 'number', describe: 'Fixed latency per /api request, ms' })
      .option('jitter', { type: 'number', describe: 'Plus uniform random latency up to this, ms' })
      .option('error-rate', { type: 'number', describe: 'Probability of a 500 answer (0–1)' })
      .option('unavailable-rate', { type: 'number', describe: 'Probability of a 503 answer (0–1)' })
      .option('gateway-error-rate', {
        type: 'number',
        describe: 'Probability of a gateway error (0–1): half 502 before handling, half 504 after it',
      })
      .option('throttle-rate', {
        type: 'number',
        describe: 'Probability that a burst of 429 answers starts (0–1)',
      })
      .option('throttle-length', { type: 'number', describe: 'Requests answered 429 per burst (default 1)' })
      .option('retry-after', { type: 'number', describe: 'Retry-After of a 429, seconds (default 1)' })
      .option('retry-after-date', {
        type: 'boolean',
        describe: 'Send Retry-After as an HTTP date (that many seconds ahead) instead of seconds',
      })
      .option('drop-rate', {
        type: 'number',
        describe: 'Probability that a write is committed and the connection then dropped (0–1)',
      })
      .option('capacity', {
        type: 'number',
        describe:
          'Requests served at once (0 = no limit); up to half as many more wait in a queue, beyond that 429 with Retry-After',
      })
      .option('throttle', {
        type: 'string',
        choices: ['queue', 'immediate'],
        describe:
          "Beyond --capacity: queue (up to half as many more wait, so latency rises first; the default) or immediate (429 with Retry-After at once, no queue, as an API gateway's concurrency limit)",
      })
      .option('capacity-schedule', {
        type: 'string',
        describe: 'Capacity over time from the start, e.g. 10@0s,4@30s,10@60s',
      })
      .option('configuration-type-on-create', {
        type: 'boolean',
        describe:
          'Also read SbcConfigurationType in create and add bodies (the pages: only Modify SIP Connection sets it)',
      })
      .example('$0 simulate --port 8080', 'serve the API on http://127.0.0.1:8080')
      .example(
        '$0 simulate --port 8080 --seed 7 --error-rate 0.05 --throttle-rate 0.02 --throttle-length 5 --drop-rate 0.02',
        'a flaky platform, the same flakiness every run',
      ),
  handler: async (argv) => {
    process.exitCode = await runSimulate(argv, {
      print: (line) => console.log(line),
      stopped: untilSignal(),
    });
  },
};

/** Starts the simulator, prints how to call it, and closes it when `stopped` resolves. */
export async function runSimulate(
  args: SimulateArgs,
  io: { print(line: string): void; stopped: Promise<unknown> },
): Promise<number> {
  let simulation: Simulation;
  try {
    simulation = await run.startSimulation(args);
  } catch (error) {
    if (error instanceof LpsyncError && error.code === 'simulator-options') {
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
  for (const line of describeRunning(simulation)) io.print(line);
  await io.stopped;
  await simulation.simulator.close();
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

/** What `lpsync simulate` prints once it listens: where it is, how to authenticate, two commands to paste. */
export function describeRunning({ simulator: sim, settings }: Simulation): string[] {
  const client = settings.clients[0];
  const token = settings.staticTokens[0];
  const api = settings.tenantuiOnly ? `${sim.url}/tenantui` : sim.url;
  const lines = [
    `Live Platform simulator listening on ${sim.url} (base URL ${api}, token endpoint ${sim.url}/oauth2/token)`,
    `  state:          ${settings.stateFile ? `persisted to ${settings.stateFile}` : 'in memory'}`,
    `  seed:           ${sim.seed} (--seed ${sim.seed} repeats this run's faults)`,
    `  faults:         ${describeFaults(settings.knobs)}`,
    `  timing:         tokens live ${settings.knobs.tokenLifetimeSeconds} s, v3 tasks take ${settings.knobs.taskDurationMs} ms, sites stay pending ${settings.knobs.pendingTaskMs} ms`,
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

/** `capacity 10 (queue 5), then 4 at 30 s, 10 at 60 s`; with `--throttle immediate`, no queue. */
function describeCapacity(k: Knobs): string {
  const immediate = k.capacityThrottle === 'immediate';
  const one = (n: number) =>
    n <= 0 ? 'no limit' : immediate ? String(n) : `${n} (queue ${run.queueLength(n)})`;
  const steps = [...k.capacitySchedule]
    .sort((a, b) => a.atMs - b.atMs)
    .map((s) => `${one(s.capacity)} at ${s.atMs / 1000} s`);
  const beyond = immediate ? '429 at once beyond it, no queue' : '429 beyond it';
  return `capacity ${one(k.capacity)}${steps.length ? `, then ${steps.join(', ')}` : ''} (${beyond}, Retry-After ${k.throttle.retryAfterSeconds} s)`;
}
