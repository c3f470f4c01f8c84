import type { CommandModule } from 'yargs';
import { DEFAULT_STATE_PATH } from '../../state/paths.js';
import type { HistoryArgs, PruneArgs } from '../audit-commands.js';

/** Declared here, run by ../audit-commands.ts, loaded only when one of these commands runs. */
const load = () => import('../audit-commands.js');

export const stateOption = {
  type: 'string',
  default: DEFAULT_STATE_PATH,
  describe: 'State store (SQLite) of runs, journal and audit trail',
} as const;

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
  handler: async (argv) => {
    const { printOutcome, prune } = await load();
    printOutcome(prune(argv, process.argv.slice(2), process.env, new Date()));
  },
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
  handler: async (argv) => {
    const { printOutcome, history } = await load();
    printOutcome(history(argv));
  },
};
