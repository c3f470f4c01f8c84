/**
 * What lpsync says about a command line it cannot take (an unknown command or option, a bad
 * choice): the problem, a "did you mean" for a typo, and where the help is, in a few lines
 * instead of the whole help text. Exit code 2, like any invalid option (1 means rows failed).
 */
import { closest } from '../model/edit-distance.js';
import { LpsyncError } from '../model/errors.js';

/** A command line lpsync cannot take; main.ts prints its message and exits 2. */
export class UsageError extends LpsyncError {
  declare readonly code: 'usage';

  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

export interface UsageContext {
  /** The command given, when one was recognised. */
  command?: string;
  /** Its options (long names, without dashes) and the commands lpsync has. */
  options: readonly string[];
  commands: readonly string[];
  /** How the person ran lpsync (`npx lpsync` in the checkout), for the commands in the answer; default `lpsync`. */
  program?: string;
}

const UNKNOWN = /^Unknown arguments?: (.+)$/;

/** The message for yargs's complaint `problem` (e.g. "Unknown argument: dryrun"). */
export function usageProblem(problem: string, context: UsageContext): string {
  const program = context.program ?? 'lpsync';
  const who = context.command ? `${program} ${context.command}` : program;
  const help = context.command
    ? `Options of ${who}: ${who} --help`
    : `Commands: ${program} --help; options of a command: ${program} <command> --help`;
  const unknown = UNKNOWN.exec(problem.trim());
  if (!unknown) return `${who}: ${problem.trim()}\n${help}`;
  const names = unknown[1]!.split(', ');
  // Without a command the first word is the mistyped command; what follows is its arguments.
  const lines = (context.command ? names : names.slice(0, 1)).map((name) => {
    if (!context.command) {
      const near = closest(name, context.commands);
      return `${who}: unknown command "${name}"${near ? `. Did you mean ${near}?` : ''}`;
    }
    const near = closest(name, context.options);
    const shown = name.length === 1 ? `-${name}` : `--${name}`;
    return `${who}: unknown option ${shown}${near ? `. Did you mean --${near}?` : ''}`;
  });
  return `${lines.join('\n')}\n${help}`;
}
