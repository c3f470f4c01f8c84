/** What a command prints and its exit code: the command's work returns it, the handler only writes it out. */
import { exitCodeFor, LpsyncError } from '../model/errors.js';

export interface CommandOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function printOutcome(outcome: CommandOutcome): void {
  if (outcome.stdout) console.log(outcome.stdout);
  if (outcome.stderr) console.error(outcome.stderr);
  process.exitCode = outcome.exitCode;
}

/** A fault's message and, on the next line, its hint (indented by `indent`). */
export function faultText(error: LpsyncError, indent = ''): string {
  return `${error.message}${error.hint ? `\n${indent}${error.hint}` : ''}`;
}

/** A fault that ended the command as its outcome: the message and its hint on stderr. Anything else is rethrown. */
export function faultOutcome(error: unknown, prefix = ''): CommandOutcome {
  if (!(error instanceof LpsyncError)) throw error;
  return { exitCode: exitCodeFor(error.code), stdout: '', stderr: `${prefix}${faultText(error, '  ')}` };
}
