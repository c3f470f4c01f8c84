import type { CommandModule } from 'yargs';
import type { ValidateArgs } from '../validate-command.js';
import { withInputOptions } from '../input-options.js';
import { samplePath } from '../invocation.js';

/** `lpsync validate <file>`: every error and warning of a workbook or CSV files, before anything is sent. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [file]',
  describe: 'Check a workbook (or CSV files) and list every error and warning',
  builder: (yargs) =>
    withInputOptions(yargs)
      .option('width', {
        type: 'number',
        describe:
          'Fit the output into this many columns (default: the terminal width; into a file or a pipe, nothing is cut)',
      })
      .option('format', {
        choices: ['table', 'json'] as const,
        default: 'table' as const,
        describe: 'Output format',
      })
      .example(`$0 validate ${samplePath('customers.xlsx', process.cwd())}`, 'check the sample workbook')
      .example(
        `$0 validate ${samplePath('invalid.xlsx', process.cwd())} --format json`,
        'every issue as JSON',
      )
      .example(
        `$0 validate --customers ${samplePath('customers.csv', process.cwd())} --sites ${samplePath('sip-connections.csv', process.cwd())}`,
        '',
      )
      .epilog('Exit codes: 0 no errors (warnings allowed); 2 errors, or the input cannot be read.'),
  handler: async (argv) => (await import('../validate-command.js')).handleValidate(argv),
};
