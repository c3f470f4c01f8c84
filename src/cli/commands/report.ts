import type { CommandModule } from 'yargs';
import type { ReportArgs } from '../audit-commands.js';
import { stateOption } from './history.js';

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: "Rebuild a run's results workbook from the state store alone (same cells, same Summary)",
  builder: (yargs) =>
    yargs
      .options({
        run: {
          type: 'string',
          demandOption: true,
          describe: 'The run id (lpsync history lists them), or latest for the newest run',
        },
        out: {
          type: 'string',
          describe: 'Workbook path (default: <reports-dir>/<run id>.rebuilt.results.xlsx)',
        },
        'reports-dir': { type: 'string', default: 'reports', describe: 'Folder for the default path' },
        state: stateOption,
      })
      .example('$0 report --run latest', "the newest run's workbook again")
      .example('$0 report --run run-20261127T005604-4bb168f7', 'a run that history lists')
      .epilog(
        'Reads the state store only (no lock); refused when the store fails lpsync audit verify.',
      ) as never,
  handler: async (argv) => {
    const { printOutcome, report } = await import('../audit-commands.js');
    printOutcome(await report(argv));
  },
};
