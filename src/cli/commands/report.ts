import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT } from '../../model/errors.js';
import { rebuildReport } from '../../run/audit-files.js';
import { faultOutcome, printOutcome, stateOption, type CommandOutcome } from './history.js';

export interface ReportArgs {
  state: string;
  run: string;
  out?: string;
  reportsDir: string;
  [key: string]: unknown;
}

/** `<reports-dir>/<run id>.rebuilt.results.xlsx`, never over an earlier file. */
function rebuiltPath(dir: string, runId: string): string {
  let path = join(dir, `${runId}.rebuilt.results.xlsx`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${runId}.rebuilt-${i}.results.xlsx`);
  return path;
}

/** `lpsync report --run ID`: the run's results workbook again, from the store alone. */
export async function report(args: ReportArgs): Promise<CommandOutcome> {
  try {
    const r = await rebuildReport({
      statePath: args.state,
      runId: String(args.run),
      out: (runId) => args.out ?? rebuiltPath(args.reportsDir, runId),
    });
    return {
      exitCode: EXIT.ok,
      stdout: `Report of run ${r.runId} rebuilt from ${args.state} (snapshot entry ${r.snapshotEntry}, ${r.rows} rows): ${r.path}`,
      stderr: '',
    };
  } catch (error) {
    return faultOutcome(error);
  }
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: "Rebuild a run's results workbook from the state store alone (same cells, same Summary)",
  builder: (yargs) =>
    yargs
      .options({
        run: { type: 'string', demandOption: true, describe: 'The run id (lpsync history lists them)' },
        out: {
          type: 'string',
          describe: 'Workbook path (default: <reports-dir>/<run id>.rebuilt.results.xlsx)',
        },
        'reports-dir': { type: 'string', default: 'reports', describe: 'Folder for the default path' },
        state: stateOption,
      })
      .example('$0 report --run run-20261127T005604-4bb168f7', '')
      .epilog(
        'Reads the state store only (no lock); refused when the store fails lpsync audit verify.',
      ) as never,
  handler: async (argv) => printOutcome(await report(argv)),
};
