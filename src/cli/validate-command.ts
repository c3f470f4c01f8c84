import { invocation } from './invocation.js';
import { inputSourceFrom, loadWorkbook } from '../input/index.js';
import { EXIT, RunError, exitCodeFor } from '../model/errors.js';
import { formatIssueTable, issuesDocument, wrapText } from '../model/issue-table.js';
import { safeJson } from '../model/printable.js';
import { createRedactor } from '../model/redact.js';

export interface ValidateArgs {
  file?: string | undefined;
  customers?: string | undefined;
  sites?: string | undefined;
  format: 'table' | 'json';
  /** Terminal width for the table; undefined prints the one-line-per-issue table whatever its width, nothing cut. */
  width?: number | undefined;
}

/**
 * The width the output must fit: the terminal's. Into a file, a pipe or a ticket nothing is cut or
 * wrapped (unless --width says so): the advice at the end of a long message is what matters.
 */
function terminalWidth(): number | undefined {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : undefined;
}

/** What `lpsync validate` prints and its exit code; the handler only writes it out. */
export interface ValidateOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Reads and validates the input, and renders the issues in the chosen format. */
export async function runValidate(args: ValidateArgs): Promise<ValidateOutcome> {
  try {
    const loaded = await loadWorkbook(
      inputSourceFrom(args, 'validate', invocation(process.env, process.cwd())),
    );
    const redactor = createRedactor(loaded.secrets);
    const document = issuesDocument(loaded.issues);
    const read = `Read ${loaded.files.join(', ')}: ${loaded.rows.customers.length} valid customer row(s), ${loaded.rows.sites.length} valid SIP connection row(s).`;
    const stdout =
      args.format === 'json'
        ? safeJson(redactor.value(document), 2)
        : redactor.text(
            `${formatIssueTable(loaded.issues, args.width === undefined ? {} : { width: args.width })}\n${args.width === undefined ? read : wrapText(read, args.width).join('\n')}`,
          );
    return { exitCode: document.ok ? EXIT.ok : EXIT.invalid, stdout, stderr: '' };
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    const exitCode = exitCodeFor(error.code);
    if (args.format === 'json') {
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
}

/** `lpsync validate`, loaded only when the command runs. */
export async function handleValidate(argv: ValidateArgs): Promise<void> {
  const width = argv.width ?? terminalWidth();
  const outcome = await runValidate({ ...argv, ...(width === undefined ? {} : { width }) });
  if (outcome.stdout) console.log(outcome.stdout);
  if (outcome.stderr) console.error(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
