import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// jszip comes with exceljs; only this test uses it, to reorder the parts of a workbook.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeXlsx } from './helpers.js';

/** Rewrites a workbook with its parts in the given order (the rest after them, as they were). */
async function reorder(source: string, target: string, first: (name: string) => number): Promise<string[]> {
  const zip = await JSZip.loadAsync(await readFile(source));
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  names.sort((a, b) => first(a) - first(b));
  const out = new JSZip();
  for (const name of names) out.file(name, await zip.file(name)!.async('uint8array'));
  await writeFile(target, await out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return names;
}

describe('the order of the parts inside the .xlsx zip', () => {
  const sheets = [
    {
      name: 'Customers',
      rows: [
        [...ESSENTIALS_HEADERS, 'Full Name'],
        [...essentialsRow('Order1'), 'Shared text'],
      ],
    },
    {
      name: 'SipConnections',
      rows: [
        ['Customer Short Name', 'Site Name'],
        ['Order1', 'Shared text'],
      ],
    },
  ];

  it('reads the same whether worksheets come before or after the shared strings and workbook', async () => {
    const dir = await tempDir();
    const written = await writeXlsx(join(dir, 'as-written.xlsx'), sheets);
    // Workbook, relationships, styles and shared strings first: sheets stream without temp files.
    const early = (n: string) =>
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/sharedStrings.xml',
      ].indexOf(n) + 1 || 99;
    const order = await reorder(written, join(dir, 'early.xlsx'), early);
    expect(order.indexOf('xl/sharedStrings.xml')).toBeLessThan(order.indexOf('xl/worksheets/sheet1.xml'));
    // Worksheets first, shared strings and workbook last: sheets are spooled, then read.
    const late = (n: string) =>
      n.startsWith('xl/worksheets/') ? 0 : n === 'xl/workbook.xml' || n === 'xl/sharedStrings.xml' ? 2 : 1;
    await reorder(written, join(dir, 'late.xlsx'), late);

    const results = await Promise.all(
      ['as-written.xlsx', 'early.xlsx', 'late.xlsx'].map((name) =>
        loadWorkbook({ kind: 'xlsx', path: join(dir, name) }),
      ),
    );
    for (const loaded of results) {
      expect(loaded.issues).toEqual([]);
      expect(loaded.rows.customers.map((c) => [c.shortName, c.fullName])).toEqual([
        ['Order1', 'Shared text'],
      ]);
      expect(loaded.rows.sites.map((s) => s.siteName)).toEqual(['Shared text']);
    }
  });
});
