/** The state store: runs, the action journal, what was last applied, and the writer lock. */
export { openStateStore, DEFAULT_STATE_PATH, SCHEMA_VERSION, type StateStore } from './store.js';
export type { RunRecord } from './types.js';
export type { FieldChange } from './planned-changes.js';
export type { RecordedOptions, RunBegun, RunContext, RunInvocation, RunTrail } from './run-context.js';
export {
  LOCK_HEARTBEAT_MS,
  LOCK_LEASE_MS,
  LOCK_STALE_MS,
  type HeldLock,
  type LockAttempt,
  type LockClaim,
  type LockHolder,
} from './lock.js';
export type { ApprovalRecord, PlanRecord } from './approvals.js';
