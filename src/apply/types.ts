import type { LimitChange } from '../api/concurrency.js';
import type { LivePlatform } from '../api/types.js';
import type { ActionRecord } from '../model/action-record.js';
import type { Interruption, RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import type { AppliedDigest, Plan, PlannedAction } from '../plan/types.js';
import type { ApplySettings } from './settings.js';

/** Why dispatching stopped early: `--max-errors`, Ctrl-C, or a run-ending fault (auth refused, platform unreachable). */
export type StopReason = 'max-errors' | 'interrupted' | 'fatal';

export interface ApplyResult {
  runId: string;
  /** One record per planned action, in plan order. */
  records: ActionRecord[];
  /** Why dispatching stopped early, if it did. */
  stoppedBy: StopReason | null;
  /** The run-ending fault that stopped it (`stoppedBy: 'fatal'`), already redacted. */
  fatal: RunError | null;
  /** The signal that interrupted it (`stoppedBy: 'interrupted'`): its exit code is 130 or 143. */
  interruptedBy?: Interruption | null;
  startedAt: string;
  endedAt: string;
}

/** The part of the state store apply writes to (`StateStore` from src/state fits it). */
export interface ApplyStore {
  putJournal(records: ActionRecord | readonly ActionRecord[]): void;
  /** Runs `writes` in one transaction (one disk sync): journal entries committed in groups. */
  batch?(writes: () => void): void;
  recordApplied(
    runId: string,
    records: Array<AppliedDigest & { customerGuid?: string | null; siteGuid?: string | null }>,
  ): void;
}

/** Progress and log events; the core never prints. */
export type ApplyEvent =
  | { type: 'start'; total: number; toSend: number }
  | { type: 'action-start'; action: PlannedAction }
  | { type: 'action-end'; action: PlannedAction; record: ActionRecord }
  | { type: 'message'; level: 'info' | 'warn' | 'debug'; message: string; actionId?: string }
  /** The client's request budget moved (`--concurrency auto`). */
  | { type: 'concurrency'; change: LimitChange };

export interface ApplyOptions {
  plan: Plan;
  client: LivePlatform;
  store: ApplyStore;
  runId: string;
  /** Normalised by `normaliseApplySettings`. */
  settings: ApplySettings;
  /**
   * Records to carry on from, by action id: the resumed run's own, or what a killed run left in flight.
   * An action whose record is unfinished continues from it (a write in flight is read back first).
   */
  continuing?: ReadonlyMap<string, ActionRecord>;
  /** Abort = stop dispatching; requests already sent finish. */
  signal?: AbortSignal;
  redactor: Redactor;
  onEvent?: (event: ApplyEvent) => void;
  now?: () => Date;
}
