import yargs from 'yargs';
import { applyCommand } from './commands/apply.js';
import { demoCommand } from './commands/demo.js';
import { planCommand } from './commands/plan.js';
import { reconcileCommand } from './commands/reconcile.js';
import { simulateCommand } from './commands/simulate.js';
import { templateCommand } from './commands/template.js';
import { validateCommand } from './commands/validate.js';
import { UsageError, usageProblem } from './usage.js';
import { lpsyncVersion } from './version.js';

const COMMANDS = [
  validateCommand,
  planCommand,
  applyCommand,
  reconcileCommand,
  templateCommand,
  simulateCommand,
  demoCommand,
];
const COMMAND_NAMES = COMMANDS.map((c) => String(c.command).split(' ')[0]!);

/** Builds the CLI for the given arguments; tests call this in-process. */
export function buildCli(argv: string[]) {
  return (
    yargs(argv)
      .scriptName('lpsync')
      .usage('$0 <command> [options]\n\nKeep an AudioCodes Live Platform tenant in line with a spreadsheet.')
      .command(validateCommand)
      .command(planCommand)
      .command(applyCommand)
      .command(reconcileCommand)
      .command(templateCommand)
      .command(simulateCommand)
      .command(demoCommand)
      .demandCommand(1, 'Name a command: lpsync --help lists them.')
      .strict()
      // A mistyped command or option: a short answer with "did you mean" and exit 2, not the whole help and exit 1.
      .fail((problem, error, usage) => {
        if (error) throw error;
        // The third argument is yargs's usage object (typed as Argv): the options of the command parsed.
        const described = (
          usage as unknown as { getDescriptions(): Record<string, unknown> }
        ).getDescriptions();
        const command = COMMAND_NAMES.find((c) => argv.includes(c));
        const options = Object.keys(described).filter((o) => o !== 'file');
        throw new UsageError(
          usageProblem(problem ?? '', { ...(command ? { command } : {}), options, commands: COMMAND_NAMES }),
        );
      })
      .version(lpsyncVersion())
      .help()
      .wrap(Math.min(110, process.stdout.columns || 110))
  );
}
