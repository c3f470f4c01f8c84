/**
 * One `change` entry per write action planned: what it sets, `before → after` as known (a modify's
 * reasons; a create's or add's body, masked, after nothing). What `lpsync history --customer` lists.
 */
import type { Redactor } from '../model/redact.js';
import { isWrite, type PlannedAction } from '../plan/types.js';
import type { NewAuditEntry } from './audit.js';

export interface FieldChange {
  field: string;
  /** As read back or last applied; null when it did not exist. */
  before: string | null;
  after: string | null;
}

export function changeEntries(
  runId: string,
  planned: readonly PlannedAction[],
  redactor: Redactor,
  at: string,
): NewAuditEntry[] {
  return planned.filter(isWrite).map((action) => ({
    kind: 'change',
    runId,
    actionId: action.id,
    at,
    data: {
      kind: action.kind,
      customerShortName: action.customerShortName,
      siteName: action.siteName ?? null,
      rows: action.rows,
      method: action.request.method,
      path: redactor.text(action.request.path),
      changes: changesOf(action, redactor),
    },
  }));
}

function changesOf(action: PlannedAction, redactor: Redactor): FieldChange[] {
  if (action.kind === 'modify-site')
    return action.reasons
      .filter((r) => r.field !== undefined)
      .map((r) => ({
        field: r.field as string,
        before: r.before === undefined ? null : redactor.text(r.before),
        after: r.after === undefined ? null : redactor.text(r.after),
      }));
  if (!isWrite(action)) return [];
  // Created: every field the create (and its follow-up Modify) sets, from nothing.
  const sent: Record<string, string> = {};
  flatten(redactor.value(action.request.body), '', sent);
  if (action.followUp) flatten(redactor.value(action.followUp.body), '', sent);
  return Object.entries(sent).map(([field, after]) => ({ field, before: null, after }));
}

function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (value === undefined || value === null || prefix === '') return;
  out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
}
