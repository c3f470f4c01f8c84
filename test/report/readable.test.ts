/**
 * The results workbook as an auditor opens it: GUIDs and messages wide enough to read, input
 * columns as wide as their values, the platform's progress text one message per line, and a
 * Summary whose labels and values are not cut off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../src/model/action-record.js';
import { createRedactor } from '../../src/model/redact.js';
import { rowResults } from '../../src/report/row-results.js';
import { buildSummary, summaryText } from '../../src/report/summary.js';
import type { ReportSheet } from '../../src/report/types.js';
import { readableMessage, writeResultsWorkbook } from '../../src/report/workbook.js';
import { textOf } from '../../src/model/text.js';
import { recordOf } from '../support/records.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-readable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TENANT = 'fcc608c4-095b-4d1a-90e3-2106fc7024de';
const PASSWORD = 'a-rather-long-carrier-password-00000000';
const V2_PROGRESS =
  '(Information, MsTenantid is valid);(Information, Customer data created!);(Information, SBC sbc-onboarding done for site BradSB1E1.);(Information, Site created in Ovoc)';

const sheets: ReportSheet[] = [
  {
    file: 'book.xlsx',
    sheet: 'Customers',
    headers: ['License', 'Short Name', 'MS Tenant Id', 'Carrier Password'],
    rows: [
      {
        origin: { file: 'book.xlsx', sheet: 'Customers', row: 2 },
        values: {
          License: 'Essentials',
          'Short Name': 'BradSB1E1',
          'MS Tenant Id': TENANT,
          'Carrier Password': PASSWORD,
        },
      },
    ],
  },
];

const results: ActionRecord[] = [
  recordOf({
    runId: 'run-x',
    actionId: 'customer:BradSB1E1',
    rows: [{ file: 'book.xlsx', sheet: 'Customers', row: 2 }],
    status: 'succeeded',
    customerGuid: 'a2576006-53b1-47c2-a6b4-150e1e0a697f',
    siteGuid: 'a2576006-53b1-47c2-a6b4-150e1e0a697f',
    deploymentState: 'Deployed',
    messages: ['service "BradSB1E1" not found on the Live Platform', V2_PROGRESS],
    attempts: 1,
    durationMs: 313,
  }),
];

describe('results workbook for an auditor', () => {
  it("splits the platform's v2 progress text into one message per line, and leaves other text alone", () => {
    expect(readableMessage(V2_PROGRESS)).toBe(
      [
        'Information: MsTenantid is valid',
        'Information: Customer data created!',
        'Information: SBC sbc-onboarding done for site BradSB1E1.',
        'Information: Site created in Ovoc',
      ].join('\n'),
    );
    expect(readableMessage('(see row 3)')).toBe('(see row 3)');
    expect(readableMessage('found on the platform as x')).toBe('found on the platform as x');
  });

  it('sizes columns to be read: whole GUIDs, wide messages on one line, input columns as wide as their values', async () => {
    const path = join(dir, 'book.results.xlsx');
    const redactor = createRedactor([PASSWORD]);
    const rows = rowResults(sheets, results, [], []);
    const summary = buildSummary({
      runId: 'run-readable',
      command: 'apply',
      startedAt: '2026-11-26T10:00:00.000Z',
      endedAt: '2026-11-26T10:00:05.000Z',
      lpsyncVersion: '9.9.9',
      baseUrl: 'http://127.0.0.1:1/tenantui',
      inputFiles: [{ file: 'book.xlsx', sha256: 'ab'.repeat(32) }],
      rows,
      apply: { records: results, stoppedBy: null },
      drift: 0,
      reportPath: path,
    });
    await writeResultsWorkbook(path, { sheets, results: rows, summary, drift: [], issues: [], redactor });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);

    const customers = book.getWorksheet('Customers')!;
    const column = (name: string) => {
      const headers = (customers.getRow(1).values as unknown[]).slice(1);
      return customers.getColumn(headers.indexOf(name) + 1);
    };
    expect(column('MS Tenant Id').width).toBeGreaterThanOrEqual(TENANT.length);
    // A secret column is sized by its header, never by the secret's length.
    expect(column('Carrier Password').width).toBeLessThan(PASSWORD.length);
    for (const guid of ['Customer GUID', 'Site GUID']) expect(column(guid).width).toBeGreaterThanOrEqual(36);
    expect(column('Messages').width).toBeGreaterThanOrEqual(60);

    // The last column, one message after another on one line: it runs on into the empty cells to its right.
    const header = (customers.getRow(1).values as unknown[]).slice(1);
    expect(header.at(-1)).toBe('Messages');
    const messages = customers.getRow(2).getCell(header.length);
    expect(messages.value).toBe(
      'service "BradSB1E1" not found on the Live Platform · Information: MsTenantid is valid · Information: Customer data created! · Information: SBC sbc-onboarding done for site BradSB1E1. · Information: Site created in Ovoc',
    );
    expect(messages.alignment?.wrapText).toBeFalsy();

    const summarySheet = book.getWorksheet('Summary')!;
    const longestItem = Math.max(
      ...summarySheet
        .getColumn(1)
        .values.filter(() => true)
        .map((v) => textOf(v ?? '').length),
    );
    expect(summarySheet.getColumn(1).width).toBeGreaterThanOrEqual(longestItem);
    // The input file's hash and name fit without widening the column.
    expect(summarySheet.getColumn(2).width).toBeGreaterThanOrEqual(64 + 2 + 'book.xlsx'.length);
    const pairs = new Map<string, unknown>();
    summarySheet.eachRow((row, n) => n > 1 && pairs.set(textOf(row.getCell(1).value), row.getCell(2).value));
    expect(pairs.get('Run ended')).toBe('finished');
  });

  it('the console summary points at the report when rows need a look, and says nothing when all is well', () => {
    const failed: ActionRecord = { ...results[0]!, status: 'failed', error: '400: shortName is taken' };
    const summaryOf = (r: ActionRecord) =>
      buildSummary({
        runId: 'run-x',
        command: 'apply',
        startedAt: 's',
        endedAt: 'e',
        lpsyncVersion: '1',
        baseUrl: 'http://127.0.0.1',
        inputFiles: [],
        rows: rowResults(sheets, [r], [], []),
        apply: { records: [r], stoppedBy: null },
        drift: 0,
        reportPath: 'reports/x.results.xlsx',
      });
    expect(summaryText(summaryOf(failed))).toContain(
      '1 row(s) need a look (failed, unknown, invalid or conflict): the Status, Messages and Error columns of the report say why.',
    );
    expect(summaryText(summaryOf(results[0]!))).not.toContain('need a look');
  });
});
