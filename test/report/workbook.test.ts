import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../src/model/action-record.js';
import { createRedactor } from '../../src/model/redact.js';
import { rowResults } from '../../src/report/row-results.js';
import { buildSummary, summaryJsonPath, summaryLine, writeSummaryJson } from '../../src/report/summary.js';
import type { ReportSheet } from '../../src/report/types.js';
import {
  asNumber,
  fitCell,
  MAX_CELL_TEXT,
  RESULT_COLUMNS,
  writeResultsWorkbook,
} from '../../src/report/workbook.js';
import { textOf } from '../../src/model/text.js';
import { NO_DRIFT, NO_ISSUES } from '../../src/report/list-sheets.js';
import { recordOf } from '../support/records.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'Site2#%00500';
const DPI = 'DpiSecret-991';
const APP_SECRET = 'qos~App~Secret~123';

const sheets: ReportSheet[] = [
  {
    file: 'book.xlsx',
    sheet: 'Customers',
    headers: ['License', 'Short Name', 'Full Name', 'Carrier Password', 'Teams QoS Application Secret'],
    rows: [
      {
        origin: { file: 'book.xlsx', sheet: 'Customers', row: 2 },
        values: {
          License: 'Essentials',
          'Short Name': 'AlphaCo',
          'Full Name': '=HYPERLINK("http://x","y")',
          'Carrier Password': PASSWORD,
        },
      },
      {
        origin: { file: 'book.xlsx', sheet: 'Customers', row: 3 },
        values: {
          License: 'OC Essentials',
          'Short Name': 'BetaOc',
          'Full Name': '+44 1234',
          'Teams QoS Application Secret': APP_SECRET,
        },
      },
      {
        origin: { file: 'book.xlsx', sheet: 'Customers', row: 4 },
        values: { License: 'Essentials', 'Short Name': 'bad name', 'Full Name': '@SUM(A1:A2)' },
      },
    ],
  },
  {
    file: 'book.xlsx',
    sheet: 'SipConnections',
    headers: [
      'Customer Short Name',
      'Site Name',
      'Carrier Password DPI',
      'Dial Plan Name',
      'SBC Id',
      'Carrier Main Line',
      'LC Customer Id',
      'Channel Id',
    ],
    rows: [
      {
        origin: { file: 'book.xlsx', sheet: 'SipConnections', row: 2 },
        values: {
          'Customer Short Name': 'AlphaCo',
          'Site Name': 'AlphaSite2',
          'Carrier Password DPI': DPI,
          'Dial Plan Name': '-1+2',
          'SBC Id': '5',
          'Carrier Main Line': '+3227001010',
          'LC Customer Id': '1317027',
          'Channel Id': '0042',
        },
      },
    ],
  },
];

const result = (actionId: string, row: number, sheet: string, extra: Partial<ActionRecord>): ActionRecord =>
  recordOf({
    runId: 'run-x',
    actionId,
    rows: [{ file: 'book.xlsx', sheet, row }],
    customerShortName: actionId,
    status: 'succeeded',
    customerGuid: '11111111-2222-3333-4444-555555555555',
    siteGuid: '11111111-2222-3333-4444-555555555555',
    deploymentState: 'Deployed',
    attempts: 1,
    durationMs: 12,
    ...extra,
  });

describe('writeResultsWorkbook', () => {
  const results = [
    result('customer:AlphaCo', 2, 'Customers', {}),
    // An error that echoes a secret must come out masked.
    result('customer:BetaOc', 3, 'Customers', {
      kind: 'create-oc-service',
      status: 'failed',
      error: `400: applicationPassword ${APP_SECRET} rejected`,
    }),
    result('site:AlphaCo/AlphaSite2', 2, 'SipConnections', {
      kind: 'add-site',
      messages: [`sent with ${DPI}`],
    }),
  ];
  const issues = [
    {
      severity: 'error' as const,
      rule: 'short-name-characters' as const,
      message: 'Short Name must not contain blank spaces',
      file: 'book.xlsx',
      sheet: 'Customers',
      row: 4,
      column: 'Short Name',
      value: 'bad name',
    },
  ];
  const redactor = createRedactor([PASSWORD, DPI, APP_SECRET]);
  const rows = rowResults(sheets, results, [{ file: 'book.xlsx', sheet: 'Customers', row: 4 }], issues);
  const summary = buildSummary({
    runId: 'run-test',
    command: 'apply',
    startedAt: '2026-11-26T10:00:00.000Z',
    endedAt: '2026-11-26T10:00:05.000Z',
    lpsyncVersion: '9.9.9',
    baseUrl: 'http://127.0.0.1:1/tenantui',
    inputFiles: [{ file: 'book.xlsx', sha256: 'ab'.repeat(32) }],
    rows,
    apply: { records: results, stoppedBy: null },
    drift: 1,
    reportPath: join(dir, 'book.results.xlsx'),
  });
  const path = join(dir, 'book.results.xlsx');
  const drift = [
    {
      kind: 'service' as const,
      customerShortName: 'OldCo',
      customerGuid: 'g-old',
      message: 'service OldCo is not in the sheet',
    },
  ];

  it('re-reads with one result row per input row, the result columns, frozen header, filter and colours', async () => {
    await writeResultsWorkbook(path, { sheets, results: rows, summary, drift, issues, redactor });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Customers',
      'SipConnections',
      'Summary',
      'Drift',
      'Issues',
    ]);

    const customers = book.getWorksheet('Customers')!;
    const header = (customers.getRow(1).values as unknown[]).slice(1);
    // The key, then the outcome beside it, then the other input columns as they were, then the details.
    expect(header).toEqual([
      'Short Name',
      'Action',
      'Status',
      'Error',
      'License',
      'Full Name',
      'Carrier Password',
      'Teams QoS Application Secret',
      'Customer GUID',
      'Site GUID',
      'Deployment State',
      'Attempts',
      'Duration (ms)',
      'Messages',
    ]);
    expect(new Set(header)).toEqual(new Set([...sheets[0]!.headers, ...RESULT_COLUMNS]));
    expect(customers.actualRowCount).toBe(1 + sheets[0]!.rows.length);
    // The key column and the header row stay in view.
    expect(customers.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(customers.autoFilter).toBeTruthy();
    const cell = (r: number, name: string) => customers.getRow(r).getCell(header.indexOf(name) + 1);
    expect([2, 3, 4].map((r) => cell(r, 'Status').value)).toEqual(['succeeded', 'failed', 'invalid']);
    expect((cell(2, 'Status').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFC6EFCE');
    expect((cell(3, 'Status').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    // The invalid row carries its validation error.
    expect(cell(4, 'Error').value).toMatch(/Short Name: Short Name must not contain blank spaces/);
    // Every input value is there, under its header; secret columns masked; formula-looking text stays text.
    expect([2, 3, 4].map((r) => cell(r, 'Short Name').value)).toEqual(['AlphaCo', 'BetaOc', 'bad name']);
    expect([2, 3, 4].map((r) => cell(r, 'License').value)).toEqual([
      'Essentials',
      'OC Essentials',
      'Essentials',
    ]);
    expect(cell(2, 'Carrier Password').value).toBe('***');
    expect(cell(3, 'Teams QoS Application Secret').value).toBe('***');
    expect(cell(2, 'Full Name').value).toBe('=HYPERLINK("http://x","y")');
    expect(cell(3, 'Full Name').value).toBe('+44 1234');
    expect(cell(4, 'Full Name').value).toBe('@SUM(A1:A2)');

    const sites = book.getWorksheet('SipConnections')!;
    const siteHeader = (sites.getRow(1).values as unknown[]).slice(1);
    expect(siteHeader.slice(0, 5)).toEqual(['Customer Short Name', 'Site Name', 'Action', 'Status', 'Error']);
    expect(sites.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 1 });
    expect(sites.actualRowCount).toBe(2);
    const site = (name: string) => sites.getRow(2).getCell(siteHeader.indexOf(name) + 1).value;
    expect(site('Carrier Password DPI')).toBe('***');
    expect(site('Dial Plan Name')).toBe('-1+2');
    expect(site('Site Name')).toBe('AlphaSite2');

    let formulas = 0;
    for (const ws of book.worksheets)
      ws.eachRow((row) =>
        row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && formulas++)),
      );
    expect(formulas).toBe(0);

    const summarySheet = book.getWorksheet('Summary')!;
    const pairs = new Map<string, unknown>();
    summarySheet.eachRow((row, n) => n > 1 && pairs.set(textOf(row.getCell(1).value), row.getCell(2).value));
    expect(pairs.get('Run id')).toBe('run-test');
    expect(pairs.get('lpsync version')).toBe('9.9.9');
    expect(pairs.get('Live Platform base URL')).toBe('http://127.0.0.1:1/tenantui');
    expect(String(pairs.get('Input file SHA-256'))).toContain('ab'.repeat(32));
    expect(book.getWorksheet('Drift')!.getRow(2).getCell(2).value).toBe('OldCo');
  });

  it('says "no drift" and "no issues" in a sentence instead of an empty table', async () => {
    const file = join(dir, 'clean.results.xlsx');
    await writeResultsWorkbook(file, { sheets, results: rows, summary, drift: [], issues: [], redactor });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    for (const [name, note] of [
      ['Drift', NO_DRIFT],
      ['Issues', NO_ISSUES],
    ] as const) {
      const ws = book.getWorksheet(name)!;
      expect(ws.actualRowCount).toBe(1);
      expect(ws.getRow(1).getCell(1).value).toBe(note);
    }
  });

  it('holds no secret value anywhere in the file and no formula element', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path));
    let xml = '';
    for (const name of Object.keys(zip.files)) xml += await zip.files[name]!.async('string');
    for (const secret of [PASSWORD, DPI, APP_SECRET]) expect(xml).not.toContain(secret);
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it('writes the JSON summary beside it and a one-line count', () => {
    writeSummaryJson(summaryJsonPath(path), summary, redactor);
    const json = JSON.parse(readFileSync(join(dir, 'book.results.summary.json'), 'utf8'));
    expect(json).toMatchObject({
      runId: 'run-test',
      rows: 4,
      byStatus: { succeeded: 2, failed: 1, invalid: 1 },
      exitCode: 1,
    });
    expect(summaryLine(summary)).toBe(
      'Apply: 1 created, 1 added, 0 modified, 1 failed, 0 unchanged, 1 invalid (4 rows)',
    );
  });
});

describe('input cells in the results workbook', () => {
  it('numbers read as numbers are written back as numbers; leading zeros, phones and long ids stay text', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'book.results.xlsx'));
    const ws = book.getWorksheet('SipConnections')!;
    const header = ws.getRow(1).values as unknown[];
    const cell = (name: string) => ws.getRow(2).getCell(header.indexOf(name)).value;
    expect(cell('SBC Id')).toBe(5);
    expect(cell('LC Customer Id')).toBe(1317027);
    expect(cell('Carrier Main Line')).toBe('+3227001010');
    expect(cell('Channel Id')).toBe('0042');
    expect(cell('Dial Plan Name')).toBe('-1+2');
    expect([asNumber('-2.5'), asNumber('1e5'), asNumber('12345678901234567'), asNumber('0.10')]).toEqual([
      -2.5,
      null,
      null,
      null,
    ]);
  });
});

describe('long texts', () => {
  it('a text longer than an Excel cell holds is cut, saying so', () => {
    expect(fitCell('short')).toBe('short');
    const cut = fitCell('x'.repeat(MAX_CELL_TEXT + 10));
    expect(cut).toHaveLength(MAX_CELL_TEXT);
    expect(cut.endsWith('… (truncated)')).toBe(true);
  });

  it('the workbook never holds a cell longer than Excel allows', async () => {
    const one: ReportSheet[] = [{ ...sheets[1]!, rows: sheets[1]!.rows.slice(0, 1) }];
    const long = [result('site:AlphaCo/AlphaSite2', 2, 'SipConnections', { messages: ['m'.repeat(40_000)] })];
    const rows = rowResults(one, long, [], []);
    const file = join(dir, 'long.results.xlsx');
    await writeResultsWorkbook(file, {
      sheets: one,
      results: rows,
      summary: buildSummary({
        runId: 'run-long',
        command: 'apply',
        startedAt: 'a',
        endedAt: 'b',
        lpsyncVersion: '0',
        baseUrl: 'http://127.0.0.1:1',
        inputFiles: [],
        rows,
        apply: { records: long, stoppedBy: null },
        drift: 0,
        reportPath: file,
      }),
      drift: [],
      issues: [],
      redactor: createRedactor(),
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.getWorksheet('SipConnections')!;
    const messages = ws.getRow(2).getCell((ws.getRow(1).values as unknown[]).indexOf('Messages')).value;
    expect(textOf(messages)).toHaveLength(MAX_CELL_TEXT);
  });
});
