/** Apply's settings, normalised in one place: every default is here and nowhere downstream. */
import { concurrencyCeiling, normaliseConcurrency } from '../api/concurrency-setting.js';
import { RunError } from '../model/errors.js';

export interface ApplySettings {
  /** Most writes in flight; fewer while the client's request budget is lower (the slots follow it). Waiting on an OC task holds none. */
  concurrency: number;
  /** Stop dispatching after this many failed or unknown actions. */
  maxErrors: number | undefined;
  /** How long to keep looking for a write whose answer was lost before sending it again. */
  readBackWaitMs: number;
  /** Pause between two looks. */
  readBackIntervalMs: number;
  /** Overall limit on waiting for one OC task. */
  taskTimeoutMs: number;
}

export const APPLY_DEFAULTS: Omit<ApplySettings, 'maxErrors'> = {
  concurrency: concurrencyCeiling(normaliseConcurrency()),
  readBackWaitMs: 5_000,
  readBackIntervalMs: 500,
  taskTimeoutMs: 15 * 60_000,
};

function invalid(name: string, expected: string, got: unknown): RunError {
  return new RunError('invalid-options', `Invalid option ${name}: expected ${expected}, got ${String(got)}`);
}

/** Defaults for what is absent, a precise error for what makes no sense (named as apply's own options: the CLI checks its flags). */
export function normaliseApplySettings(
  input: { [K in keyof ApplySettings]?: ApplySettings[K] | undefined } = {},
): ApplySettings {
  const s = { ...APPLY_DEFAULTS, maxErrors: undefined, ...stripUndefined(input) };
  if (!Number.isInteger(s.concurrency) || s.concurrency < 1)
    throw invalid('concurrency', 'a whole number of 1 or more', s.concurrency);
  if (s.maxErrors !== undefined && !(Number.isInteger(s.maxErrors) && s.maxErrors >= 1))
    throw invalid('maxErrors', 'a whole number of 1 or more', s.maxErrors);
  for (const key of ['readBackWaitMs', 'readBackIntervalMs', 'taskTimeoutMs'] as const)
    if (!(Number.isFinite(s[key]) && s[key] >= 0)) throw invalid(key, 'a number of milliseconds', s[key]);
  return s;
}

/** `{ concurrency: undefined }` from a flag not given means "not set": the default stays. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
