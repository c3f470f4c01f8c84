import { describe, expect, it } from 'vitest';
import { countLine, formatIssueTable, issuesDocument } from '../../src/model/issue-table.js';
import type { InputIssue } from '../../src/model/issues.js';

const issues: InputIssue[] = [
  {
    severity: 'warning',
    rule: 'customer-not-in-sheet',
    message: 'customer X1 is not in the Customers sheet',
    file: 'a.xlsx',
    sheet: 'SipConnections',
    row: 3,
    column: 'Customer Short Name',
    value: 'X1',
  },
  {
    severity: 'error',
    rule: 'integer',
    message: 'expected a whole number, got "7.5"',
    file: 'a.xlsx',
    sheet: 'Customers',
    row: 2,
    column: 'SBC Id',
    value: '7.5',
  },
  {
    severity: 'error',
    rule: 'unknown-type',
    message: 'Type must be\nCustomer or SipConnection',
    file: 'b.csv',
    row: 4,
    column: 'Type',
  },
];

describe('issue table', () => {
  it('lists errors first with every column, then the count', () => {
    const lines = formatIssueTable(issues).split('\n');
    expect(lines[0]).toMatch(/^SEVERITY +FILE +SHEET +ROW +COLUMN +RULE +MESSAGE +VALUE$/);
    expect(lines[2]).toMatch(
      /^error +a\.xlsx +Customers +2 +SBC Id +integer +expected a whole number, got "7\.5" +7\.5$/,
    );
    expect(lines[3]).toMatch(
      /^error +b\.csv +4 +Type +unknown-type +Type must be Customer or SipConnection$/,
    );
    expect(lines[4]).toMatch(
      /^warning +a\.xlsx +SipConnections +3 +Customer Short Name +customer-not-in-sheet/,
    );
    expect(lines.at(-1)).toBe('2 errors, 1 warning');
  });

  it('fits an 80-column terminal: each issue on a few lines under its file, nothing wider than 80', () => {
    const long: InputIssue = { ...issues[1]!, message: 'word '.repeat(40).trim(), value: 'v'.repeat(200) };
    const text = formatIssueTable([...issues, long], { width: 80 });
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.slice(0, 4)).toEqual([
      'a.xlsx',
      '  error   Customers, row 2, SBC Id  [integer]',
      '          expected a whole number, got "7.5"',
      '          value: 7.5',
    ]);
    expect(text).toContain(
      'b.csv\n  error   row 4, Type  [unknown-type]\n          Type must be Customer or SipConnection',
    );
    expect(text).toContain('\n  warning SipConnections, row 3, Customer Short Name  [customer-not-in-sheet]');
    expect(lines.at(-1)).toBe('3 errors, 1 warning');
  });

  it('into a file or a pipe (no width) cuts nothing: a long message keeps its advice at the end', () => {
    const advice = 'format the column as Text or Number (0 decimals) in Excel and export again';
    const long: InputIssue = { ...issues[1]!, message: `${'the digits are lost; '.repeat(8)}${advice}` };
    const text = formatIssueTable([long]);
    expect(text).toContain(long.message);
    expect(text).not.toContain('…');
  });

  it('fitted to a width, every word of the message and every character of the value are there, wrapped', () => {
    const value = `${'v'.repeat(150)} ${'w'.repeat(30)}`;
    const long: InputIssue = { ...issues[1]!, message: 'word '.repeat(40).trim(), value };
    const lines = formatIssueTable([long], { width: 60 }).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    const body = lines.filter((l) => l.startsWith(' '.repeat(10))).map((l) => l.trim());
    expect(body.join(' ')).toContain('word '.repeat(40).trim());
    const valueLines = body.slice(body.findIndex((l) => l.startsWith('value:')));
    expect(valueLines.join('').replace(/^value:\s?/, '')).toBe(value.replace(' ', ''));
  });

  it('keeps the one-line table when it fits the width', () => {
    expect(formatIssueTable([issues[1]!], { width: 200 })).toBe(formatIssueTable([issues[1]!]));
  });

  it('the JSON issues have one key order whatever built them', () => {
    const shuffled = {
      value: 'x',
      column: 'C',
      row: 2,
      sheet: 'Customers',
      file: 'f',
      message: 'm',
      rule: 'required',
      severity: 'error',
    } as InputIssue;
    expect(Object.keys(issuesDocument([shuffled]).issues[0]!)).toEqual([
      'severity',
      'file',
      'sheet',
      'row',
      'column',
      'rule',
      'message',
      'value',
    ]);
  });

  it('says so when there is nothing to report', () => {
    expect(formatIssueTable([])).toBe('No errors, no warnings.');
    expect(countLine([issues[1]!])).toBe('1 error, 0 warnings');
  });

  it('the JSON document counts and carries the issues', () => {
    expect(issuesDocument(issues)).toEqual({ ok: false, errors: 2, warnings: 1, issues });
    expect(issuesDocument([issues[0]!]).ok).toBe(true);
  });
});
