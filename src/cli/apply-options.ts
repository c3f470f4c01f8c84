/** The flags of apply and reconcile, declared apart from the code that runs them: --help loads only this. */
import type { Argv, Options } from 'yargs';
import { NOTIFY_FORMATS, NOTIFY_ON } from '../report/notify-options.js';
import { DEFAULT_STATE_PATH } from '../state/paths.js';
import { connectionOptions } from './connection-options.js';
import { withInputOptions } from './input-options.js';
import { scopeOptions } from './scope-options.js';

/** The flags of apply and reconcile for being seen from cron; spread into their options. */
export const runEndOptions = {
  notify: {
    type: 'string',
    // Repeated flags collect (array: true would also swallow the workbook named after it).
    describe: 'Post the outcome to this webhook URL when the run ends (repeat it for several)',
  },
  'notify-format': {
    choices: NOTIFY_FORMATS,
    default: 'json',
    describe: 'json, teams (an incoming-webhook card) or slack (blocks)',
  },
  'notify-on': {
    choices: NOTIFY_ON,
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
    default: DEFAULT_STATE_PATH,
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
  mode?: string;
  only?: string[];
  limit?: number;
  [key: string]: unknown;
}

export function withApplyOptions<T>(yargs: Argv<T>) {
  return withInputOptions(yargs).options(applyOptions);
}
