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

  it('says so when there is nothing to report', () => {
    expect(formatIssueTable([])).toBe('No errors, no warnings.');
    expect(countLine([issues[1]!])).toBe('1 error, 0 warnings');
  });

  it('the JSON document counts and carries the issues', () => {
    expect(issuesDocument(issues)).toEqual({ ok: false, errors: 2, warnings: 1, issues });
    expect(issuesDocument([issues[0]!]).ok).toBe(true);
  });
});
