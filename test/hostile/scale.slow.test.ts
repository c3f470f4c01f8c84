/**
 * Sizes that used to crash or run out of memory: issue counts past what a spread into
 * Math.max takes as arguments, and one short name filled down 20,000 rows.
 */
import { describe, expect, it } from 'vitest';
import { crossRowIssues, type RowKey } from '../../src/model/cross-rows.js';
import { formatIssueTable } from '../../src/model/issue-table.js';
import type { InputIssue } from '../../src/model/issues.js';

describe('the issue table and duplicate messages stay linear', () => {
  it('formats 130,000 issues (Math.max(...130k) threw RangeError: Maximum call stack size exceeded)', () => {
    const issues: InputIssue[] = Array.from({ length: 130_000 }, (_, i) => ({
      severity: 'error',
      rule: 'integer',
      message: 'expected a whole number',
      file: 'big.xlsx',
      sheet: 'Customers',
      row: i + 2,
      column: 'SBC Id',
      value: 'x',
    }));
    const table = formatIssueTable(issues);
    expect(table.split('\n')).toHaveLength(130_000 + 4);
    expect(table.endsWith('130000 errors, 0 warnings')).toBe(true);
  });

  it('one short name on 20,000 rows: one message per key, naming the count and the first rows', () => {
    const rows: RowKey[] = Array.from({ length: 20_000 }, (_, i) => ({
      origin: { file: 'fill.xlsx', sheet: 'Customers', row: i + 2 },
      customer: { text: 'Filled1', column: 'Short Name' },
      site: { text: 'Filled1', column: 'Short Name' },
    }));
    const issues = crossRowIssues(rows, []);
    expect(issues).toHaveLength(20_000);
    const messages = new Set(issues.map((i) => i.message));
    expect([...messages]).toEqual([
      'short name Filled1 is on 20,000 rows (letter case ignored): Customers rows 2, 3, 4, 5, 6 and 19,995 more; each customer needs one row',
    ]);
  });
});
