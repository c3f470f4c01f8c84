/**
 * What a results workbook is made of, kept in the state store so `lpsync report --run ID` writes the same
 * workbook again from the store alone: the input sheets' cells masked as the workbook masks them (a secret
 * column `***`, every other text through the run's redactor), the issues, the drift, the summary and which
 * action records it showed. Masked when taken, so the store never holds a secret; the workbook writer then
 * has nothing left to mask, and writes the same cells.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256Hex } from '../model/hashing.js';
import type { ActionRecord } from '../model/action-record.js';
import type { InputIssue } from '../model/issues.js';
import { createRedactor, isSecretColumn, MASK, type Redactor } from '../model/redact.js';
import type { Origin } from '../model/types.js';
import type { DriftItem } from '../plan/types.js';
import { rowResults } from './row-results.js';
import type { ReportSheet, ResultsWorkbookInput, RunSummary } from './types.js';

export interface ReportSnapshot {
  version: 1;
  runId: string;
  sheets: ReportSheet[];
  invalidRows: Origin[];
  issues: InputIssue[];
  drift: DriftItem[];
  summary: RunSummary;
  /** The records the report showed, in its order: the run's latest chain entry of each, up to the snapshot. */
  actionIds: string[];
}

export interface ReportParts {
  sheets: ReportSheet[];
  invalidRows: Origin[];
  issues: InputIssue[];
  drift: DriftItem[];
  summary: RunSummary;
  records: readonly ActionRecord[];
  redactor: Redactor;
}

/** The snapshot of a report about to be written, every secret masked. */
export function takeReportSnapshot(parts: ReportParts): ReportSnapshot {
  const { redactor } = parts;
  return {
    version: 1,
    runId: parts.summary.runId,
    sheets: parts.sheets.map((sheet) => {
      const secret = new Set(sheet.headers.filter(isSecretColumn));
      return {
        file: sheet.file,
        sheet: sheet.sheet,
        headers: sheet.headers,
        rows: sheet.rows.map((row) => ({
          origin: row.origin,
          values: maskedValues(row.values, secret, redactor),
        })),
      };
    }),
    invalidRows: parts.invalidRows,
    issues: parts.issues.map((issue) => maskedIssue(issue, redactor)),
    drift: redactor.value(parts.drift),
    summary: redactor.value(parts.summary),
    actionIds: parts.records.map((r) => r.actionId),
  };
}

function maskedValues(
  values: Record<string, string>,
  secret: ReadonlySet<string>,
  redactor: Redactor,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, value] of Object.entries(values)) {
    if (value === '') out[header] = value;
    else out[header] = secret.has(header) ? MASK : redactor.text(value);
  }
  return out;
}

function maskedIssue(issue: InputIssue, redactor: Redactor): InputIssue {
  const { value, ...rest } = issue;
  const masked = redactor.value(rest);
  if (value === undefined) return masked;
  return { ...masked, value: issue.column && isSecretColumn(issue.column) ? MASK : redactor.text(value) };
}

/** The workbook's input from a snapshot and the action records it names. */
export function workbookFromSnapshot(
  snapshot: ReportSnapshot,
  records: readonly ActionRecord[],
): ResultsWorkbookInput {
  return {
    sheets: snapshot.sheets,
    results: rowResults(snapshot.sheets, records, snapshot.invalidRows, snapshot.issues),
    summary: snapshot.summary,
    drift: snapshot.drift,
    issues: snapshot.issues,
    // Everything was masked when the snapshot was taken: the patterns (Bearer …) still apply, as they did then.
    redactor: createRedactor(),
  };
}

/** The stored form: gzip of its JSON, and the SHA-256 of that JSON (what the audit chain vouches for). */
export function encodeReportSnapshot(snapshot: ReportSnapshot): { gzip: Buffer; sha256: string } {
  const json = Buffer.from(JSON.stringify(snapshot), 'utf8');
  return { gzip: gzipSync(json, { level: 6 }), sha256: sha256Hex(json) };
}

export function decodeReportSnapshot(gzip: Buffer): ReportSnapshot {
  return JSON.parse(gunzipSync(gzip).toString('utf8')) as ReportSnapshot;
}
