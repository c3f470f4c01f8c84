/**
 * A results workbook's input for reader tests: a Customers sheet whose rows hold hostile text (control
 * characters XML 1.0 forbids, lone surrogates, markup, a carriage return, formula-looking text, a text
 * longer than a cell holds), a failed row, and as many plain rows as asked; with what each cell must
 * read back as.
 */
import { createRedactor } from '../../src/model/redact.js';
import {
  originKey,
  type ResultsWorkbookInput,
  type RowResult,
  type RunSummary,
} from '../../src/report/types.js';

export const HOSTILE = 'a\u0001b\u0008c\u000bd\u001fe\u007ff\ud800g\udc00h]]>i<j&k"l\'m\tn\ro\ufffep\uffff😀';
/** What it reads back as: the forbidden characters left out (as exceljs left them), lone halves U+FFFD. */
export const HOSTILE_READ = 'abcdef\ufffdg\ufffdh]]>i<j&k"l\'m\tn\rop😀';
export const FORMULA_LIKE = ['=1+2', '+44 1234', '-1+2', '@SUM(A1:A2)', '=HYPERLINK("http://x","y")'];
export const LONG = `${'y'.repeat(40_000)}`;
export const SECRET = 'Pw-Secret-77';

const origin = (row: number) => ({ file: 'book.xlsx', sheet: 'Customers', row });

/** A row's result: a customer created at the first attempt, and what `partial` says. */
export function rowResult(partial: Partial<RowResult>): RowResult {
  return {
    action: 'create-customer',
    status: 'succeeded',
    customerGuid: null,
    siteGuid: null,
    deploymentState: null,
    messages: [],
    error: null,
    attempts: 1,
    durationMs: 10,
    ...partial,
  };
}

/** A finished apply's summary, of one input file, and what `partial` says. */
export function runSummary(partial: Partial<RunSummary>): RunSummary {
  return {
    runId: 'run',
    command: 'apply',
    dryRun: false,
    startedAt: '2026-11-27T02:15:00.000Z',
    endedAt: '2026-11-27T02:16:00.000Z',
    lpsyncVersion: '0.1.0',
    baseUrl: 'http://127.0.0.1:8080',
    inputFiles: [{ file: 'book.xlsx', sha256: '0'.repeat(64) }],
    rows: 0,
    byStatus: {},
    byAction: {},
    byActionStatus: {},
    drift: 0,
    stoppedBy: null,
    fatalError: null,
    scope: { mode: 'upsert', only: [], limit: null },
    plan: null,
    resumeCommand: null,
    reportPath: null,
    ...partial,
  };
}

/** Row 2 hostile, rows 3–7 formula-looking, row 8 long and failed, then `plain` plain rows. */
export function hostileInput(plain = 0): ResultsWorkbookInput {
  const texts = [HOSTILE, ...FORMULA_LIKE, LONG];
  const rows = [...texts, ...Array.from({ length: plain }, (_, i) => `Plain customer ${i} `.repeat(3))];
  const results = new Map<string, RowResult>();
  const sheetRows = rows.map((text, i) => {
    const o = origin(i + 2);
    const failed = text === LONG;
    results.set(
      originKey(o),
      rowResult({
        customerGuid: '11111111-2222-3333-4444-555555555555',
        ...(failed
          ? { status: 'failed', error: `400: carrier password ${SECRET} rejected: ${text}` }
          : { messages: [`(Information, ${text.slice(0, 50)})`] }),
      }),
    );
    return {
      origin: o,
      values: {
        'Short Name': `Cust${i + 2}`,
        'Full Name': text,
        'SBC Id': String(i),
        'Carrier Password': SECRET,
      },
    };
  });
  return {
    sheets: [
      {
        file: 'book.xlsx',
        sheet: 'Customers',
        headers: ['Short Name', 'Full Name', 'SBC Id', 'Carrier Password'],
        rows: sheetRows,
      },
    ],
    results,
    summary: runSummary({
      runId: 'run-hostile',
      startedAt: '2026-12-07T05:00:00.000Z',
      endedAt: '2026-12-07T05:01:00.000Z',
      rows: rows.length,
      byStatus: { succeeded: rows.length - 1, failed: 1 },
      byAction: { 'create-customer': rows.length },
    }),
    drift: [],
    issues: [
      {
        severity: 'error',
        file: 'book.xlsx',
        sheet: 'Customers',
        row: 2,
        column: 'Full Name',
        rule: 'control-character',
        message: `unsafe text ${HOSTILE}`,
        value: HOSTILE,
      },
    ],
    redactor: createRedactor([SECRET]),
  };
}
