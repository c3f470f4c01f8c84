/**
 * Where the layers below the CLI write their log lines: four levels, a message and its fields. The CLI
 * hands in its run logger (src/cli/logging.ts); a library caller or a test hands in any object
 * with these four methods, or `silentLog`.
 */
export type LogFields = Record<string, unknown>;

export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** False when debug lines are dropped: a caller then builds none (one a request costs CPU otherwise). */
  isDebugEnabled?(): boolean;
}

const ignore = (): void => undefined;

/** A log that drops every line: for callers that do not look at logs. */
export const silentLog: Log = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  isDebugEnabled: () => false,
};
