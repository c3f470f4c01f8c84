import type { CommandModule, Options } from 'yargs';
import { DEFAULT_STATE_PATH } from '../../state/paths.js';
import { CONNECTION_HELP, connectionOptions } from '../connection-options.js';
import type { DoctorArgs } from '../doctor-command.js';

// Doctor writes nothing, so it takes every connection flag but the HTTP trace.
const { 'trace-http': _trace, ...doctorConnectionOptions } = connectionOptions;

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
  handler: async (argv) => (await import('../doctor-command.js')).handleDoctor(argv),
};
