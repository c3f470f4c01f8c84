/**
 * A second person's approval of a saved plan (`lpsync approve --plan FILE`, the console's Approve), and
 * the check `apply --plan --require-approval` makes: a plan, identified by its SHA-256, can be applied
 * only once a user other than its author approved it. Who acts is an option (the CLI's user, the
 * console's logged-in account): nothing here reads the process.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { RunError } from '../model/errors.js';
import { createRedactor, type Redactor } from '../model/redact.js';
import { may } from '../model/roles.js';
import type { RunSummary, Signature } from '../report/types.js';
import {
  openStateStore,
  type ApprovalRecord,
  type PlanRecord,
  type RunInvocation,
  type RunRecord,
  type StateStore,
} from '../state/index.js';
import { readApprovedPlan, type ApprovedPlan } from './saved-plan.js';

export interface ApproveOptions {
  statePath: string;
  /** The plan file as `plan --out` wrote it (absolute). */
  planFile: string;
  /** Who approves: the OS user, or the account logged in to (with its role). */
  by: RunInvocation;
  now: () => Date;
  /** How the person runs lpsync (`npx lpsync`), for the commands in hints. */
  program?: string;
  redactor?: Redactor;
}

export interface ApproveResult {
  sha256: string;
  plan: PlanRecord;
  approval: ApprovalRecord;
  /** False: this person had approved the plan before (their first approval stands). */
  recorded: boolean;
  /** Every approval of the plan now, oldest first. */
  approvals: ApprovalRecord[];
}

/** What the store knows of a plan's approval: its author, its approvals, the run that applied it. */
export interface PlanApprovals {
  sha256: string;
  plan: PlanRecord | null;
  approvals: ApprovalRecord[];
  /** Whether someone other than its author approved it: what `--require-approval` asks. */
  approvedByAnother: boolean;
  appliedBy: RunRecord | null;
}

/** Reads the plan file (format checked) and its SHA-256. */
export function readPlanFile(path: string, program = 'lpsync'): ApprovedPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RunError('invalid-options', `Cannot read --plan ${path}: ${(error as Error).message}`, {
      hint: `Give the file \`${program} plan … --out change.plan.json\` wrote.`,
    });
  }
  return readApprovedPlan(path, text, program);
}

const short = (sha256: string) => `${sha256.slice(0, 12)}…`;

/** The plan's author as recorded; a plan the store never recorded cannot be approved (its author is unknown). */
function authorOf(store: StateStore, plan: ApprovedPlan, program: string): PlanRecord {
  const record = store.planRecord(plan.sha256);
  if (record) return record;
  throw new RunError(
    'plan-refused',
    `${basename(plan.path)} (SHA-256 ${short(plan.sha256)}) is not a plan this state store recorded (${store.path}): who made it is not known, so no approval of it can count. The file was changed after plan --out wrote it, or made with another --state.`,
    {
      hint: `Make the plan again with this state store: ${program} plan … --out ${basename(plan.path)} --state ${store.path}`,
    },
  );
}

/**
 * `approve --plan FILE`: the approval recorded, with its audit entry. Refused for the plan's author, and for
 * an account whose role may not approve (an OS user has no role: its machine account vouches for it).
 */
export function approve(options: ApproveOptions): ApproveResult {
  const program = options.program ?? 'lpsync';
  const plan = readPlanFile(options.planFile, program);
  const store = openStateStore(options.statePath);
  try {
    const author = authorOf(store, plan, program);
    const name = basename(plan.path);
    if (author.by === options.by.user)
      throw new RunError(
        'not-permitted',
        `${options.by.user} made ${name} (SHA-256 ${short(plan.sha256)}) on ${author.at}: a plan is approved by a user other than its author.`,
        { hint: `Ask an approver to run: ${program} approve --plan ${options.planFile}` },
      );
    const { role } = options.by;
    if (role && !may(role, 'approve'))
      throw new RunError(
        'not-permitted',
        `${options.by.user} is an account of role ${role}, which may not approve.`,
        {
          hint: 'Roles: operator (upload, plan, apply), approver (also approve), auditor (read only).',
        },
      );
    const applied = store.runOfPlan(plan.sha256);
    if (applied)
      throw new RunError(
        'plan-refused',
        `${name} (SHA-256 ${short(plan.sha256)}) was already applied by run ${applied.runId} on ${applied.startedAt}: there is nothing left to approve.`,
      );
    const { approval, recorded } = store.recordApproval({
      sha256: plan.sha256,
      at: options.now().toISOString(),
      by: options.by,
      redactor: options.redactor ?? createRedactor(),
    });
    return {
      sha256: plan.sha256,
      plan: author,
      approval,
      recorded,
      approvals: store.approvalsOf(plan.sha256),
    };
  } finally {
    store.close();
  }
}

/** What the store knows of a plan's approval (the console shows it beside its Apply). Reads only. */
export function planApprovals(options: { statePath: string; sha256: string }): PlanApprovals {
  const store = openStateStore(options.statePath);
  try {
    return approvalsIn(store, options.sha256);
  } finally {
    store.close();
  }
}

function approvalsIn(store: StateStore, sha256: string): PlanApprovals {
  const plan = store.planRecord(sha256);
  const approvals = store.approvalsOf(sha256);
  return {
    sha256,
    plan,
    approvals,
    approvedByAnother: plan !== null && approvals.some((a) => a.by !== plan.by),
    appliedBy: store.runOfPlan(sha256),
  };
}

/**
 * `--require-approval`: refused (exit 2, nothing sent) unless a user other than the plan's author approved
 * this plan's SHA-256. A plan changed after its approval has another SHA-256, with no approval.
 */
export function checkApproval(store: StateStore, plan: ApprovedPlan | undefined, program = 'lpsync'): void {
  if (!plan)
    throw new RunError(
      'invalid-options',
      '--require-approval needs --plan: only a saved plan can be approved.',
      {
        hint: `${program} plan … --out change.plan.json, approved by another user, then ${program} apply --plan change.plan.json … --require-approval`,
      },
    );
  const author = authorOf(store, plan, program);
  const state = approvalsIn(store, plan.sha256);
  if (state.approvedByAnother) return;
  const own = state.approvals.length > 0 ? ` (${author.by}'s own approval does not count)` : '';
  throw new RunError(
    'plan-refused',
    `${basename(plan.path)} (SHA-256 ${short(plan.sha256)}) was planned by ${author.by} on ${author.at}, and no one else approved it${own}: --require-approval applies a plan only once a user other than its author approved it. Nothing was sent.`,
    { hint: `Another user approves it: ${program} approve --plan ${plan.path}` },
  );
}

/** The plan applied, with who made and who approved it, for the run's Summary. */
export function signedPlan(store: StateStore, plan: ApprovedPlan): NonNullable<RunSummary['plan']> {
  const author = store.planRecord(plan.sha256);
  const sign = (r: PlanRecord | ApprovalRecord): Signature => ({
    by: r.by,
    role: r.role,
    host: r.host,
    at: r.at,
  });
  return {
    file: plan.path,
    sha256: plan.sha256,
    planned: author ? sign(author) : null,
    approvals: store.approvalsOf(plan.sha256).map(sign),
  };
}
