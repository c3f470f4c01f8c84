import type { CommandModule } from 'yargs';
import { samplePath } from '../invocation.js';
import { CONNECTION_HELP, EXIT_CODES_HELP } from '../connection-options.js';
import { withApplyOptions, type ApplyArgs } from '../apply-options.js';

/** `lpsync apply <file>`: make the Live Platform match the workbook, then write the results workbook. */
export const applyCommand: CommandModule<object, ApplyArgs> = {
  command: 'apply [file]',
  describe: 'Apply a workbook to the Live Platform and write a results workbook',
  builder: (yargs) =>
    withApplyOptions(yargs)
      .option('plan', {
        type: 'string',
        describe:
          'Apply exactly this saved plan (from plan --out x.plan.json); the workbook must be the one it was made from',
      })
      .option('resume', {
        describe:
          'Continue an interrupted run (the latest, or the given run id): what was in flight is read back first',
      })
      .example(
        `$0 apply ${samplePath('customers.xlsx', process.cwd())} --dry-run`,
        'show the plan, send nothing',
      )
      .example(
        `$0 apply --plan cr42.plan.json ${samplePath('customers.xlsx', process.cwd())}`,
        'exactly the approved plan (refused when stale)',
      )
      .example(
        `$0 apply ${samplePath('customers.xlsx', process.cwd())}`,
        'apply; requests in flight start at 4 and follow the platform (--concurrency auto)',
      )
      .example(
        `$0 apply ${samplePath('customers.xlsx', process.cwd())} --resume`,
        'finish the run a crash or Ctrl-C interrupted',
      )
      .example(
        `$0 apply ${samplePath('customers.xlsx', process.cwd())} --limit 5`,
        'a canary: at most 5 writes',
      )
      .epilog(`${CONNECTION_HELP}\n\n${EXIT_CODES_HELP}`) as never,
  handler: async (argv) => (await import('../apply-command.js')).runApplyCommand(argv, 'apply'),
};
