/**
 * Control characters and bidi overrides in names: refused, and never printed raw (an ESC in a
 * cell could drive the terminal; U+202E shows a name reversed).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/cli/commands/validate.js';
import { loadWorkbook } from '../../src/input/index.js';
import { formatIssueTable } from '../../src/model/issue-table.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeText, writeXlsx } from '../input/helpers.js';

// eslint-disable-next-line no-control-regex -- what must never be printed
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('control characters in names', () => {
  it('are refused in every field, named by code point, and printed as <U+XXXX>', async () => {
    const path = await writeXlsx(join(await tempDir(), 'ctl.xlsx'), [
      {
        name: 'Customers',
        rows: [
          [...ESSENTIALS_HEADERS, 'Full Name', 'Var:Note'],
          // XML cannot hold ESC or NUL: Excel writes them as _x001B_, _x0000_.
          [...essentialsRow('Esc1'), 'Evil_x001B_[31mRed', 'ok'],
          [...essentialsRow('Bidi1'), 'abc\u202Edcba', 'x_x0000_y'],
          [...essentialsRow('Fine1'), 'Line one\nLine two', 'tab\there'],
        ],
      },
      { name: 'Notes\u202e', rows: [['x']] },
    ]);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(loaded.issues.map((i) => [i.row, i.column, i.rule, i.value])).toEqual([
      [2, 'Full Name', 'control-character', 'Evil<U+001B>[31mRed'],
      [3, 'Full Name', 'control-character', 'abc<U+202E>dcba'],
      [3, 'Var:Note', 'control-character', 'x<U+0000>y'],
    ]);
    expect(loaded.issues[0]!.message).toContain('U+001B');
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['Fine1']);
    const table = formatIssueTable(loaded.issues);
    expect(table).not.toMatch(RAW);
    const json = await runValidate({ file: path, format: 'json' });
    expect(json.stdout).not.toMatch(RAW);
    expect(JSON.parse(json.stdout).issues).toHaveLength(3);
  });

  it('a CSV cell with a raw ESC is refused the same way', async () => {
    const path = await writeText(
      join(await tempDir(), 'ctl.csv'),
      `${ESSENTIALS_HEADERS.join(',')},Full Name\nEssentials,Csv1,5,7,700,Evil\u001b[2JX\n`,
    );
    const outcome = await runValidate({ customers: path, format: 'table' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toContain('Evil<U+001B>[2JX');
    expect(outcome.stdout).not.toMatch(RAW);
  });

  it('a sheet name with a bidi override is shown, not sent raw, in a refusal', async () => {
    const path = await writeXlsx(join(await tempDir(), 'sheetname.xlsx'), [
      { name: 'Evil\u202Ec', rows: [['x']] },
    ]);
    const outcome = await runValidate({ file: path, format: 'table' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('it has: Evil<U+202E>c');
    expect(outcome.stderr).not.toMatch(RAW);
  });
});
