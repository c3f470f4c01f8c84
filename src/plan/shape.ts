/**
 * What a change is allowed to touch: the mode (upsert, update-only, create-only) and the wave
 * (`--only` selectors, `--limit`). Applied to a plan after it is made, so `planActions` stays the
 * one place that decides what each row needs; what is left out keeps its reasons and sends nothing.
 */
import { RunError } from '../model/errors.js';
import { countKinds } from './plan-actions.js';
import { ACTION_KINDS, type ActionKind, type NoWriteAction, type Plan, type PlannedAction } from './types.js';

import { PLAN_MODES, type PlanMode } from './modes.js';

export { PLAN_MODES, type PlanMode };

/** One `--only` selector, as typed and as matched. */
export type Selector =
  | { text: string; kind: 'customer'; pattern: RegExp }
  | { text: string; kind: 'row'; sheet: string; from: number; to: number }
  | { text: string; kind: 'action'; action: ActionKind };

export interface PlanShape {
  mode: PlanMode;
  /** Empty: every action. Otherwise an action is selected when any selector matches it. */
  only: Selector[];
  /** At most this many write actions are sent (canaries). */
  limit: number | undefined;
}

export const WHOLE_PLAN: PlanShape = { mode: 'upsert', only: [], limit: undefined };

const CREATES = new Set<ActionKind>(['create-customer', 'create-oc-service', 'add-site']);

function invalid(message: string): RunError {
  return new RunError('invalid-options', message, {
    hint: 'Selectors: customer:NAME (a glob such as customer:Contoso*), row:Customers!2-40, row:SipConnections!5, action:add-site.',
  });
}

/** `customer:Contoso*`, `row:Customers!2-40`, `row:SipConnections!5`, `action:add-site`. */
export function parseSelector(text: string): Selector {
  const at = text.indexOf(':');
  const kind = at < 0 ? '' : text.slice(0, at).trim().toLowerCase();
  const value = at < 0 ? '' : text.slice(at + 1).trim();
  if (kind === 'customer' && value !== '') {
    const source = value
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return { text, kind, pattern: new RegExp(`^${source}$`, 'i') };
  }
  if (kind === 'row') {
    const m = /^([^!]+)!(\d+)(?:-(\d+))?$/.exec(value);
    if (!m)
      throw invalid(
        `Invalid --only ${text}: expected row:SHEET!N or row:SHEET!FROM-TO, e.g. row:Customers!2-40`,
      );
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    if (to < from) throw invalid(`Invalid --only ${text}: the range ends before it starts`);
    return { text, kind, sheet: m[1]!.trim(), from, to };
  }
  if (kind === 'action' && (ACTION_KINDS as readonly string[]).includes(value))
    return { text, kind, action: value as ActionKind };
  if (kind === 'action') throw invalid(`Invalid --only ${text}: the actions are ${ACTION_KINDS.join(', ')}`);
  throw invalid(`Invalid --only ${text}: expected customer:NAME, row:SHEET!ROWS or action:KIND`);
}

/** Options normalised once: the mode checked, the selectors parsed, the limit a whole number ≥ 1. */
export function planShape(input: { mode?: string; only?: readonly string[]; limit?: number }): PlanShape {
  const mode = input.mode ?? 'upsert';
  if (!(PLAN_MODES as readonly string[]).includes(mode))
    throw new RunError(
      'invalid-options',
      `Invalid option --mode: expected ${PLAN_MODES.join(', ')}, got ${mode}`,
    );
  const limit = input.limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
    throw new RunError(
      'invalid-options',
      `Invalid option --limit: expected a whole number of 1 or more, got ${limit}`,
    );
  return { mode: mode as PlanMode, only: (input.only ?? []).map(parseSelector), limit };
}

function matches(selector: Selector, action: PlannedAction): boolean {
  switch (selector.kind) {
    case 'customer':
      return selector.pattern.test(action.customerShortName);
    case 'row':
      return action.rows.some(
        (o) =>
          o.sheet.toLowerCase() === selector.sheet.toLowerCase() &&
          o.row >= selector.from &&
          o.row <= selector.to,
      );
    case 'action':
      return action.kind === selector.action;
  }
}

function leftOut(action: PlannedAction, kind: NoWriteAction['kind'], why: string): NoWriteAction {
  return {
    kind,
    id: action.id,
    rows: action.rows,
    customerShortName: action.customerShortName,
    ...(action.siteName === undefined ? {} : { siteName: action.siteName }),
    ...(action.customerGuid === undefined ? {} : { customerGuid: action.customerGuid }),
    ...(action.siteGuid === undefined ? {} : { siteGuid: action.siteGuid }),
    dependsOn: [],
    reasons: [...action.reasons, { message: why }],
    // Nothing is recorded for what is left out (not even adopted values): it is a later change.
    record: [],
  };
}

/** The mode's verdict on one action: why it is left out, or null when the mode allows it. */
function modeExcludes(mode: PlanMode, action: PlannedAction): string | null {
  if (mode === 'update-only' && CREATES.has(action.kind))
    return 'not found (update-only): nothing is created';
  if (mode === 'create-only' && action.kind === 'modify-site')
    return 'exists (create-only): its differences are listed, not sent';
  return null;
}

/**
 * The plan as the mode and the wave allow it. An action whose dependency is left out is left out too
 * (a SIP connection is never added without its customer's create); `--limit` counts write actions in
 * plan order. Left-out actions stay in the plan, with their reasons and why they were left out.
 */
export function shapePlan(plan: Plan, shape: PlanShape): Plan {
  if (shape.mode === 'upsert' && shape.only.length === 0 && shape.limit === undefined) return plan;
  const out = new Map<string, PlannedAction>();
  const actions: PlannedAction[] = [];
  let writes = 0;
  for (const action of plan.actions) {
    const dropped = action.dependsOn
      .map((id) => out.get(id))
      .find((d) => d?.kind === 'excluded' || d?.kind === 'not-selected');
    const excluded = modeExcludes(shape.mode, action);
    let next: PlannedAction = action;
    if (excluded !== null) next = leftOut(action, 'excluded', excluded);
    else if (dropped?.kind === 'excluded')
      next = leftOut(action, 'excluded', `${dropped.id} is excluded by --mode`);
    else if (shape.only.length > 0 && !shape.only.some((s) => matches(s, action)))
      next = leftOut(
        action,
        'not-selected',
        `not selected (--only ${shape.only.map((s) => s.text).join(' ')})`,
      );
    else if (dropped?.kind === 'not-selected')
      next = leftOut(action, 'not-selected', `not selected: ${dropped.id} is not in this wave`);
    else if (action.request !== undefined && shape.limit !== undefined && writes >= shape.limit)
      next = leftOut(action, 'not-selected', `not selected: --limit ${shape.limit} reached`);
    if (next.request !== undefined) writes += 1;
    out.set(action.id, next);
    actions.push(next);
  }
  return { ...plan, actions, counts: countKinds(actions) };
}
