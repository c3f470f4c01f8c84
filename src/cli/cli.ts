import yargs, { type Argv } from 'yargs';
import { applyCommand, reconcileCommand } from './commands/apply.js';
import { approveCommand } from './commands/approve.js';
import { auditCommand } from './commands/audit.js';
import { historyCommand } from './commands/history.js';
import { reportCommand } from './commands/report.js';
import { serveCommand } from './commands/serve.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { exportCommand } from './commands/export.js';
import { planCommand } from './commands/plan.js';
import { simulateCommand } from './commands/simulate.js';
import { templateCommand } from './commands/template.js';
import { usersCommand } from './commands/users.js';
import { validateCommand } from './commands/validate.js';
import { programName } from './invocation.js';
import { UsageError, usageProblem } from './usage.js';
import { lpsyncVersion } from './version.js';

const COMMANDS = [
  validateCommand,
  planCommand,
  applyCommand,
  reconcileCommand,
  exportCommand,
  templateCommand,
  simulateCommand,
  demoCommand,
  doctorCommand,
  historyCommand,
  auditCommand,
  reportCommand,
  serveCommand,
  approveCommand,
  usersCommand,
];
const COMMAND_NAMES = COMMANDS.map((c) => String(c.command).split(' ')[0]!);

/** The part of yargs's usage object that keeps a command's help text (not in its typings). */
interface HelpCache {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } };
}

/**
 * yargs lays out a command's whole help (every option's width measured) before running its handler, kept
 * in case a failing handler shows it; .fail() below never shows help. Not laid out: ~30 ms of CPU a run.
 */
function withoutHelpCache(cli: Argv): Argv {
  (cli as unknown as HelpCache).getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
  return cli;
}

/** Builds the CLI for the given arguments; tests call this in-process. `$0` is how it was run (`npx lpsync` or `lpsync`). */
export function buildCli(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const program = programName(env);
  return (
    withoutHelpCache(yargs(argv))
      .scriptName(program)
      .usage('$0 <command> [options]\n\nKeep an AudioCodes Live Platform tenant in line with a spreadsheet.')
      .command(validateCommand)
      .command(planCommand)
      .command(applyCommand)
      .command(reconcileCommand)
      .command(exportCommand)
      .command(templateCommand)
      .command(simulateCommand)
      .command(demoCommand)
      .command(doctorCommand)
      .command(historyCommand)
      .command(auditCommand)
      .command(reportCommand)
      .command(serveCommand)
      .command(approveCommand)
      .command(usersCommand)
      .demandCommand(1, `Name a command: ${program} --help lists them.`)
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
          usageProblem(problem ?? '', {
            ...(command ? { command } : {}),
            options,
            commands: COMMAND_NAMES,
            program,
          }),
        );
      })
      .version(lpsyncVersion())
      .help()
      // Unwrapped, so every example pastes as one line (yargs breaks a long example across two).
      .wrap(null)
  );
}
