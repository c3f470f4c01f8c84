/**
 * lpsync's one error type: `LpsyncError`, with a code from one closed union, a message for a person,
 * and a hint on what to do. Thrown only for faults that end a run or a request; a problem that belongs
 * to a row is an `InputIssue` or an action record (each with its row) instead, never an error. The subclasses
 * (`RunError`, `ApiError` in src/api, `SimulatorOptionsError`, `UsageError`) only narrow the code and
 * carry their details; every catch can rely on `code` and `exitCodeFor`.
 */
import type { SettingName } from './settings.js';

/** Faults that end a run. */
export type RunErrorCode =
  | 'invalid-options'
  | 'unreadable-input'
  | 'invalid-input'
  | 'auth-refused'
  | 'unreachable'
  | 'lock-held'
  /** The writer lock was taken over while the run was stopped: it sends nothing more (exit 3). */
  | 'lock-lost'
  | 'plan-refused'
  /** A users file that cannot be used: unreadable, not lpsync's, or readable by others than its owner. */
  | 'users-file'
  /** An account refused: a name or password wrong, an account or address locked out, a role not allowed. */
  | 'not-permitted'
  | 'state-store'
  | 'interrupted'
  | 'internal';

/** The closed set of ways a Live Platform call can go wrong (`ApiError`). */
export type ApiErrorCode =
  /** The platform answered with an HTTP error status. */
  | 'http'
  /** No answer within the per-request timeout. */
  | 'timeout'
  /** The connection could not be made or broke. */
  | 'network'
  /** A write was sent, then the connection or the timer gave out: it may or may not have happened. */
  | 'unknown-outcome'
  /** The platform or the token endpoint refused the credentials. */
  | 'auth-refused'
  /** The platform answered 2xx with something that does not fit the documented shape. */
  | 'bad-response'
  /** An asynchronous task ended in a failed state. */
  | 'task-failed'
  /** An asynchronous task did not finish in time. */
  | 'task-timeout';

/** Every code an lpsync error can carry: a command line it cannot take, a simulator option, a run fault, a call. */
export type ErrorCode = RunErrorCode | ApiErrorCode | 'usage' | 'simulator-options';

export interface ErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  /** The settings the hint asks the person to check, as data: the face names each as it was set. */
  settings?: readonly SettingName[] | undefined;
}

export class LpsyncError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly settings?: readonly SettingName[];

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LpsyncError';
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.settings !== undefined && options.settings.length > 0) this.settings = options.settings;
  }
}

/** A fault that ends a run. */
export class RunError extends LpsyncError {
  declare readonly code: RunErrorCode;

  constructor(code: RunErrorCode, message: string, options: ErrorOptions = {}) {
    super(code, message, options);
    this.name = 'RunError';
  }
}

/** Exit codes of every command (the README lists them under each command's help). */
export const EXIT = {
  ok: 0,
  rowsFailed: 1,
  invalid: 2,
  fatal: 3,
  lockHeld: 4,
  /** Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  interrupted: 130,
  /** SIGTERM (a service manager, `kill`): 128 + 15. */
  terminated: 143,
} as const;

/** The signals that interrupt a run, as the CLI hands them to it (the abort reason of its stop signal). */
export type Interruption = 'SIGINT' | 'SIGTERM';

/** The exit code of a run interrupted by `by`: 130 for Ctrl-C, 143 for SIGTERM. */
export function interruptedExitCode(by: Interruption | null | undefined): number {
  return by === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** The interruption an abort signal carries, when it was stopped by one (its `reason`). */
export function interruptionOf(signal: AbortSignal | undefined): Interruption | null {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  return reason === 'SIGINT' || reason === 'SIGTERM' ? reason : null;
}

/** The exit code a fault maps to: 2 for what the person can fix before anything is sent. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'invalid-options':
    case 'unreadable-input':
    case 'invalid-input':
    case 'plan-refused':
    case 'users-file':
    case 'not-permitted':
    case 'usage':
    case 'simulator-options':
      return EXIT.invalid;
    case 'lock-held':
      return EXIT.lockHeld;
    case 'interrupted':
      return EXIT.interrupted;
    default:
      return EXIT.fatal;
  }
}
