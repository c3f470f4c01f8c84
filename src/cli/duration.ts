/** A duration as a person types it on the command line: `45s`, `30m`, `8h`, `1d`. */
import { RunError } from '../model/errors.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The duration in ms; a clear error naming the option otherwise (a number needs its unit). */
export function parseDuration(option: string, value: unknown): number {
  const text = String(value);
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text);
  const ms = m ? Math.round(Number(m[1]) * UNITS[m[2]!]!) : NaN;
  if (!m || !(ms >= 1000))
    throw new RunError(
      'invalid-options',
      `Invalid ${option} ${text}: expected a duration of at least a second, as 45s, 30m, 8h or 1d.`,
    );
  return ms;
}
