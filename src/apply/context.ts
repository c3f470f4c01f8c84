import type { LivePlatform, WriteResult } from '../api/types.js';
import type { ActionRecord } from '../model/action-record.js';
import type { AppliedDigest } from '../plan/types.js';
import type { ReadBack } from './read-back.js';
import type { ApplySettings } from './settings.js';
import type { ApplyEvent, StopReason } from './types.js';

/** What a transition may use; the scheduler makes one per run. */
export interface TransitionContext {
  client: LivePlatform;
  readBack: ReadBack;
  settings: ApplySettings;
  signal: AbortSignal | undefined;
  /** A request slot (the concurrency limit); waiting on a task holds none. */
  slot<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Queued for this turn's group commit (redacted on the way to disk): durable before any request that
   * leaves after it (src/apply/group-commit.ts).
   */
  journal(record: ActionRecord): void;
  /** The same, awaited: durable when it resolves (before a request leaves, before a long wait). */
  journalDurable(record: ActionRecord): Promise<void>;
  /** Digests of the fields that cannot be read back, stored when the request that sent them succeeded. */
  recordApplied(
    digests: readonly AppliedDigest[],
    customerGuid: string | null,
    siteGuid: string | null,
  ): void;
  /** Why dispatching has stopped, if it has: honoured before an action's first request. */
  stopReason(): StopReason | null;
  /**
   * True once not even a started action may send its next request: the writer lock was lost, or the
   * journal cannot be written (a request may only leave once its `in-flight` entry is on disk).
   */
  writesForbidden(): boolean;
  /** Counts a failed action once (a refused first send counts at once, so --max-errors stops the next dispatch). */
  countFailure(actionId: string): void;
  emit(event: ApplyEvent): void;
  now(): Date;
}

/**
 * Sends the requests of one action: the first one honours a stop and marks the action started;
 * each one is journaled `in-flight` before it leaves.
 */
export interface Sender {
  send<T>(write: () => Promise<WriteResult<T>>): Promise<WriteResult<T> | 'stopped'>;
  /** Whether this process sent anything for the action. */
  readonly sent: boolean;
}

export function createSender(record: ActionRecord, onFirst: () => void, ctx: TransitionContext): Sender {
  let sent = false;
  return {
    get sent() {
      return sent;
    },
    send: <T>(write: () => Promise<WriteResult<T>>) =>
      ctx.slot(async (): Promise<WriteResult<T> | 'stopped'> => {
        const first = !sent;
        if (first ? ctx.stopReason() !== null : ctx.writesForbidden()) return 'stopped';
        if (first) onFirst();
        const before = record.status;
        record.status = 'in-flight';
        try {
          await ctx.journalDurable(record);
        } catch (error) {
          // Not on disk, so not sent: the record stands as it did.
          record.status = before;
          throw error;
        }
        sent = true;
        const result = await write();
        record.attempts += result.attempts;
        if (first && result.kind === 'failed') ctx.countFailure(record.actionId);
        return result;
      }),
  };
}
