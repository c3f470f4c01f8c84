/**
 * What a run's audit entries need that the store does not know — who runs it and how, the options that
 * shaped it, its input files, the redactor that masks them — given to the store once, when the run is
 * created or resumed, and kept for that run id; and the entries the store writes from it: a run's start,
 * each resume, how the writes it read back ended, the Summary sheet's account of the run.
 */
import { wasSent, type ActionRecord } from '../model/action-record.js';
import type { Redactor } from '../model/redact.js';
import type { Role } from '../model/roles.js';
import { shellQuote } from '../model/shell-quote.js';
import type { PlannedAction } from '../plan/types.js';
import type { AuditContent, ChainHead } from './audit.js';

/** Who runs lpsync and how, as the CLI sees it (the orchestrators never read the process). */
export interface RunInvocation {
  /** The OS user name, or the lpsync account the person logged in to (the console, `--as`). */
  user: string;
  /** The account's role when `user` is an lpsync account; absent for an OS user. */
  role?: Role;
  /** The OS user lpsync runs as, when `user` is an lpsync account. */
  osUser?: string;
  host: string;
  pid: number;
  /** The command as typed, program first (`lpsync apply book.xlsx --state s.db`). */
  commandLine: readonly string[];
}

/** The options that shaped a run, as recorded. */
export interface RecordedOptions {
  mode: string;
  only: string[];
  limit: number | null;
  skipInvalid: boolean;
  adopt: boolean;
  /** `auto` (the limit follows the platform), or the pinned number. */
  concurrency: number | 'auto';
  maxErrors: number | null;
  /** The saved plan applied (`--plan`), by file; its SHA-256 is the run's own. */
  planFile: string | null;
  /** `--require-approval`: the plan was applied only once a user other than its author approved it. */
  requireApproval?: boolean;
}

/** Given once per run (`createRun`, `resumeRun`): what its entries say beside what the store records. */
export interface RunContext {
  invocation: RunInvocation | undefined;
  redactor: Redactor;
  lpsyncVersion: string;
  options: RecordedOptions;
  inputFiles: ReadonlyArray<{ file: string; sha256: string }>;
}

/** A run as it begins (or resumes): its context, the records it carries on, and the actions planned. */
export interface RunBegun {
  context: RunContext;
  /** A resumed run's own records, or the writes a killed run left in flight; by action id. */
  continuing: ReadonlyMap<string, ActionRecord>;
  /** Each write among them is a `change` entry: what it was planned to change. */
  planned: readonly PlannedAction[];
}

/** What the store keeps of a run begun through it. */
export interface KeptRun {
  context: RunContext;
  continuing: ReadonlyMap<string, ActionRecord>;
}

/** The run as begun through this store; a run never begun here has no context to tell its entries from. */
export function keptRun(kept: ReadonlyMap<string, KeptRun>, runId: string): KeptRun {
  const run = kept.get(runId);
  if (!run) throw new Error(`Run ${runId} was not created or resumed through this state store.`);
  return run;
}

/** What the audit trail says of a run, for the Summary sheet and the JSON summary. */
export interface RunTrail {
  /** `user@host`. */
  ranBy: string;
  /** As typed, secrets masked. */
  commandLine: string;
  options: { skipInvalid: boolean; adopt: boolean; concurrency: number | 'auto'; maxErrors: number | null };
  /** The run's start and each resume of it, oldest first. */
  sessions: Array<{ kind: 'started' | 'resumed'; at: string; by: string; commandLine: string }>;
  /** The audit chain's last entry when the report was written: keep its hash to check the store later. */
  chainHead: ChainHead | null;
}

const UNKNOWN = 'unknown';

/** `alice@build-01`. */
function whoRan(invocation: RunInvocation | undefined): string {
  if (!invocation) return UNKNOWN;
  // An lpsync account says its role, as "Planned by" and "Approved by" do.
  return `${invocation.user}@${invocation.host}${invocation.role ? ` (${invocation.role})` : ''}`;
}

/** The command as it was typed, quoted as a shell reads it back, secrets masked. */
function commandLineOf(invocation: RunInvocation | undefined, redactor: Redactor): string {
  return invocation ? redactor.text(invocation.commandLine.map(shellQuote).join(' ')) : UNKNOWN;
}

/** What a run's start (and each resume) records beside the run row. */
function sessionDetails(ctx: RunContext): Record<string, unknown> {
  return {
    lpsyncVersion: ctx.lpsyncVersion,
    user: ctx.invocation?.user ?? UNKNOWN,
    ...(ctx.invocation?.role ? { role: ctx.invocation.role, osUser: ctx.invocation.osUser ?? null } : {}),
    host: ctx.invocation?.host ?? UNKNOWN,
    pid: ctx.invocation?.pid ?? null,
    commandLine: commandLineOf(ctx.invocation, ctx.redactor),
    inputFiles: ctx.inputFiles.map((f) => ({ file: ctx.redactor.text(f.file), sha256: f.sha256 })),
    options: ctx.redactor.value(ctx.options),
  };
}

/** The `run-start` details: who, how, and what a killed run left in flight that this one carries on. */
export function runStartDetails(begun: RunBegun): Record<string, unknown> {
  const first = begun.continuing.values().next();
  const carriedOver = first.done
    ? null
    : { fromRun: first.value.runId, actions: [...begun.continuing.keys()] };
  return { ...sessionDetails(begun.context), carriedOver };
}

/** A resume's details: who, when, how, and which of the run's writes were in flight (read back first). */
export function resumeDetails(runId: string, inputDigest: string, begun: RunBegun): Record<string, unknown> {
  const records = [...begun.continuing.values()];
  return {
    ...sessionDetails(begun.context),
    runId,
    inputDigest,
    readBack: records
      .filter((r) => wasSent(r.status))
      .map((r) => ({ actionId: r.actionId, status: r.status })),
    unfinished: records.filter((r) => r.status === 'pending' || r.status === 'not-run').length,
  };
}

/** For the `run-end` entry: what became of each write that was in flight when the run began. */
export function readBackEnded(kept: KeptRun | undefined, records: readonly ActionRecord[]): unknown[] {
  const final = new Map(records.map((r) => [r.actionId, r.status]));
  return [...(kept?.continuing.values() ?? [])]
    .filter((r) => wasSent(r.status))
    .map((r) => ({ actionId: r.actionId, before: r.status, after: final.get(r.actionId) ?? null }));
}

/** The Summary sheet's account: who, how, every session of the run (its entries), and the chain's head now. */
export function runTrail(ctx: RunContext, sessions: AuditContent[], chainHead: ChainHead | null): RunTrail {
  return {
    ranBy: whoRan(ctx.invocation),
    commandLine: commandLineOf(ctx.invocation, ctx.redactor),
    options: {
      skipInvalid: ctx.options.skipInvalid,
      adopt: ctx.options.adopt,
      concurrency: ctx.options.concurrency,
      maxErrors: ctx.options.maxErrors,
    },
    sessions: sessions.map((entry) => {
      const d = entry.data as { user?: string; host?: string; commandLine?: string };
      return {
        kind: entry.kind === 'run-start' ? ('started' as const) : ('resumed' as const),
        at: entry.at,
        by: `${d.user ?? UNKNOWN}@${d.host ?? UNKNOWN}`,
        commandLine: d.commandLine ?? UNKNOWN,
      };
    }),
    chainHead,
  };
}
