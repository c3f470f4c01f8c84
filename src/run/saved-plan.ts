import { basename } from 'node:path';
import type { LoadedWorkbook } from '../input/index.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { planShape, type PlanShape } from '../plan/shape.js';
import { fingerprints } from '../plan/fingerprint.js';
import { parsePlanFile, savedPlan, staleness, type SavedPlan } from '../plan/plan-file.js';
import { sha256Hex } from '../model/hashing.js';
import type { AppliedState, ObservedState, Plan } from '../plan/types.js';
import type { StateStore } from '../state/index.js';

/** A plan file given to `apply --plan`, read and checked against what this run is about to do. */
export interface ApprovedPlan {
  path: string;
  sha256: string;
  saved: SavedPlan;
  shape: PlanShape;
}

const refused = (message: string, hint: string) => new RunError('plan-refused', message, { hint });

/** Reads the plan file: its format, then its own SHA-256 (what the state store and the reports name). */
export function readApprovedPlan(path: string, text: string, program = 'lpsync'): ApprovedPlan {
  const saved = parsePlanFile(text, path, program);
  const shape = planShape({
    mode: saved.options.mode,
    only: saved.options.only,
    ...(saved.options.limit === null ? {} : { limit: saved.options.limit }),
  });
  return { path, sha256: sha256Hex(text), saved, shape };
}

/**
 * What can be checked before anything is read from the platform: the same Live Platform (masked URLs
 * compared), the same workbook (SHA-256 of every input file), and a plan not applied before.
 */
export function checkApprovedPlan(
  approved: ApprovedPlan,
  context: {
    baseUrl: string;
    inputs: Array<{ file: string; sha256: string }>;
    store: StateStore;
    resuming: string | null;
    /** How the person runs lpsync (`npx lpsync`), for the command in the hint. */
    program?: string;
  },
): void {
  const { saved } = approved;
  const name = basename(approved.path);
  if (saved.baseUrl !== context.baseUrl)
    throw refused(
      `${name} was made for the Live Platform at ${saved.baseUrl}; this run is connected to ${context.baseUrl}. Nothing was sent.`,
      'Apply a plan to the platform it was made for, or make a new plan for this one.',
    );
  const want = saved.inputs
    .map((i) => i.sha256)
    .sort()
    .join(',');
  const have = context.inputs
    .map((i) => i.sha256)
    .sort()
    .join(',');
  if (want !== have)
    throw refused(
      `The workbook is not the one ${name} was made from (SHA-256 ${context.inputs.map((i) => `${basename(i.file)} ${i.sha256.slice(0, 12)}…`).join(', ')}; the plan has ${saved.inputs.map((i) => `${basename(i.file)} ${i.sha256.slice(0, 12)}…`).join(', ')}). Nothing was sent.`,
      'Give the workbook the plan was made from, unchanged; a changed workbook needs a new plan and a new approval.',
    );
  const earlier = context.store.runOfPlan(approved.sha256);
  if (earlier && earlier.runId !== context.resuming)
    throw refused(
      `${name} (SHA-256 ${approved.sha256}) was already applied by run ${earlier.runId} on ${earlier.startedAt} (${earlier.status}). Nothing was sent.`,
      earlier.status === 'finished'
        ? 'A plan is applied once: make a new plan for a further change.'
        : `To finish that run: ${context.program ?? 'lpsync'} apply --plan ${approved.path} --resume ${earlier.runId}`,
    );
}

/**
 * The fresh plan, made from the same workbook and options against the platform as it is now, must be the
 * approved one: same actions, same requests, every target as the plan saw it. Otherwise the whole plan is
 * refused, naming each difference.
 */
export function checkNotStale(
  approved: ApprovedPlan,
  fresh: { plan: Plan; observed: ObservedState; applied: AppliedState },
  loaded: LoadedWorkbook,
  redactor: Redactor,
  program = 'lpsync',
): void {
  const now = savedPlan({
    plan: fresh.plan,
    fingerprints: fingerprints(fresh.plan, fresh.observed, fresh.applied),
    shape: approved.shape,
    adopt: approved.saved.options.adopt,
    inputs: approved.saved.inputs,
    baseUrl: approved.saved.baseUrl,
    lpsyncVersion: approved.saved.lpsyncVersion,
    createdAt: approved.saved.createdAt,
    redactor,
  });
  const differences = staleness(approved.saved, now);
  if (differences.length === 0) return;
  const shown = differences.slice(0, 20);
  const more = differences.length > shown.length ? `\n  … and ${differences.length - shown.length} more` : '';
  throw refused(
    `The plan is stale: ${shown.length === 1 ? shown[0] : `\n  ${shown.join('\n  ')}`}${more}\nNothing was sent (${loaded.files.map((f) => basename(f)).join(', ')}).`,
    `Make a new plan (${program} plan … --out) and have it approved again.`,
  );
}
