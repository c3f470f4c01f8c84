import type { CommandModule } from 'yargs';
import type { PlanArgs } from '../plan-command.js';
import { DEFAULT_STATE_PATH } from '../../state/paths.js';
import { CONNECTION_HELP, connectionOptions } from '../connection-options.js';
import { withInputOptions } from '../input-options.js';
import { samplePath } from '../invocation.js';
import { scopeOptions } from '../scope-options.js';

/** `lpsync plan <file>`: what apply would do, row by row, and why; sends nothing. */
export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan [file]',
  describe: 'Compare a workbook with the Live Platform and show what apply would do, and why',
  builder: (yargs) =>
    withInputOptions(yargs)
      .options({
        out: {
          type: 'string',
          describe:
            'Also write the plan: a .json plan file (what apply --plan sends, exactly) or an .xlsx review workbook; repeat it for both',
        },
        ...scopeOptions,
        strict: { type: 'boolean', default: false, describe: 'Exit 1 when the plan has conflicts' },
        adopt: {
          type: 'boolean',
          default: false,
          describe: "Plan to record the sheet's values for sites lpsync never applied, without sending",
        },
        state: {
          type: 'string',
          default: DEFAULT_STATE_PATH,
          describe: 'State store (SQLite) of what lpsync last applied',
        },
        all: { type: 'boolean', default: false, describe: 'Also list the rows that are unchanged' },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
        ...connectionOptions,
      })
      .example(`$0 plan ${samplePath('customers.xlsx', process.cwd())}`, 'what would change, and why')
      .example(
        `$0 plan ${samplePath('customers.xlsx', process.cwd())} --out cr42.plan.json --out cr42.review.xlsx`,
        'a plan file for apply --plan and a review workbook for the change board',
      )
      .example(
        `$0 plan ${samplePath('customers.xlsx', process.cwd())} --mode update-only --only "customer:Brad*"`,
        'a wave that creates nothing',
      )
      .epilog(
        `--out writes the plan file (.json, secrets masked; its SHA-256 is printed) or a review workbook (.xlsx); --strict exits 1 when a row conflicts.\n\n${CONNECTION_HELP}\n\nExit codes: 0 planned; 1 --strict and conflicts; 2 invalid input or options; 3 auth refused or Live Platform unreachable.`,
      ) as never,
  handler: async (argv) => (await import('../plan-command.js')).handlePlan(argv),
};
