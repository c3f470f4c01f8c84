import yargs from 'yargs';
import { applyCommand } from './commands/apply.js';
import { auditCommand } from './commands/audit.js';
import { historyCommand } from './commands/history.js';
import { reportCommand } from './commands/report.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { planCommand } from './commands/plan.js';
import { reconcileCommand } from './commands/reconcile.js';
import { simulateCommand } from './commands/simulate.js';
import { templateCommand } from './commands/template.js';
import { validateCommand } from './commands/validate.js';
import { programName, samplePath } from './invocation.js';
import { lpsyncVersion } from './version.js';

/** Builds the CLI for the given arguments; tests call this in-process. `$0` is how it was run (`npx lpsync` or `lpsync`). */
export function buildCli(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  return (
    yargs(argv)
      .scriptName(programName(env))
      .usage('$0 <command> [options]\n\nKeep an AudioCodes Live Platform tenant in line with a spreadsheet.')
      .command(validateCommand)
      .command(planCommand)
      .command(applyCommand)
      .command(reconcileCommand)
      .command(templateCommand)
      .command(simulateCommand)
      .command(demoCommand)
      .command(doctorCommand)
      .command(historyCommand)
      .command(auditCommand)
      .command(reportCommand)
      .demandCommand(1, `Name a command: ${programName(env)} --help lists them.`)
      .strict()
      .version(lpsyncVersion())
      .help()
      // Outside the checkout the examples name the samples by their installed path: left unwrapped so each pastes as one line.
      .wrap(
        samplePath('customers.xlsx', process.cwd()).startsWith('samples/')
          ? Math.min(110, process.stdout.columns || 110)
          : null,
      )
  );
}
