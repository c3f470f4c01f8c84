import type { CommandModule } from 'yargs';
import type { SimulateArgs } from '../simulate-command.js';

/** `lpsync simulate`: a simulated Live Platform API on a local port, until Ctrl-C. */
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
  handler: async (argv) => (await import('../simulate-command.js')).handleSimulate(argv),
};
