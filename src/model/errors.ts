/** Faults that end a run. Row-level problems are `InputIssue`s or action results instead. */
export type RunErrorCode =
  | 'invalid-options'
  | 'unreadable-input'
  | 'invalid-input'
  | 'auth-refused'
  | 'unreachable'
  | 'lock-held'
  | 'plan-refused'
  | 'state-store'
  | 'interrupted'
  | 'internal';

/** Exit codes of every command (DESIGN.md "CLI"). */
export const EXIT = {
  ok: 0,
  rowsFailed: 1,
  invalid: 2,
  fatal: 3,
  lockHeld: 4,
  interrupted: 130,
} as const;

export class RunError extends Error {
  readonly code: RunErrorCode;
  readonly hint?: string;

  constructor(code: RunErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunError';
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** The exit code a run-ending fault maps to. */
export function exitCodeFor(code: RunErrorCode): number {
  switch (code) {
    case 'invalid-options':
    case 'unreadable-input':
    case 'invalid-input':
    case 'plan-refused':
      return EXIT.invalid;
    case 'lock-held':
      return EXIT.lockHeld;
    case 'interrupted':
      return EXIT.interrupted;
    default:
      return EXIT.fatal;
  }
}
