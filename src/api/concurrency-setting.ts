/**
 * `--concurrency auto|N` and `--max-concurrency N`, normalised in one place for the CLI, the config file
 * and the client: a number pins the limit; `auto` starts low and follows the platform, up to the maximum.
 */
import { AUTO_START_CONCURRENCY, DEFAULT_CONCURRENCY, DEFAULT_MAX_CONCURRENCY } from '../model/defaults.js';
import { RunError } from '../model/errors.js';

export type ConcurrencySetting =
  { mode: 'auto'; start: number; max: number } | { mode: 'fixed'; limit: number };

/** As given by a flag, the config file or a caller: absent means the default. */
export interface ConcurrencyInput {
  concurrency?: unknown;
  maxConcurrency?: unknown;
}

const wholeAtLeastOne = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

function invalid(name: string, expected: string, got: unknown): RunError {
  const shown = typeof got === 'string' ? `"${got}"` : String(got);
  return new RunError('invalid-options', `Invalid option ${name}: expected ${expected}, got ${shown}`);
}

/** `auto`, or a whole number ≥ 1 (also as text, as yargs hands a string flag over); RunError otherwise. */
export function normaliseConcurrency(input: ConcurrencyInput = {}): ConcurrencySetting {
  const given = input.concurrency ?? DEFAULT_CONCURRENCY;
  const text = typeof given === 'string' ? given.trim().toLowerCase() : undefined;
  const maxGiven = input.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const max = typeof maxGiven === 'string' && /^\d+$/.test(maxGiven.trim()) ? Number(maxGiven) : maxGiven;
  if (!wholeAtLeastOne(max)) throw invalid('--max-concurrency', 'a whole number of 1 or more', maxGiven);
  if (text === 'auto') return { mode: 'auto', start: Math.min(AUTO_START_CONCURRENCY, max), max };
  const limit = text !== undefined && /^\d+$/.test(text) ? Number(text) : given;
  // A pinned number is what the person asked for: --max-concurrency bounds `auto` only.
  if (wholeAtLeastOne(limit)) return { mode: 'fixed', limit };
  throw invalid('--concurrency', '"auto" or a whole number of 1 or more', given);
}

/** The most requests in flight the setting can ever allow (sockets, write slots, planner reads). */
export function concurrencyCeiling(setting: ConcurrencySetting): number {
  return setting.mode === 'auto' ? setting.max : setting.limit;
}

/** The setting as client options take it. */
export function concurrencyOptions(setting: ConcurrencySetting): {
  concurrency: number | 'auto';
  maxConcurrency?: number;
} {
  return setting.mode === 'auto'
    ? { concurrency: 'auto', maxConcurrency: setting.max }
    : { concurrency: setting.limit };
}
