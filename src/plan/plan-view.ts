import type { Origin } from '../model/types.js';
import { SECRET_DIFFERS } from './diff.js';
import type { ActionKind, Plan, PlannedAction, Reason } from './types.js';

/** The one-line summary, as Terraform puts it: counts of what will happen. */
export function countsLine(plan: Pick<Plan, 'counts'>): string {
  const c = plan.counts;
  const create = c['create-customer'] + c['create-oc-service'];
  const left = [
    c.excluded > 0 ? `, ${c.excluded} excluded by --mode` : '',
    c['not-selected'] > 0 ? `, ${c['not-selected']} not selected` : '',
  ].join('');
  return (
    `Plan: ${create} to create, ${c['add-site']} to add, ${c['modify-site']} to modify, ` +
    `${c.unchanged} unchanged, ${c.busy} busy, ${c.conflict} conflict${c.conflict === 1 ? '' : 's'}${left}`
  );
}

const LABELS: Record<ActionKind, string> = {
  'create-customer': 'create customer',
  'create-oc-service': 'create OC service',
  'add-site': 'add SIP connection',
  'modify-site': 'modify SIP connection',
  unchanged: 'unchanged',
  busy: 'busy',
  conflict: 'conflict',
  excluded: 'excluded by --mode',
  'not-selected': 'not selected',
};

function where(rows: readonly Origin[]): string {
  return rows.map((o) => `${o.sheet} row ${o.row}`).join(', ');
}

/** One reason as a person reads it: `field: before → after (message)`, or just the message. */
export function describeReason(reason: Reason): string {
  if (reason.field && reason.before === SECRET_DIFFERS && reason.after === SECRET_DIFFERS) {
    return `${reason.field}: differs (secret, not shown) — ${reason.message}`;
  }
  if (reason.field && (reason.before !== undefined || reason.after !== undefined)) {
    return `${reason.field}: ${reason.before ?? '(not set)'} → ${reason.after ?? '(not set)'} — ${reason.message}`;
  }
  return reason.message;
}

function target(action: PlannedAction): string {
  return action.siteName === undefined
    ? action.customerShortName
    : `${action.customerShortName} / ${action.siteName}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export interface PlanViewOptions {
  /** Also list unchanged actions (default: only what changes, is busy or conflicts). */
  showUnchanged?: boolean;
  /** Rows read that Excel hides (LoadedWorkbook.hiddenRows): the plan says how many it includes. */
  hiddenRows?: readonly Origin[];
  /** At most this many drift lines (default 50); the rest are counted. */
  maxDrift?: number;
}

const originKey = (o: Origin) => `${o.file}\u0000${o.sheet}\u0000${o.row}`;

/** The line under the counts when the plan acts on rows hidden in Excel; undefined when it acts on none. */
export function hiddenRowsLine(plan: Pick<Plan, 'actions'>, hidden: readonly Origin[]): string | undefined {
  if (hidden.length === 0) return undefined;
  const hiddenKeys = new Set(hidden.map(originKey));
  const included = new Map<string, Origin>();
  for (const action of plan.actions) {
    if (action.kind === 'excluded' || action.kind === 'not-selected') continue;
    for (const origin of action.rows)
      if (hiddenKeys.has(originKey(origin))) included.set(originKey(origin), origin);
  }
  if (included.size === 0) return undefined;
  const rows = [...included.values()];
  const listed = where(rows.slice(0, 10)) + (rows.length > 10 ? `, … ${rows.length - 10} more` : '');
  return `Includes ${rows.length} row${rows.length === 1 ? '' : 's'} hidden in Excel (hidden or filtered out): ${listed}`;
}

/**
 * The readable plan: the counts line, then a table of what will change and why, then drift.
 * Reasons never carry secret values (the planner writes "differs"), so nothing here needs masking.
 */
export function renderPlan(plan: Plan, options: PlanViewOptions = {}): string {
  const shown = plan.actions.filter(
    (a) => options.showUnchanged || (a.kind !== 'unchanged' && a.kind !== 'not-selected'),
  );
  const lines: string[] = [countsLine(plan)];
  const hidden = hiddenRowsLine(plan, options.hiddenRows ?? []);
  if (hidden) lines.push(hidden);
  if (shown.length) {
    const head = ['Action', 'Customer / SIP connection', 'Row'];
    const cells = shown.map((a) => [LABELS[a.kind], target(a), where(a.rows)]);
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
    const row = (c: string[]): string =>
      `  ${c.map((text, i) => pad(text, widths[i] as number)).join('  ')}`.trimEnd();
    lines.push('', row(head));
    shown.forEach((a, i) => {
      lines.push(row(cells[i] as string[]));
      if (a.request) lines.push(`      ${a.request.method} ${a.request.path}`);
      for (const reason of a.reasons) lines.push(`      - ${describeReason(reason)}`);
      if (a.dependsOn.length) lines.push(`      - after ${a.dependsOn.join(', ')} succeeds`);
      if (a.followUp) lines.push('      - then Modify SIP Connection for the fields Add/Create cannot carry');
    });
  }
  if (plan.drift.length) {
    const max = options.maxDrift ?? 50;
    lines.push('', `Drift: ${plan.drift.length} on the Live Platform but not in the sheet (never deleted):`);
    for (const item of plan.drift.slice(0, max)) lines.push(`  - ${item.message}`);
    if (plan.drift.length > max) lines.push(`  … and ${plan.drift.length - max} more`);
  }
  return lines.join('\n');
}
