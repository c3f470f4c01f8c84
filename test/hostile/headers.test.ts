/** A header too far down, a CSV split on the wrong delimiter, a sheet with headers only: one clear message each. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeText, writeXlsx } from '../input/helpers.js';

describe('where the header is, and whether there is anything under it', () => {
  it('a header on row 12 below 11 filled rows: one message saying where it was looked for, not one per cell', async () => {
    const notes = Array.from({ length: 11 }, (_, i) => [`Note ${i + 1}`, 'read me first']);
    const rows = Array.from({ length: 50 }, (_, i) => essentialsRow(`Late${i}`));
    const path = await writeXlsx(join(await tempDir(), 'late.xlsx'), [
      { name: 'Customers', rows: [...notes, ESSENTIALS_HEADERS, ...rows] },
    ]);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    const notFound = loaded.issues.filter((i) => i.rule === 'header-not-found');
    expect(notFound).toHaveLength(1);
    expect(notFound[0]!.message).toContain('in the first 10 non-blank rows');
    expect(notFound[0]).toMatchObject({ sheet: 'Customers', row: 1 });
    // Before: an error per cell of every row (26 KB for a real sheet).
    expect(loaded.issues.filter((i) => i.rule === 'value-in-rejected-column')).toEqual([]);
    expect(loaded.issues.length).toBeLessThan(5);
    expect(loaded.rows.customers).toEqual([]);
    expect(loaded.invalidRows.length).toBe(61);
  });

  it('a pipe-separated CSV: a hint about the delimiter', async () => {
    const path = await writeText(
      join(await tempDir(), 'pipe.csv'),
      `${ESSENTIALS_HEADERS.join('|')}\nEssentials|Pipe1|5|7|700\n`,
    );
    const loaded = await loadWorkbook({ kind: 'csv', customers: path });
    const hint = loaded.issues.find((i) => i.rule === 'csv-delimiter');
    expect(hint?.message).toContain('separated by "|"');
    expect(hint?.message).toContain('sep=|');
    expect(loaded.issues.filter((i) => i.rule === 'value-in-rejected-column')).toEqual([]);
  });

  it('headers and no rows: a warning that there is nothing to apply', async () => {
    const path = await writeXlsx(join(await tempDir(), 'empty.xlsx'), [
      { name: 'Customers', rows: [ESSENTIALS_HEADERS] },
      { name: 'SipConnections', rows: [['Customer Short Name', 'Site Name']] },
    ]);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(loaded.issues.map((i) => [i.severity, i.rule])).toEqual([['warning', 'nothing-to-apply']]);
    expect(loaded.issues[0]!.message).toContain('Customers and SipConnections have a header row but no rows');
  });
});
