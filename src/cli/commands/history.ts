import type { CommandModule } from 'yargs';
import { EXIT, RunError, exitCodeFor } from '../../model/errors.js';
import { textOf } from '../../model/text.js';
import { customerHistory, listRuns } from '../../run/history.js';
import { pruneHistory } from '../../run/audit-files.js';
import { openAuditReader } from '../../state/audit-read.js';
import { DEFAULT_STATE_PATH } from '../../state/index.js';
import { customerText, pruneText, runsText } from '../audit-view.js';
import { runInvocation } from '../who.js';
import { hostname } from 'node:os';

/** What an audit command prints and its exit code; the handler only writes it out. */
export interface CommandOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A run-level fault as a command outcome: the message and its hint on stderr. */
export function faultOutcome(error: unknown): CommandOutcome {
  if (!(error instanceof RunError)) throw error;
  return {
    exitCode: exitCodeFor(error.code),
    stdout: '',
    stderr: `${error.message}${error.hint ? `\n  ${error.hint}` : ''}`,
  };
}

export function printOutcome(outcome: CommandOutcome): void {
  if (outcome.stdout) console.log(outcome.stdout);
  if (outcome.stderr) console.error(outcome.stderr);
  process.exitCode = outcome.exitCode;
}

export const stateOption = {
  type: 'string',
  default: DEFAULT_STATE_PATH,
  describe: 'State store (SQLite) of runs, journal and audit trail',
} as const;

/** `--since` / `--until`: a date (the whole day, UTC) or a time, as an ISO time; a clear error otherwise. */
export function timeOption(name: string, value: unknown, end: 'start' | 'end'): string | undefined {
  if (value === undefined) return undefined;
  const text = textOf(value).trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const parsed = Date.parse(
    dateOnly ? `${text}T${end === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : text,
  );
  if (!Number.isFinite(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(text))
    throw new RunError(
      'invalid-options',
      `Invalid option ${name}: expected a date (2026-11-27) or a time (2026-11-27T02:15:00Z), got ${text}`,
    );
  return new Date(parsed).toISOString();
}

export interface HistoryArgs {
  state: string;
  format: 'text' | 'json';
  since?: string;
  until?: string;
  customer?: string;
  [key: string]: unknown;
}

/** `lpsync history`: the runs, newest first, or `--customer NAME`'s every change. Reads only. */
export function history(args: HistoryArgs): CommandOutcome {
  try {
    const since = timeOption('--since', args.since, 'start');
    const until = timeOption('--until', args.until, 'end');
    const reader = openAuditReader(args.state);
    try {
      if (args.customer !== undefined) {
        const changes = customerHistory(reader, String(args.customer)).filter(
          (c) => (since === undefined || c.at >= since) && (until === undefined || c.at <= until),
        );
        return {
          exitCode: EXIT.ok,
          stdout:
            args.format === 'json'
              ? JSON.stringify({ customer: args.customer, changes }, null, 2)
              : customerText(String(args.customer), changes, args.state),
          stderr: '',
        };
      }
      const runs = listRuns(reader, { ...(since ? { since } : {}), ...(until ? { until } : {}) });
      return {
        exitCode: EXIT.ok,
        stdout: args.format === 'json' ? JSON.stringify(runs, null, 2) : runsText(runs, args.state),
        stderr: '',
      };
    } finally {
      reader.close();
    }
  } catch (error) {
    return faultOutcome(error);
  }
}

export interface PruneArgs {
  state: string;
  keepDays: number;
  [key: string]: unknown;
}

/** `lpsync history prune --keep-days N`: under the writer lock, like a run. */
export function prune(
  args: PruneArgs,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  now: Date,
): CommandOutcome {
  try {
    const days = args.keepDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0)
      throw new RunError(
        'invalid-options',
        `Invalid option --keep-days: expected a whole number of 0 or more, got ${String(days)}`,
      );
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    const who = runInvocation(argv, env);
    const result = pruneHistory({
      statePath: args.state,
      keepDays: days,
      cutoff,
      lockOwner: { pid: process.pid, host: hostname() },
      by: { user: who.user, host: who.host, pid: who.pid, commandLine: who.commandLine.join(' ') },
    });
    return { exitCode: EXIT.ok, stdout: pruneText(result, days, args.state), stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}

const pruneCommand: CommandModule<object, PruneArgs> = {
  command: 'prune',
  describe:
    'Remove runs older than --keep-days and their audit entries; a checkpoint keeps audit verify green',
  builder: (yargs) =>
    yargs
      .options({
        'keep-days': {
          type: 'number',
          demandOption: true,
          describe: 'Keep runs that started within this many days',
        },
        state: stateOption,
      })
      .example('$0 history prune --keep-days 400', 'keep about 13 months')
      .epilog(
        'Takes the state store lock (exit 4 while a run writes). Export the trail first (lpsync audit export) if it must be kept longer elsewhere.',
      ) as never,
  handler: (argv) => printOutcome(prune(argv, process.argv.slice(2), process.env, new Date())),
};

/** `lpsync history`: runs, newest first; `--customer NAME`; `history prune`. */
export const historyCommand: CommandModule<object, HistoryArgs> = {
  command: 'history',
  describe: 'List the recorded runs (who, how, input, plan, outcome), or every change made to one customer',
  builder: (yargs) =>
    yargs
      .command(pruneCommand as CommandModule)
      .options({
        state: stateOption,
        format: { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Text or JSON' },
        since: { type: 'string', describe: 'Runs (or changes) from this date or time (UTC)' },
        until: { type: 'string', describe: 'Runs (or changes) up to this date or time (UTC)' },
        customer: {
          type: 'string',
          describe: 'Every change made to this customer (short name) and its SIP connections',
        },
      })
      .example('$0 history', 'the runs, newest first')
      .example('$0 history --since 2026-11-01 --until 2026-11-30 --format json', '')
      .example('$0 history --customer BradSB1E1', 'field, before → after, run, time, who')
      .epilog('Reads the state store only: no lock, nothing written.'),
  handler: (argv) => printOutcome(history(argv)),
};
