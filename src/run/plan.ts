import { readFileSync } from 'node:fs';
import type { LimitFunction } from 'p-limit';
import type { LoadedWorkbook } from '../input/index.js';
import type { Redactor } from '../model/redact.js';
import { sha256Hex } from '../model/hashing.js';
import { fingerprints } from '../plan/fingerprint.js';
import { planFileText, savedPlan, type SavedPlan } from '../plan/plan-file.js';
import { shapePlan, type PlanShape } from '../plan/shape.js';
import type { StateStore } from '../state/index.js';
import { ApiError } from '../api/errors.js';
import type { LivePlatform } from '../api/types.js';
import { RunError } from '../model/errors.js';
import type { WorkbookRows } from '../model/types.js';
import { planActions, readObservedState } from '../plan/index.js';
import type { AppliedState, ObservedState, Plan } from '../plan/types.js';

export interface MakePlanOptions {
  rows: WorkbookRows;
  client: Pick<LivePlatform, 'listServices' | 'getSite'>;
  /** What lpsync last applied, from the state store. */
  applied: AppliedState;
  /** The apply limiter, or a number of concurrent Get SIP Connection requests. */
  concurrency: LimitFunction | number;
  /** Shown in the "unreachable" message (masked). */
  baseUrl: string;
  adopt?: boolean;
  /** Services an earlier run created (or may have) without recording their customer-level values. */
  createdUnrecorded?: ReadonlySet<string>;
}

export interface MadePlan {
  plan: Plan;
  observed: ObservedState;
}

/** The plan stage, shared by `plan`, `apply`, `reconcile` and `--dry-run`: observe, recall, decide. */
export async function makePlan(options: MakePlanOptions): Promise<MadePlan> {
  const observed = await observe(options);
  const plan = planActions(options.rows, observed, options.applied, {
    adopt: options.adopt === true,
    ...(options.createdUnrecorded ? { createdUnrecorded: options.createdUnrecorded } : {}),
  });
  return { plan, observed };
}

/** Reads the platform; a platform that cannot be reached at all ends the run as `unreachable` (exit 3). */
async function observe(options: MakePlanOptions): Promise<ObservedState> {
  try {
    return await readObservedState(options.client, options.rows, options.concurrency);
  } catch (error) {
    throw unreachableFault(error, options.baseUrl);
  }
}

/** A read that could not reach the platform at all, as the run's `unreachable` fault; any other error as it is. */
export function unreachableFault(error: unknown, baseUrl: string): unknown {
  if (error instanceof ApiError && (error.code === 'network' || error.code === 'timeout'))
    return new RunError('unreachable', `The Live Platform at ${baseUrl} is unreachable: ${error.message}`, {
      hint: 'Check --base-url / LPSYNC_BASE_URL and the network path; nothing was sent.',
      settings: ['baseUrl'],
      cause: error,
    });
  return error;
}

export interface PlanChangeOptions {
  loaded: LoadedWorkbook;
  client: Pick<LivePlatform, 'listServices' | 'getSite'>;
  /** Masked. */
  baseUrl: string;
  store: Pick<StateStore, 'loadApplied'>;
  concurrency: number;
  shape: PlanShape;
  adopt: boolean;
  redactor: Redactor;
  lpsyncVersion: string;
  /** The CLI's wall clock. */
  createdAt: string;
}

export interface PlannedChange {
  plan: Plan;
  /** The change as a document, and its file text and SHA-256 (what `apply --plan` checks). */
  saved: SavedPlan;
  text: string;
  sha256: string;
}

/** `lpsync plan`: the plan as the mode and wave allow it, with what it saw of every target, as a saved plan. */
export async function planChange(options: PlanChangeOptions): Promise<PlannedChange> {
  const applied = options.store.loadApplied();
  const made = await makePlan({
    rows: options.loaded.rows,
    client: options.client,
    applied,
    concurrency: options.concurrency,
    baseUrl: options.baseUrl,
    adopt: options.adopt,
  });
  const plan = shapePlan(made.plan, options.shape);
  const saved = savedPlan({
    plan,
    fingerprints: fingerprints(plan, made.observed, applied),
    shape: options.shape,
    adopt: options.adopt,
    inputs: options.loaded.files.map((file) => ({ file, sha256: sha256Hex(readFileSync(file)) })),
    baseUrl: options.baseUrl,
    lpsyncVersion: options.lpsyncVersion,
    createdAt: options.createdAt,
    redactor: options.redactor,
  });
  return { plan, saved, ...planFileText(saved) };
}
