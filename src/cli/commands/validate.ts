/** `lpsync validate <file>`: every error and warning of a workbook or CSV files, before anything is sent. */
import type { CommandModule } from 'yargs';
import { EXIT, exitCodeFor, LpsyncError } from '../../model/errors.js';
import { formatIssueTable, wrapText } from '../../model/issue-table.js';
import { safeJson } from '../../model/printable.js';
import { createRedactor } from '../../model/redact.js';
import * as run from '../../run/index.js';
import { inputFrom, withInputOptions } from '../input-options.js';
import { samplePath } from '../invocation.js';
import type { CommandOutcome } from '../outcome.js';
import { printOutcome } from '../outcome.js';

export interface ValidateArgs {
  file?: string | undefined;
  customers?: string | undefined;
  sites?: string | undefined;
  format: 'table' | 'json';
  /** Terminal width for the table; undefined prints the one-line-per-issue table whatever its width, nothing cut. */
  width?: number | undefined;
}

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
  handler: async (argv) => {
    // Into a file, a pipe or a ticket nothing is cut or wrapped (unless --width says so).
    const width = argv.width ?? (process.stdout.isTTY ? process.stdout.columns || undefined : undefined);
    printOutcome(await runValidate({ ...argv, ...(width === undefined ? {} : { width }) }));
  },
};

/** Reads and validates the input, and renders the issues in the chosen format. */
export async function runValidate(args: ValidateArgs): Promise<CommandOutcome> {
  try {
    const redactor = createRedactor();
    const { loaded, document, notes } = await run.validate({ source: inputFrom(args, 'validate'), redactor });
    const read = [
      `Read ${loaded.files.join(', ')}: ${loaded.rows.customers.length} valid customer row(s), ${loaded.rows.sites.length} valid SIP connection row(s).`,
      ...notes,
    ]
      .flatMap((line) => (args.width === undefined ? [line] : wrapText(line, args.width)))
      .join('\n');
    const stdout =
      args.format === 'json'
        ? safeJson(redactor.value(document), 2)
        : redactor.text(
            `${formatIssueTable(loaded.issues, args.width === undefined ? {} : { width: args.width })}\n${read}`,
          );
    return { exitCode: document.ok ? EXIT.ok : EXIT.invalid, stdout, stderr: '' };
  } catch (error) {
    if (!(error instanceof LpsyncError)) throw error;
    return faultOf(error, args.format);
  }
}

/** An input that cannot be read: in JSON a document with the fault, in a table the message and its hint. */
function faultOf(error: LpsyncError, format: ValidateArgs['format']): CommandOutcome {
  const exitCode = exitCodeFor(error.code);
  if (format === 'json') {
    const document = {
      ok: false,
      errors: 1,
      warnings: 0,
      issues: [],
      fault: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    };
    return { exitCode, stdout: safeJson(document, 2), stderr: '' };
  }
  return {
    exitCode,
    stdout: '',
    stderr: `lpsync validate: ${error.message}${error.hint ? `\n${error.hint}` : ''}`,
  };
}
