/** One run as apply writes it into a real store, for the audit chain's tests (test/state/audit.test.ts). */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ActionRecord } from '../../src/model/action-record.js';
import { createRedactor } from '../../src/model/redact.js';
import type { SentRequest } from '../../src/model/sent-request.js';
import { openAuditReader } from '../../src/state/audit-read.js';
import type { StateStore } from '../../src/state/index.js';
import { recordOf } from '../support/records.js';

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
export const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString();

export function sentRequest(actionId: string | null, at = new Date().toISOString()): SentRequest {
  return {
    actionId,
    at,
    method: 'POST',
    path: '/api/v2/customer',
    status: 200,
    attempt: 1,
    durationMs: 12,
    messages: [],
    bodySha256: null,
  };
}

export function record(runId: string, actionId: string, partial: Partial<ActionRecord> = {}): ActionRecord {
  return recordOf({ runId, actionId, rows: [{ file: 'book.xlsx', sheet: 'Customers', row: 2 }], ...partial });
}

/** One run as apply writes it: start, a request, the journal, applied digests, a report snapshot, the end. */
export function writeRun(store: StateStore, runId: string, startedAt: string, customers: string[]): void {
  store.createRun(
    {
      runId,
      command: 'apply',
      inputFile: 'book.xlsx',
      inputDigest: 'ab'.repeat(32),
      baseUrl: 'http://127.0.0.1:1',
      startedAt,
    },
    {
      context: {
        invocation: {
          user: 'alice',
          host: 'build-01',
          pid: 4242,
          commandLine: ['lpsync', 'apply', 'book.xlsx'],
        },
        redactor: createRedactor(),
        lpsyncVersion: 'test',
        options: {
          mode: 'all',
          only: [],
          limit: null,
          skipInvalid: false,
          adopt: false,
          concurrency: 'auto',
          maxErrors: null,
          planFile: null,
        },
        inputFiles: [{ file: 'book.xlsx', sha256: 'ab'.repeat(32) }],
      },
      continuing: new Map(),
      planned: [],
    },
  );
  const records = customers.map((c) => record(runId, `customer:${c}`));
  store.putJournal(records);
  for (const r of records) {
    store.requestSent(runId, sentRequest(r.actionId));
    store.putJournal({ ...r, status: 'succeeded', customerGuid: `guid-${r.customerShortName}`, attempts: 1 });
    store.recordApplied(runId, [
      {
        shortName: r.customerShortName,
        digest: sha(r.customerShortName),
        customerGuid: `guid-${r.customerShortName}`,
      },
      {
        shortName: r.customerShortName,
        siteName: 'HQ',
        digest: sha(`${r.customerShortName}/HQ`),
        siteGuid: `site-${r.customerShortName}`,
      },
    ]);
  }
  const snapshot = Buffer.from(JSON.stringify({ runId, rows: customers.length }));
  store.saveReportSnapshot(
    runId,
    { gzip: gzipSync(snapshot), sha256: sha(snapshot.toString()) },
    { rows: customers.length },
  );
  store.finishRun(runId, 'finished', { exitCode: 0 });
}

/** `audit verify` of the file at `path`. */
export function verify(path: string, keptHead?: string) {
  const reader = openAuditReader(path);
  try {
    return reader.verify(keptHead);
  } finally {
    reader.close();
  }
}
