import type { ActionRecord } from '../model/action-record.js';
import type { InputIssue } from '../model/issues.js';
import type { Origin } from '../model/types.js';
import { originKey, type ReportSheet, type RowResult } from './types.js';

/**
 * One result per input row: the action's outcome for each row it came from; `invalid` with the
 * validation errors for rows that failed validation; `not-run` for a row no action covered.
 */
export function rowResults(
  sheets: ReportSheet[],
  records: readonly ActionRecord[],
  invalidRows: Origin[],
  issues: InputIssue[],
): Map<string, RowResult> {
  const out = new Map<string, RowResult>();
  const byRow = new Map<string, ActionRecord>();
  for (const r of records) for (const origin of r.rows) byRow.set(originKey(origin), r);

  const errorsByRow = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.sheet === undefined || issue.row === undefined) continue;
    const key = originKey({ file: issue.file, sheet: issue.sheet, row: issue.row });
    const list = errorsByRow.get(key) ?? [];
    list.push(
      `${issue.severity === 'error' ? '' : 'warning: '}${issue.column ? `${issue.column}: ` : ''}${issue.message}`,
    );
    errorsByRow.set(key, list);
  }
  const invalid = new Set(invalidRows.map(originKey));

  for (const sheet of sheets) {
    for (const row of sheet.rows) {
      const key = originKey(row.origin);
      const rowIssues = errorsByRow.get(key) ?? [];
      const result = byRow.get(key);
      if (invalid.has(key)) {
        out.set(key, blank('invalid', [], rowIssues.join('; ') || 'failed validation'));
      } else if (result) {
        out.set(key, {
          action: result.kind,
          status: result.status,
          customerGuid: result.customerGuid,
          siteGuid: result.siteGuid,
          deploymentState: result.deploymentState,
          messages: [...rowIssues, ...result.messages],
          error: result.error,
          attempts: result.attempts,
          durationMs: result.durationMs,
        });
      } else {
        out.set(key, blank('not-run', rowIssues, 'no action was planned for this row'));
      }
    }
  }
  return out;
}

function blank(status: RowResult['status'], messages: string[], error: string): RowResult {
  return {
    action: '',
    status,
    customerGuid: null,
    siteGuid: null,
    deploymentState: null,
    messages,
    error,
    attempts: 0,
    durationMs: 0,
  };
}
