import { wasSent, type ActionRecord } from '../model/action-record.js';
import type { Sender, TransitionContext } from './context.js';
import { lookFor } from './read-back.js';
import type { WriteResult } from '../api/types.js';
import { LpsyncError } from '../model/errors.js';

/** A write settled: answered, found by reading back after a lost answer, refused, still unknown, or never sent. */
export type Settled<T, F> =
  | { kind: 'ok'; value: T }
  | { kind: 'found'; found: F }
  | { kind: 'failed'; error: Error }
  | { kind: 'unknown'; error: Error }
  | { kind: 'stopped' };

/** How to find a write's effect on the platform, and for how long to look. */
export interface Look<F> {
  find: () => Promise<F | null>;
  waitMs: number;
}

/**
 * Sends a write whose answer may be lost, and settles it. A lost answer — in this run, or left `in-flight`
 * by a killed one — is read back: found means done; not found (looked for long enough) means it is sent
 * once more, and `sentTwice` says so. A write without a `look` (a Modify: the same values again change
 * nothing) is repeated by the client within its retry budget instead. Never sends a create blindly twice.
 */
export async function settleWrite<T, F>(
  record: ActionRecord,
  sender: Sender,
  ctx: TransitionContext,
  write: () => Promise<WriteResult<T>>,
  look?: Look<F>,
): Promise<Settled<T, F>> {
  if (look && wasSent(record.status)) {
    record.messages.push('sent by an interrupted run: reading back');
    const seen = await lookAgain(record, ctx, look);
    if (seen) return seen;
  }
  const first = await sender.send(write);
  if (first === 'stopped') return { kind: 'stopped' };
  if (first.kind === 'ok') return first;
  if (first.kind === 'failed') return { kind: 'failed', error: first.error };
  if (!look) {
    record.messages.push(`the answer was lost every time it was sent (${first.error.message})`);
    return { kind: 'unknown', error: first.error };
  }
  record.messages.push(`the answer was lost (${first.error.message}): reading back`);
  record.status = 'unknown';
  ctx.journal(record);
  const seen = await lookAgain(record, ctx, look);
  if (seen) return seen.kind === 'unknown' ? { kind: 'unknown', error: first.error } : seen;
  const second = await sender.send(write);
  if (second === 'stopped') return { kind: 'unknown', error: first.error };
  if (second.kind === 'ok') return second;
  // A refusal now may be the first attempt's commit showing up (a duplicate name): look once more.
  const found = await look.find();
  if (found !== null) return { kind: 'found', found };
  return second.kind === 'failed'
    ? { kind: 'failed', error: second.error }
    : { kind: 'unknown', error: second.error };
}

/**
 * Looks for the write's effect: found, or not there (then the caller sends it again, marked as sent twice),
 * or — stopped while looking — still unknown.
 */
async function lookAgain<T, F>(
  record: ActionRecord,
  ctx: TransitionContext,
  look: Look<F>,
): Promise<Extract<Settled<T, F>, { kind: 'found' | 'unknown' }> | null> {
  const found = await lookFor(look.find, look.waitMs, ctx.settings.readBackIntervalMs, ctx.signal);
  if (found !== null) return { kind: 'found', found };
  if (ctx.signal?.aborted)
    return {
      kind: 'unknown',
      error: new LpsyncError('interrupted', 'stopped while reading back; not known whether it was applied'),
    };
  record.sentTwice = true;
  record.messages.push('not found on the platform: sent once more');
  return null;
}

/**
 * A settled write that did not succeed, applied to the record: `not-run` (stopped before sending),
 * `failed` or `unknown`. Returns true when the transition has nothing more to do.
 */
export function settledBadly(
  record: ActionRecord,
  s: Settled<unknown, unknown>,
  ctx: TransitionContext,
): boolean {
  if (s.kind === 'stopped') {
    record.status = 'not-run';
    const why = ctx.stopReason();
    record.messages.push(
      why === 'max-errors'
        ? 'not sent: too many errors'
        : why === 'fatal'
          ? 'not sent: the run stopped'
          : 'not sent: interrupted',
    );
    return true;
  }
  if (s.kind === 'failed' || s.kind === 'unknown') {
    record.status = s.kind;
    record.error = s.error.message;
    return true;
  }
  return false;
}
