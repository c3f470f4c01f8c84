/** `lpsync history`: runs, newest first; `--customer NAME`; `history prune`. Read from the state store. */
import { hostname } from 'node:os';
import type { CommandModule } from 'yargs';
import { EXIT, RunError } from '../../model/errors.js';
import { textOf } from '../../model/text.js';
import * as run from '../../run/index.js';
import { customerText, pruneText, runsText } from '../audit-view.js';
import { faultOutcome, printOutcome, type CommandOutcome } from '../outcome.js';
import { runInvocation } from '../who.js';

export const stateOption = {
  type: 'string',
  default: run.DEFAULT_STATE_PATH,
  describe: 'State store (SQLite) of runs, journal and audit trail',
} as const;

export interface HistoryArgs {
  state: string;
  format: 'text' | 'json';
  since?: string | undefined;
  until?: string | undefined;
  customer?: string | undefined;
  [key: string]: unknown;
}

export interface PruneArgs {
  state: string;
  keepDays: number;
  [key: string]: unknown;
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
  handler: async (argv) => printOutcome(await prune(argv)),
};

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
  handler: async (argv) => printOutcome(await history(argv)),
};

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

/** The options of `history`, checked. */
function historyOptionsFrom(args: HistoryArgs): run.HistoryOptions {
  const since = timeOption('--since', args.since, 'start');
  const until = timeOption('--until', args.until, 'end');
  return {
    statePath: args.state,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(args.customer === undefined ? {} : { customer: String(args.customer) }),
  };
}

/** `lpsync history`: the runs, newest first, or `--customer NAME`'s every change. Reads only. */
export async function history(args: HistoryArgs): Promise<CommandOutcome> {
  try {
    const found = await run.history(historyOptionsFrom(args));
    const json = args.format === 'json';
    const stdout =
      found.kind === 'customer'
        ? json
          ? JSON.stringify({ customer: args.customer, changes: found.changes }, null, 2)
          : customerText(found.customer, found.changes, args.state)
        : json
          ? JSON.stringify(found.runs, null, 2)
          : runsText(found.runs, args.state);
    return { exitCode: EXIT.ok, stdout, stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}

/** `lpsync history prune --keep-days N`: under the writer lock, like a run. */
export async function prune(args: PruneArgs): Promise<CommandOutcome> {
  try {
    const days = args.keepDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0)
      throw new RunError(
        'invalid-options',
        `Invalid option --keep-days: expected a whole number of 0 or more, got ${String(days)}`,
      );
    const result = await run.prune({
      statePath: args.state,
      keepDays: days,
      now: () => new Date(),
      lockOwner: { pid: process.pid, host: hostname() },
      invocation: runInvocation(process.argv.slice(2), process.env),
    });
    return { exitCode: EXIT.ok, stdout: pruneText(result, days, args.state), stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}
