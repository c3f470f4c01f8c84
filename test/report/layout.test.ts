import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/model/redact.js';
import { LINE_HEIGHT, linesIn, MAX_ROW_HEIGHT, rowHeight } from '../../src/report/layout.js';
import { originKey, type ResultsWorkbookInput } from '../../src/report/types.js';
import { writeResultsWorkbook } from '../../src/report/workbook.js';
import { rowResult, runSummary } from '../support/results-input.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('linesIn: the lines a wrapped cell holds', () => {
  it('is one line for text that fits, and counts the line breaks', () => {
    expect(linesIn('service "Cust1" not found', 70)).toBe(1);
    expect(linesIn('one\ntwo\nthree', 70)).toBe(3);
  });

  it('breaks a long line at spaces within the width, and cuts a word longer than the width', () => {
    // 10 words of 9 characters: 8 words and their spaces take 79 of a 69-character line.
    const words = Array.from({ length: 10 }, (_, i) => `word${i}abcd`).join(' ');
    expect(linesIn(words, 70)).toBe(2);
    expect(linesIn('x'.repeat(200), 50)).toBe(5);
    expect(linesIn(`${'y'.repeat(30)} ${'z'.repeat(30)}`, 45)).toBe(2);
  });

  it('sizes a row at 15 pt a line, the default for one line, at most Excel’s 409 pt', () => {
    expect(rowHeight(1)).toBeUndefined();
    expect(rowHeight(3)).toBe(3 * LINE_HEIGHT);
    expect(rowHeight(1000)).toBe(MAX_ROW_HEIGHT);
  });
});

const result = rowResult;

describe('the results workbook as printed and as a person reads it', () => {
  const path = join(dir, 'layout.results.xlsx');
  const origin = (row: number) => ({ file: 'book.xlsx', sheet: 'Customers', row });
  const longError = `HTTP 400 from POST /api/v2/customer: ${'the platform explains at length why not; '.repeat(4)}`;
  const input: ResultsWorkbookInput = {
    sheets: [
      {
        file: 'book.xlsx',
        sheet: 'Customers',
        headers: ['Short Name', 'SBC Onboarding Script'],
        rows: [2, 3, 4, 5].map((row) => ({
          origin: origin(row),
          values: { 'Short Name': `Cust${row}`, 'SBC Onboarding Script': '7' },
        })),
      },
    ],
    results: new Map([
      [originKey(origin(2)), result({ messages: ['service "Cust2" not found on the Live Platform'] })],
      [originKey(origin(3)), result({ messages: ['first', 'second', 'third', 'fourth'] })],
      [originKey(origin(4)), result({ status: 'failed', messages: ['one'], error: longError })],
      [originKey(origin(5)), result({ messages: ['(Information, A);(Information, B);(Warning, C)'] })],
    ]),
    summary: runSummary({
      runId: 'run-layout',
      rows: 4,
      byStatus: { succeeded: 3, failed: 1 },
      byAction: { 'create-customer': 4 },
      drift: 1,
    }),
    drift: [
      {
        kind: 'site',
        customerShortName: 'Old1',
        customerGuid: 'g-1',
        siteName: 'Made by hand',
        siteId: 's-1',
        message: `SIP connection "Made by hand" of service "Old1" is on the Live Platform but not in the sheet; left alone`,
      },
    ],
    issues: [
      {
        severity: 'error',
        file: '/home/someone/Migration/Customers for the March wave (final, v7).xlsx',
        sheet: 'SipConnections',
        row: 1234,
        column: 'Carrier Main Line',
        rule: 'phone-e164',
        message: 'a phone number is + and 2 to 15 digits',
        value: '+32 2 123',
      },
    ],
    redactor: createRedactor(),
  };

  const parts: Record<string, string> = {};
  beforeAll(async () => {
    await writeResultsWorkbook(path, input);
    const zip = await JSZip.loadAsync(readFileSync(path));
    for (const name of Object.keys(zip.files)) parts[name] = await zip.files[name]!.async('string');
  });

  const sheets = () => Object.keys(parts).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  /** `<row …>` attributes of row `r` of a sheet part. */
  const rowTag = (sheet: string, r: number) =>
    new RegExp(`<row r="${r}"[^>]*>`).exec(parts[sheet]!)?.[0] ?? '';
  const height = (sheet: string, r: number) => /\sht="([\d.]+)"/.exec(rowTag(sheet, r))?.[1];
  /** The alignment of the style a cell uses, from styles.xml. */
  const cellAlignment = (sheet: string, ref: string) => {
    const s = new RegExp(`<c r="${ref}"[^>]*\\ss="(\\d+)"`).exec(parts[sheet]!)?.[1];
    const xfs = /<cellXfs[^>]*>(.*?)<\/cellXfs>/s
      .exec(parts['xl/styles.xml']!)![1]!
      .match(/<xf [^>]*?(\/>|>.*?<\/xf>)/gs)!;
    return s === undefined ? '' : (/<alignment[^>]*>/.exec(xfs[Number(s)]!)?.[0] ?? '');
  };

  it('prints every sheet landscape on A4 by default, one page wide (fitToPage set), as many pages tall as needed', () => {
    expect(sheets()).toHaveLength(4);
    for (const sheet of sheets()) {
      expect(parts[sheet]).toContain('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
      const setup = /<pageSetup [^>]*>/.exec(parts[sheet]!)![0];
      expect(setup).toContain('orientation="landscape"');
      expect(setup).toContain('paperSize="9"');
      expect(setup).toContain('fitToWidth="1"');
      expect(setup).toContain('fitToHeight="0"');
    }
  });

  it("names the sheet and the page in every page's footer", () => {
    for (const sheet of sheets())
      expect(parts[sheet]).toContain('<oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter>');
  });

  it('prints only the key and the outcome of an input sheet: Short Name, Action, Status, Error', () => {
    const areas = parts['xl/workbook.xml']!.match(/<definedName name="_xlnm.Print_Area"[^>]*>[^<]*/g) ?? [];
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatch(/>&apos;Customers&apos;!\$A\$1:\$D\$5$/);
    const header = [
      ...parts['xl/worksheets/sheet1.xml']!.matchAll(/<c r="([A-D])1"[^>]*><is><t[^>]*>([^<]*)/g),
    ];
    expect(header.map((m) => m[2])).toEqual(['Short Name', 'Action', 'Status', 'Error']);
  });

  it('prints on Letter when asked (the CLI asks for an en_US or en_CA locale)', async () => {
    const letter = join(dir, 'letter.results.xlsx');
    await writeResultsWorkbook(letter, input, { paper: 'Letter' });
    const zip = await JSZip.loadAsync(readFileSync(letter));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(/<pageSetup [^>]*>/.exec(sheet)![0]).toContain('paperSize="1"');
  });

  it('repeats the header row on every printed page of every sheet', () => {
    const titles =
      parts['xl/workbook.xml']!.match(/<definedName name="_xlnm.Print_Titles"[^>]*>[^<]*/g) ?? [];
    expect(titles).toHaveLength(4);
    for (const t of titles) expect(t).toMatch(/!\$1:\$1$/);
  });

  it('makes a row as tall as the lines its Error holds; the messages run on one line and leave rows short', () => {
    const results = 'xl/worksheets/sheet1.xml';
    expect(height(results, 2)).toBeUndefined();
    // Four messages: one line, the last column, so it runs on into the empty cells to its right.
    expect(height(results, 3)).toBeUndefined();
    // One message, and an error of ~190 characters in a 50-wide column: 4 or more lines.
    expect(Number(height(results, 4))).toBeGreaterThanOrEqual(4 * LINE_HEIGHT);
    expect(rowTag(results, 4)).toContain('customHeight="1"');
    expect(height(results, 5)).toBeUndefined();
    // Error (D) wraps; the other cells of a tall row sit at the top; Messages (K, last) do not wrap.
    expect(cellAlignment(results, 'D4')).toContain('wrapText="1"');
    expect(cellAlignment(results, 'A4')).toContain('vertical="top"');
    expect(cellAlignment(results, 'K3')).not.toContain('wrapText');
    expect(parts[results]).toMatch(/<c r="K3"[^>]*><is><t[^>]*>first · second · third · fourth<\/t>/);
  });

  it('wraps a header longer than its column and makes the header row as tall', () => {
    const results = 'xl/worksheets/sheet1.xml';
    // "SBC Onboarding Script" (E, after the key and the outcome) over one-digit numbers: as wide as "Onboarding", 3 lines.
    expect(/<col min="5" max="5" width="12"/.test(parts[results]!)).toBe(true);
    expect(height(results, 1)).toBe(String(3 * LINE_HEIGHT));
    expect(cellAlignment(results, 'E1')).toContain('wrapText="1"');
  });

  it('wraps the Place of an issue and the message of a drift item instead of cutting them', () => {
    const [, , drift, issues] = sheets().sort();
    expect(cellAlignment(issues!, 'B2')).toContain('wrapText="1"');
    expect(Number(height(issues!, 2))).toBeGreaterThanOrEqual(2 * LINE_HEIGHT);
    expect(cellAlignment(drift!, 'F2')).toContain('wrapText="1"');
    expect(Number(height(drift!, 2))).toBeGreaterThanOrEqual(2 * LINE_HEIGHT);
  });
});
