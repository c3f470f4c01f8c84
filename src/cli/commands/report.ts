/** `lpsync report --run ID`: a run's results workbook again, rebuilt from the state store alone. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT } from '../../model/errors.js';
import * as run from '../../run/index.js';
import { programName } from '../invocation.js';
import { faultOutcome, printOutcome, type CommandOutcome } from '../outcome.js';
import { paperFromLocale } from '../paper.js';
import { stateOption } from './history.js';

export interface ReportArgs {
  state: string;
  run: string;
  out?: string | undefined;
  reportsDir: string;
  [key: string]: unknown;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe:
    "Rebuild a run's results workbook (and its before-image) from the state store alone (same cells, same Summary)",
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
  handler: async (argv) => printOutcome(await report(argv)),
};

/** `<reports-dir>/<run id>.rebuilt.results.xlsx`, never over an earlier file. */
function rebuiltPath(dir: string, runId: string): string {
  let path = join(dir, `${runId}.rebuilt.results.xlsx`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${runId}.rebuilt-${i}.results.xlsx`);
  return path;
}

/** `lpsync report --run ID`: the run's results workbook again, from the store alone. */
export async function report(args: ReportArgs): Promise<CommandOutcome> {
  try {
    const r = await run.report({
      statePath: args.state,
      runId: String(args.run),
      out: (runId) => args.out ?? rebuiltPath(args.reportsDir, runId),
      paper: paperFromLocale(process.env),
      program: programName(process.env),
    });
    const lines = [
      r.path
        ? `Report of run ${r.runId} rebuilt from ${args.state} (snapshot entry ${r.snapshotEntry}, ${r.rows} rows): ${r.path}`
        : `Run ${r.runId} ended before its report was written: only its before-image is rebuilt from ${args.state}.`,
    ];
    if (r.beforeImage) lines.push(`Before-image (apply it to back out): ${r.beforeImage}`);
    return { exitCode: EXIT.ok, stdout: lines.join('\n'), stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}
