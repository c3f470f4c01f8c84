/**
 * The saved plan (`plan --out change.plan.json`): the change as it was reviewed, so that
 * `apply --plan` sends exactly it. Secrets are masked; the workbook supplies them at apply time.
 */
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { canonicalJson } from './digest.js';
import { sha256Hex } from '../model/hashing.js';
import { changedSince, type TargetFingerprint } from './fingerprint.js';
import type { PlanShape } from './shape.js';
import type { Plan, PlannedAction, Reason } from './types.js';
import { lazy } from '../model/zod-lazy.js';

export const PLAN_FORMAT = 'lpsync-plan';
export const PLAN_FORMAT_VERSION = 1;

export interface SavedAction {
  id: string;
  kind: PlannedAction['kind'];
  target: {
    customerShortName: string;
    siteName: string | null;
    customerGuid: string | null;
    siteGuid: string | null;
  };
  rows: Array<{ sheet: string; row: number }>;
  dependsOn: string[];
  reasons: Reason[];
  /** Masked. */
  request: { method: string; path: string; body: unknown } | null;
  /** Masked. */
  followUp: unknown;
  fingerprint: TargetFingerprint;
}

export interface SavedPlan {
  format: typeof PLAN_FORMAT;
  formatVersion: number;
  lpsyncVersion: string;
  createdAt: string;
  /** Masked. */
  baseUrl: string;
  inputs: Array<{ file: string; sha256: string }>;
  options: { mode: string; only: string[]; limit: number | null; adopt: boolean };
  counts: Record<string, number>;
  actions: SavedAction[];
  drift: Array<{ kind: string; customerShortName: string; siteName: string | null; message: string }>;
}

export interface SavePlanInput {
  plan: Plan;
  fingerprints: ReadonlyMap<string, TargetFingerprint>;
  shape: PlanShape;
  adopt: boolean;
  inputs: Array<{ file: string; sha256: string }>;
  baseUrl: string;
  lpsyncVersion: string;
  createdAt: string;
  redactor: Redactor;
}

function savedAction(
  action: PlannedAction,
  fingerprint: TargetFingerprint | undefined,
  redactor: Redactor,
): SavedAction {
  return {
    id: action.id,
    kind: action.kind,
    target: {
      customerShortName: action.customerShortName,
      siteName: action.siteName ?? null,
      customerGuid: action.customerGuid ?? null,
      siteGuid: action.siteGuid ?? null,
    },
    rows: action.rows.map((o) => ({ sheet: o.sheet, row: o.row })),
    dependsOn: action.dependsOn,
    reasons: action.reasons,
    request: action.request
      ? {
          method: action.request.method,
          path: action.request.path,
          body: redactor.value(action.request.body),
        }
      : null,
    followUp: action.followUp ? redactor.value(action.followUp.body) : null,
    fingerprint: fingerprint ?? { service: 'absent', applied: null },
  };
}

/** The plan as a document: what a change board approves. */
export function savedPlan(input: SavePlanInput): SavedPlan {
  return {
    format: PLAN_FORMAT,
    formatVersion: PLAN_FORMAT_VERSION,
    lpsyncVersion: input.lpsyncVersion,
    createdAt: input.createdAt,
    baseUrl: input.baseUrl,
    inputs: input.inputs,
    options: {
      mode: input.shape.mode,
      only: input.shape.only.map((s) => s.text),
      limit: input.shape.limit ?? null,
      adopt: input.adopt,
    },
    counts: input.plan.counts,
    actions: input.plan.actions.map((a) => savedAction(a, input.fingerprints.get(a.id), input.redactor)),
    drift: input.plan.drift.map((d) => ({
      kind: d.kind,
      customerShortName: d.customerShortName,
      siteName: d.siteName ?? null,
      message: d.message,
    })),
  };
}

/** The file's text (what its SHA-256 is of) and the hash. */
export function planFileText(plan: SavedPlan): { text: string; sha256: string } {
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  return { text, sha256: sha256Hex(text) };
}

/** The plan file's schema, built on first use (only `apply --plan` reads one). */
const savedPlanSchema = lazy((z) => {
  const seen = z.union([z.literal('absent'), z.record(z.string(), z.string())]);
  const savedPlanSchema = z.object({
    format: z.literal(PLAN_FORMAT),
    formatVersion: z.number().int(),
    lpsyncVersion: z.string(),
    createdAt: z.string(),
    baseUrl: z.string(),
    inputs: z.array(z.object({ file: z.string(), sha256: z.string() })),
    options: z.object({
      mode: z.string(),
      only: z.array(z.string()),
      limit: z.number().int().nullable(),
      adopt: z.boolean(),
    }),
    counts: z.record(z.string(), z.number()),
    actions: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        target: z.object({
          customerShortName: z.string(),
          siteName: z.string().nullable(),
          customerGuid: z.string().nullable(),
          siteGuid: z.string().nullable(),
        }),
        rows: z.array(z.object({ sheet: z.string(), row: z.number() })),
        dependsOn: z.array(z.string()),
        reasons: z.array(z.object({ message: z.string() }).passthrough()),
        request: z.object({ method: z.string(), path: z.string(), body: z.unknown() }).nullable(),
        followUp: z.unknown(),
        fingerprint: z.object({ service: seen, site: seen.optional(), applied: z.string().nullable() }),
      }),
    ),
    drift: z.array(z.unknown()),
  });
  return savedPlanSchema;
});

/** Reads a plan file: another format, another format version or a damaged file is refused (exit 2). */
export function parsePlanFile(text: string, file: string, program = 'lpsync'): SavedPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RunError('invalid-options', `${file} is not a plan file: it is not JSON.`, {
      hint: `Give the file \`${program} plan … --out change.plan.json\` wrote.`,
    });
  }
  const head = json as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== PLAN_FORMAT)
    throw new RunError(
      'invalid-options',
      `${file} is not an lpsync plan file (format ${String(head?.format)}).`,
      {
        hint: `Give the file \`${program} plan … --out change.plan.json\` wrote.`,
      },
    );
  if (head.formatVersion !== PLAN_FORMAT_VERSION)
    throw new RunError(
      'invalid-options',
      `${file} is an lpsync plan of format version ${String(head.formatVersion)}; this lpsync applies version ${PLAN_FORMAT_VERSION}.`,
      { hint: `Make the plan again with this lpsync (\`${program} plan … --out\`).` },
    );
  const parsed = savedPlanSchema().safeParse(json);
  if (!parsed.success)
    throw new RunError(
      'invalid-options',
      `${file} is a damaged plan file: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      {
        hint: `Make the plan again (\`${program} plan … --out\`); a plan file is not to be edited.`,
      },
    );
  return parsed.data as SavedPlan;
}

function describeTarget(a: { target: SavedAction['target'] }): string {
  return a.target.siteName === null || a.target.siteName === a.target.customerShortName
    ? `service ${a.target.customerShortName}`
    : `SIP connection ${a.target.siteName} of ${a.target.customerShortName}`;
}

/**
 * Why the saved plan no longer describes the change the same inputs would make now: each action that is
 * gone, new, of another kind, sends another request, or whose target changed since (naming the fields).
 * Empty: the plan is current.
 */
export function staleness(saved: SavedPlan, now: SavedPlan): string[] {
  const out: string[] = [];
  const fresh = new Map(now.actions.map((a) => [a.id, a]));
  const old = new Set(saved.actions.map((a) => a.id));
  for (const a of saved.actions) {
    const b = fresh.get(a.id);
    if (!b) {
      out.push(`${a.id} is no longer planned`);
      continue;
    }
    out.push(
      ...changedSince(a.fingerprint, b.fingerprint, {
        service: a.target.customerShortName,
        site: a.target.siteName,
      }),
    );
    if (a.kind !== b.kind) out.push(`${describeTarget(a)}: planned ${a.kind}, now ${b.kind}`);
    else if (
      canonicalJson(a.request) !== canonicalJson(b.request) ||
      canonicalJson(a.followUp) !== canonicalJson(b.followUp)
    )
      out.push(`${describeTarget(a)}: the request differs from the plan`);
  }
  for (const b of now.actions)
    if (!old.has(b.id)) out.push(`${b.id} (${b.kind}) is planned now but not in the plan`);
  return [...new Set(out)];
}
