/**
 * The audit trail as src/run's callers see it: the types of what the CLI tells the state store of a run
 * (who runs it and how) and of what `history` reads back. The trail itself is the state store's: a run's
 * entries are appended by the store's own methods (src/state/run-context.ts, src/state/run-store.ts).
 */
export type { FieldChange, RecordedOptions, RunInvocation, RunTrail } from '../state/index.js';
