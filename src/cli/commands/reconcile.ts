import type { CommandModule } from 'yargs';
import { runApplyCommand, withApplyOptions, type ApplyArgs } from '../apply-command.js';

/** `lpsync reconcile <file>`: apply for cron — never prompts, one run at a time (exit 4 when another holds the lock), one-screen summary. */
export const reconcileCommand: CommandModule<object, ApplyArgs> = {
  command: 'reconcile [file]',
  describe: 'Apply for cron: never prompts, takes the state store lock, prints a one-screen summary',
  builder: (yargs) =>
    withApplyOptions(yargs).example(
      '$0 reconcile /srv/lpsync/customers.xlsx --state /srv/lpsync/state.db --log-file /var/log/lpsync.jsonl',
      'nightly run',
    ) as never,
  handler: (argv) => runApplyCommand(argv, 'reconcile'),
};
