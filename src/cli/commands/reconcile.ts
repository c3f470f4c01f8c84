import type { CommandModule } from 'yargs';
import { samplePath } from '../invocation.js';
import { CONNECTION_HELP, EXIT_CODES_HELP } from '../connection-options.js';
import { withApplyOptions, type ApplyArgs } from '../apply-options.js';

/** `lpsync reconcile <file>`: apply for cron — never prompts, one run at a time (exit 4 when another holds the lock), one-screen summary. */
export const reconcileCommand: CommandModule<object, ApplyArgs> = {
  command: 'reconcile [file]',
  describe: 'Apply for cron: never prompts, takes the state store lock, prints a one-screen summary',
  builder: (yargs) =>
    withApplyOptions(yargs)
      .example(`$0 reconcile ${samplePath('customers.xlsx', process.cwd())}`, 'one run, as cron runs it')
      .example(
        '$0 reconcile customers.xlsx --config lpsync.json --state state.db --log-file lpsync.jsonl',
        '',
      )
      .epilog(`${CONNECTION_HELP}\n\n${EXIT_CODES_HELP}`) as never,
  handler: async (argv) => (await import('../apply-command.js')).runApplyCommand(argv, 'reconcile'),
};
