import type { ConcurrencyReport } from '../api/concurrency.js';
import type { ApplyResult } from '../apply/types.js';
import type { RecordStatus } from '../model/action-record.js';
import type { InputIssue } from '../model/issues.js';
import type { Redactor } from '../model/redact.js';
import type { Origin } from '../model/types.js';
import type { ActionKind, DriftItem } from '../plan/types.js';
import type { RunTrail } from '../state/index.js';

/** Raw input rows as they were read (the shape `loadWorkbook` hands back in `sheets`). */
export interface ReportSheet {
  file: string;
  sheet: string;
  headers: string[];
  rows: Array<{ origin: Origin; values: Record<string, string> }>;
}

export type RowStatus = RecordStatus | 'invalid';

/** The result columns of one input row. */
export interface RowResult {
  action: ActionKind | '';
  status: RowStatus;
  customerGuid: string | null;
  siteGuid: string | null;
  deploymentState: string | null;
  messages: string[];
  error: string | null;
  attempts: number;
  durationMs: number;
}

export interface RunSummary {
  /** The process exit code this run ends with (0 ok, 1 rows failed, 3 fatal, 130 interrupted); always set by `buildSummary`. */
  exitCode?: number;
  runId: string;
  command: string;
  /** Whether anything was sent (false for --dry-run). */
  dryRun: boolean;
  startedAt: string;
  endedAt: string;
  lpsyncVersion: string;
  baseUrl: string;
  inputFiles: Array<{ file: string; sha256: string }>;
  rows: number;
  /** Rows per status, `invalid` included. */
  byStatus: Record<string, number>;
  /** Actions per kind. */
  byAction: Record<string, number>;
  /** Actions per kind and status, for the "7 created, 8 added" line. */
  byActionStatus: Record<string, Record<string, number>>;
  drift: number;
  stoppedBy: ApplyResult['stoppedBy'];
  /** The run-ending fault, when `stoppedBy` is `fatal`. */
  fatalError: string | null;
  /** What the change was allowed to touch (`--mode`, `--only`, `--limit`). */
  scope: { mode: string; only: string[]; limit: number | null };
  /**
   * The saved plan applied (`apply --plan`): its file and SHA-256, so the approved change ties to this run;
   * who made it and who approved it, as the state store recorded them.
   */
  plan: {
    file: string;
    sha256: string;
    /** Null: the store has no author for it (made with another state store, or before lpsync kept them). */
    planned?: Signature | null;
    approvals?: Signature[];
  } | null;
  /** Requests, throttled answers, the limit and the achieved rate (the client's request budget). */
  concurrency?: ConcurrencyReport | null;
  /** The run id to pass to `--resume` when the run did not finish. */
  resumeCommand: string | null;
  reportPath: string | null;
  /**
   * The before-image beside the report (`<report>.before.xlsx`): what the run's modifies changed, as read
   * back before; applying it backs the change out. Absent when the run modified nothing.
   */
  beforeImage?: string;
  /** Who ran it, how, each resume, and the audit chain's head (absent outside a recorded run). */
  audit?: RunAuditSummary;
}

/** Who made or approved a plan, and when: a user (an OS user, or an lpsync account with its role). */
export interface Signature {
  by: string;
  role: string | null;
  host: string;
  at: string;
}

/** What the audit trail says of a run, for the Summary sheet and the JSON summary (the state store tells it). */
export type RunAuditSummary = RunTrail;

export interface ResultsWorkbookInput {
  sheets: ReportSheet[];
  /** Keyed by `originKey(origin)`. */
  results: Map<string, RowResult>;
  summary: RunSummary;
  drift: DriftItem[];
  issues: InputIssue[];
  redactor: Redactor;
}

/** The key of an input row across files and sheets. */
export function originKey(origin: Origin): string {
  return `${origin.file}\u0000${origin.sheet}\u0000${origin.row}`;
}
