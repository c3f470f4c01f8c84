/** Defaults shared by more than one boundary (the CLI's help, the client, apply): defined once. */

/** Requests in flight. */
export const DEFAULT_CONCURRENCY = 4;
/** Per request, milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Attempts of a request that is safe to repeat (retries + 1). */
export const DEFAULT_MAX_ATTEMPTS = 5;
