/** `LPSYNC_LOCK_LEASE`: the writer lock's lease in seconds, read once for the commands that write. */
import { RunError } from '../model/errors.js';

const MIN_SECONDS = 1;
const MAX_SECONDS = 3600;

/**
 * How long the lease lasts without a renewal, in ms; undefined for the default (120 s). A shorter lease
 * lets another host take over sooner from a run that was stopped; the run renews it every twelfth.
 */
export function lockLeaseMs(env: NodeJS.ProcessEnv): number | undefined {
  const given = env.LPSYNC_LOCK_LEASE?.trim();
  if (given === undefined || given === '') return undefined;
  const seconds = Number(given);
  if (!(Number.isFinite(seconds) && seconds >= MIN_SECONDS && seconds <= MAX_SECONDS))
    throw new RunError(
      'invalid-options',
      `Invalid LPSYNC_LOCK_LEASE: expected seconds from ${MIN_SECONDS} to ${MAX_SECONDS}, got "${given}"`,
    );
  return Math.round(seconds * 1000);
}
