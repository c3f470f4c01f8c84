/** Defaults shared by more than one boundary (the CLI's help, the client, apply): defined once. */

/** Requests in flight: `auto` finds the platform's pace, a number pins it (auto beat every fixed setting in `npm run bench`). */
export const DEFAULT_CONCURRENCY: number | 'auto' = 'auto';
/** Where `auto` starts. */
export const AUTO_START_CONCURRENCY = 4;
/** The most requests in flight `auto` ever allows (`--max-concurrency`). */
export const DEFAULT_MAX_CONCURRENCY = 32;
/** Per request, milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * The most of a response body lpsync reads, in MiB (`--max-response-mb`): the largest listing seen is a few
 * MiB; an answer that never ends is cut here instead of being buffered until memory runs out.
 */
export const DEFAULT_MAX_RESPONSE_MB = 16;
/** Attempts of a request that is safe to repeat (retries + 1). */
export const DEFAULT_MAX_ATTEMPTS = 5;
