/**
 * `lpsync apply <file>` (make the Live Platform match the workbook, then write the results workbook) and
 * `lpsync reconcile <file>` (apply for cron: never prompts, one run at a time, a one-screen summary).
 * Declared here; the run is wired in ../apply-run.ts, loaded only when one of them runs.
 */
import type { Argv, CommandModule, Options } from 'yargs';
import * as run from '../../run/index.js';
import { CONNECTION_HELP, connectionOptions, EXIT_CODES_HELP } from '../connection-options.js';
import { identityOptions } from '../identity.js';
import { withInputOptions } from '../input-options.js';
import { samplePath } from '../invocation.js';
import { scopeOptions } from '../scope-options.js';

/** The flags of apply and reconcile for being seen from cron; spread into their options. */
export const runEndOptions = {
  notify: {
    type: 'string',
    // Repeated flags collect (array: true would also swallow the workbook named after it).
    describe: 'Post the outcome to this webhook URL when the run ends (repeat it for several)',
  },
  'notify-format': {
    choices: run.NOTIFY_FORMATS,
    default: 'json',
    describe: 'json, teams (an incoming-webhook card) or slack (blocks)',
  },
  'notify-on': {
    choices: run.NOTIFY_ON,
    default: 'failure',
    describe: 'failure (exit code not 0), change (something was changed, or failure) or always',
  },
  'metrics-file': {
    type: 'string',
    describe: "Write the run's metrics here (Prometheus text format, for node_exporter's textfile collector)",
  },
} satisfies { [name: string]: Options };

/** Flags of `apply` and `reconcile`, declared once. */
export const applyOptions = {
  'max-errors': {
    type: 'number',
    describe: 'Stop sending after this many failed actions (the rest are reported as not run)',
  },
  'dry-run': { type: 'boolean', default: false, describe: 'Show the plan and send nothing' },
  'skip-invalid': {
    type: 'boolean',
    default: false,
    describe:
      'Apply the valid rows and report the invalid ones (default: send nothing when a row is invalid)',
  },
  'ignore-unread-sheets': {
    type: 'boolean',
    default: false,
    describe:
      'Apply although a sheet with the headers of Customers or SipConnections is not read because of its name (default: stop, exit 2)',
  },
  adopt: {
    type: 'boolean',
    default: false,
    describe: "Record the sheet's values as applied for sites lpsync never applied, without sending",
  },
  state: {
    type: 'string',
    default: run.DEFAULT_STATE_PATH,
    describe: 'State store (SQLite) of runs, journal and what was applied',
  },
  report: {
    type: 'string',
    describe: 'Results workbook path (default: <reports-dir>/<input>-<timestamp>.results.xlsx)',
  },
  'reports-dir': { type: 'string', default: 'reports', describe: 'Folder for the default report path' },
  'log-file': { type: 'string', describe: 'Also write JSON log lines to this file' },
  verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
  ...scopeOptions,
  ...connectionOptions,
  ...runEndOptions,
} satisfies { [name: string]: Options };

export interface ApplyArgs {
  file?: string;
  customers?: string;
  sites?: string;
  maxErrors?: number;
  dryRun: boolean;
  skipInvalid: boolean;
  ignoreUnreadSheets: boolean;
  adopt: boolean;
  state: string;
  report?: string;
  reportsDir: string;
  logFile?: string;
  verbose: boolean;
  resume?: string | boolean;
  plan?: string;
  requireApproval?: boolean;
  as?: string;
  users?: string;
  mode?: string;
  only?: string[];
  limit?: number;
  [key: string]: unknown;
}

export function withApplyOptions<T>(yargs: Argv<T>) {
  return withInputOptions(yargs).options(applyOptions);
}

const sample = () => samplePath('customers.xlsx', process.cwd());

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
      .option('require-approval', {
        type: 'boolean',
        describe:
          'With --plan: refuse (exit 2, nothing sent) unless a user other than its author approved the plan (lpsync approve)',
      })
      .options(identityOptions)
      .option('resume', {
        describe:
          'Continue an interrupted run (the latest, or the given run id): what was in flight is read back first',
      })
      .example(`$0 apply ${sample()} --dry-run`, 'show the plan, send nothing')
      .example(
        `$0 apply --plan cr42.plan.json ${sample()} --require-approval`,
        'only once another user approved it (exit 2 until then)',
      )
      .example(`$0 apply --plan cr42.plan.json ${sample()}`, 'exactly the saved plan (refused when stale)')
      .example(
        `$0 apply ${sample()}`,
        'apply; requests in flight start at 4 and follow the platform (--concurrency auto)',
      )
      .example(`$0 apply ${sample()} --resume`, 'finish the run a crash or Ctrl-C interrupted')
      .example(`$0 apply ${sample()} --limit 5`, 'a canary: at most 5 writes')
      .epilog(`${CONNECTION_HELP}\n\n${EXIT_CODES_HELP}`) as never,
  handler: async (argv) => (await import('../apply-run.js')).runApplyCommand(argv, 'apply'),
};

export const reconcileCommand: CommandModule<object, ApplyArgs> = {
  command: 'reconcile [file]',
  describe: 'Apply for cron: never prompts, takes the state store lock, prints a one-screen summary',
  builder: (yargs) =>
    withApplyOptions(yargs)
      .example(`$0 reconcile ${sample()}`, 'one run, as cron runs it')
      .example(
        '$0 reconcile customers.xlsx --config lpsync.json --state state.db --log-file lpsync.jsonl',
        '',
      )
      .epilog(`${CONNECTION_HELP}\n\n${EXIT_CODES_HELP}`) as never,
  handler: async (argv) => (await import('../apply-run.js')).runApplyCommand(argv, 'reconcile'),
};
