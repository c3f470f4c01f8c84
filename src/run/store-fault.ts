/**
 * The state store that cannot be written (the disk full, SQLITE_FULL, the file gone): the run stops
 * sending, and says what the platform got and confirmed, where the journal stands, and the exact command
 * that finishes the run once there is space. Nothing is sent twice then: every request left only once its
 * `in-flight` entry was on disk, and the resume reads those back before sending anything.
 */
import type { ActionRecord, RecordStatus } from '../model/action-record.js';
import { RunError } from '../model/errors.js';

const WRITES = new Set(['create-customer', 'create-oc-service', 'add-site', 'modify-site']);

/** A store error's own words, without lpsync's prefix: "database or disk is full". */
function causeText(error: unknown): string {
  const cause = error instanceof RunError && error.cause !== undefined ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Whether an error is the state store failing to write (a run-ending fault of its own). */
export function isStoreFault(error: unknown): boolean {
  if (error instanceof RunError) return error.code === 'state-store';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** Before anything was sent: nothing to read back, the same command again once there is space. */
export function storeFaultBeforeSending(statePath: string, error: unknown, again: string): RunError {
  return new RunError(
    'state-store',
    `The state store ${statePath} could not be written (${causeText(error)}): nothing was sent.`,
    { hint: `Free space on its disk (or choose another --state), then run it again: ${again}`, cause: error },
  );
}

function count(records: readonly ActionRecord[], statuses: readonly RecordStatus[]): number {
  return records.filter((r) => WRITES.has(r.kind) && statuses.includes(r.status)).length;
}

/** A create or add that landed, whose follow-up (the fields it could not carry) did not: failed, with its GUID. */
export function landedWithoutFollowUp(r: ActionRecord): boolean {
  if (r.status !== 'failed' || r.kind === 'modify-site' || !WRITES.has(r.kind)) return false;
  return (r.kind === 'add-site' ? r.siteGuid : r.customerGuid) !== null;
}

/**
 * Once writes were sent: how many, how many the platform confirmed, refused or left unanswered, how many
 * were not sent; what the journal holds of them; and the command that finishes the run.
 */
export function storeFaultAfterSending(
  statePath: string,
  error: unknown,
  run: { records: readonly ActionRecord[]; journal: readonly ActionRecord[] | null; resumeCommand: string },
): RunError {
  const { records, journal } = run;
  const incomplete = records.filter(landedWithoutFollowUp).length;
  const confirmed = count(records, ['succeeded']) + incomplete;
  const refused = count(records, ['failed']) - incomplete;
  const unanswered = count(records, ['unknown', 'in-flight']);
  const notSent = count(records, ['pending', 'not-run']);
  const sent = confirmed + refused + unanswered;
  const lines = [
    `The state store ${statePath} could not be written (${causeText(error)}): lpsync stopped sending.`,
    `Sent: ${sent} change(s) — ${confirmed} confirmed by the Live Platform${incomplete > 0 ? ` (${incomplete} without the fields a follow-up sets)` : ''}, ${refused} refused, ${unanswered} without an answer; ${notSent} not sent.`,
    journal === null
      ? 'Journal: it could not be read back.'
      : `Journal: ${count(journal, ['succeeded', 'failed'])} recorded as done, ${count(journal, ['in-flight', 'unknown'])} as in flight (every change sent was recorded so before it left; the resume reads these back and never sends them blindly again), ${count(journal, ['pending', 'not-run'])} as not sent yet.`,
  ];
  return new RunError('state-store', lines.join('\n'), {
    hint: `Free space on the disk of ${statePath}, then finish the run: ${run.resumeCommand}`,
    cause: error,
  });
}
