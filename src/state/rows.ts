/**
 * The state store's rows and the records they hold, one conversion each way: the store writes and reads
 * with these, and the audit trail compares the tables with its chain through the same ones.
 */
import type { ActionKind, ActionRecord, RecordStatus } from '../model/action-record.js';
import type { Origin } from '../model/types.js';
import type { AppliedRecord } from '../plan/types.js';
import type { RunRecord } from './types.js';

export interface JournalRow {
  run_id: string;
  action_id: string;
  kind: string;
  status: string;
  customer_short_name: string;
  site_name: string | null;
  customer_guid: string | null;
  site_guid: string | null;
  task_id: string | null;
  attempts: number;
  messages: string;
  error: string | null;
  deployment_state: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  sent_twice: number;
  rows: string | null;
}

export interface RunRow {
  run_id: string;
  command: string;
  input_file: string;
  input_digest: string;
  base_url: string;
  started_at: string;
  ended_at: string | null;
  status: string;
  plan_sha256: string | null;
  plan_file: string | null;
}

export interface AppliedRow {
  short_name: string;
  site_name?: string;
  customer_guid: string | null;
  site_guid?: string | null;
  digest: string;
  fields: string | null;
  /** Null in rows written before the store kept it (schema 7). */
  record_digest: string | null;
  run_id: string;
  applied_at: string;
}

export function toRun(row: RunRow | undefined): RunRecord | null {
  if (!row) return null;
  return {
    runId: row.run_id,
    command: row.command,
    inputFile: row.input_file,
    inputDigest: row.input_digest,
    baseUrl: row.base_url,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status as RunRecord['status'],
    plan: row.plan_sha256 === null ? null : { sha256: row.plan_sha256, file: row.plan_file ?? '' },
  };
}

/** The parameters of the journal's upsert, in the order of its columns (bound by place: cheaper than by name). */
export function journalRow(record: ActionRecord) {
  return [
    record.runId,
    record.actionId,
    record.kind,
    record.status,
    record.customerShortName,
    record.siteName,
    record.customerGuid,
    record.siteGuid,
    record.taskId,
    record.attempts,
    JSON.stringify(record.messages),
    record.error,
    record.deploymentState,
    record.startedAt,
    record.endedAt,
    record.durationMs,
    record.sentTwice ? 1 : 0,
    JSON.stringify(record.rows),
  ] as const;
}

export function toRecord(row: JournalRow): ActionRecord {
  return {
    runId: row.run_id,
    actionId: row.action_id,
    kind: row.kind as ActionKind,
    rows: row.rows === null ? [] : (JSON.parse(row.rows) as Origin[]),
    customerShortName: row.customer_short_name,
    siteName: row.site_name,
    status: row.status as RecordStatus,
    customerGuid: row.customer_guid,
    siteGuid: row.site_guid,
    deploymentState: row.deployment_state,
    taskId: row.task_id,
    sentTwice: row.sent_twice === 1,
    attempts: row.attempts,
    messages: JSON.parse(row.messages) as string[],
    error: row.error,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms ?? 0,
  };
}

export function toApplied(row: AppliedRow): AppliedRecord {
  return {
    shortName: row.short_name,
    siteName: row.site_name ?? null,
    customerGuid: row.customer_guid,
    siteGuid: row.site_guid ?? null,
    digest: row.digest,
    fields: row.fields === null ? null : (JSON.parse(row.fields) as Record<string, string>),
    recordDigest: row.record_digest ?? null,
    runId: row.run_id,
    appliedAt: row.applied_at,
  };
}

/**
 * A record with exactly the journal's fields, as reading its row back gives it: what the audit chain keeps.
 * Picked field by field (the same value a JSON round trip through the row gives, for the plain values a
 * record holds), not written to JSON and parsed back: this runs for every journal entry of a run.
 */
export function storedRecord(record: ActionRecord): ActionRecord {
  return {
    runId: record.runId,
    actionId: record.actionId,
    kind: record.kind,
    rows: record.rows,
    customerShortName: record.customerShortName,
    siteName: record.siteName,
    status: record.status,
    customerGuid: record.customerGuid,
    siteGuid: record.siteGuid,
    deploymentState: record.deploymentState,
    taskId: record.taskId,
    sentTwice: Boolean(record.sentTwice),
    attempts: record.attempts,
    messages: record.messages.slice(),
    error: record.error,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationMs: record.durationMs ?? 0,
  };
}
