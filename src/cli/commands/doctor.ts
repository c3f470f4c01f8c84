import type { CommandModule, Options } from 'yargs';
import { RunError } from '../../model/errors.js';
import { createRedactor } from '../../model/redact.js';
import { DEFAULT_STATE_PATH } from '../../state/index.js';
import { runDoctor, type DoctorInput } from '../../run/doctor.js';
import { CONNECTION_HELP, connectionOptions, resolveConnection } from '../connection.js';
import { doctorJson, doctorText } from '../doctor-view.js';
import { createRunLogger } from '../logging.js';

export interface DoctorArgs {
  state: string;
  format: 'text' | 'json';
  verbose: boolean;
  [key: string]: unknown;
}

// Doctor writes nothing, so it takes every connection flag but the HTTP trace.
const { 'trace-http': _trace, ...doctorConnectionOptions } = connectionOptions;

/** What `lpsync doctor` prints and its exit code; the handler only writes it out. */
export async function doctor(
  args: DoctorArgs,
  env: NodeJS.ProcessEnv,
): Promise<{ exitCode: number; stdout: string }> {
  const redactor = createRedactor();
  const logger = createRunLogger({
    verbose: args.verbose,
    human: Boolean(process.stderr.isTTY),
    redactor,
    quiet: !args.verbose,
  });
  try {
    let settings: DoctorInput['settings'];
    try {
      const resolved = resolveConnection(args, env);
      redactor.addSecrets(
        resolved.auth.kind === 'token' ? [resolved.auth.token] : [resolved.auth.clientSecret],
      );
      settings = resolved;
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      settings = { problem: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    }
    const report = await runDoctor({ settings, statePath: args.state, logger, redactor, now: Date.now });
    const baseUrl = 'problem' in settings ? null : redactor.text(settings.baseUrl);
    return {
      exitCode: report.exitCode,
      stdout: redactor.text(args.format === 'json' ? doctorJson(report) : doctorText(report, baseUrl)),
    };
  } finally {
    logger.end();
  }
}

/** `lpsync doctor`: can lpsync work from here? Read-only: one token, one listing, one read-back. */
export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check settings, network, TLS, token, the Live Platform API and the state store; changes nothing',
  builder: (yargs) =>
    yargs
      .options({
        state: {
          type: 'string',
          default: DEFAULT_STATE_PATH,
          describe: 'State store (SQLite) to look at (read only; not created)',
        },
        format: {
          choices: ['text', 'json'] as const,
          default: 'text' as const,
          describe: 'One line per check, or JSON',
        },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
        ...(doctorConnectionOptions satisfies { [name: string]: Options }),
      })
      .example('$0 doctor', 'check everything with the settings from the environment')
      .example('$0 doctor --config lpsync.json --state state.db --format json', '')
      .epilog(
        `${CONNECTION_HELP}\n\nExit codes: 0 all checks passed; 1 warnings (lpsync can work); 3 lpsync cannot work from here. Nothing is written, the state store is not created.`,
      ),
  handler: async (argv) => {
    const outcome = await doctor(argv, process.env);
    console.log(outcome.stdout);
    process.exitCode = outcome.exitCode;
  },
};
