import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputSourceFrom, loadWorkbook } from '../../src/input/index.js';
import { RunError, exitCodeFor, EXIT } from '../../src/model/errors.js';
import { tempDir, writeText, writeXlsx } from './helpers.js';

async function unreadable(promise: Promise<unknown>, text: string | RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunError);
  expect((error as RunError).code).toBe('unreadable-input');
  expect(exitCodeFor((error as RunError).code)).toBe(EXIT.invalid);
  expect((error as RunError).message).toMatch(text);
  return error as RunError;
}

describe('files that end the run with unreadable-input (exit 2), naming the file and the fault', () => {
  it('a corrupt .xlsx (not a zip)', async () => {
    const path = await writeText(
      join(await tempDir(), 'corrupt.xlsx'),
      'this is not a workbook at all\n'.repeat(20),
    );
    await unreadable(loadWorkbook({ kind: 'xlsx', path }), /corrupt\.xlsx: not a readable \.xlsx workbook/);
  });

  it('a truncated .xlsx', async () => {
    const dir = await tempDir();
    const good = await writeXlsx(join(dir, 'good.xlsx'), [
      { name: 'Customers', rows: [['Short Name'], ['Abc1']] },
    ]);
    const bytes = await readFile(good);
    const path = await writeText(
      join(dir, 'truncated.xlsx'),
      bytes.subarray(0, Math.floor(bytes.length / 2)),
    );
    await unreadable(loadWorkbook({ kind: 'xlsx', path }), /truncated\.xlsx/);
  });

  it('an empty file, xlsx or csv', async () => {
    const dir = await tempDir();
    const xlsx = await writeText(join(dir, 'empty.xlsx'), '');
    const csv = await writeText(join(dir, 'empty.csv'), '');
    await unreadable(loadWorkbook({ kind: 'xlsx', path: xlsx }), /empty\.xlsx: is empty/);
    await unreadable(loadWorkbook({ kind: 'csv', customers: csv }), /empty\.csv: is empty/);
  });

  it('a CSV with only a BOM and blank lines has no header', async () => {
    const path = await writeText(join(await tempDir(), 'blank.csv'), '\uFEFF\n\n  \n');
    await unreadable(loadWorkbook({ kind: 'csv', customers: path }), /blank\.csv: has no header row/);
  });

  it('a workbook with no known sheet lists the sheets it has', async () => {
    const path = await writeXlsx(join(await tempDir(), 'other.xlsx'), [
      { name: 'Sheet1', rows: [['Short Name'], ['Abc1']] },
      { name: 'Instructions', rows: [['x']] },
    ]);
    await unreadable(
      loadWorkbook({ kind: 'xlsx', path }),
      'other.xlsx: no Customers or SipConnections sheet (it has: Sheet1, Instructions)',
    );
  });

  it('a wrong extension', async () => {
    const dir = await tempDir();
    const good = await writeXlsx(join(dir, 'good.xlsx'), [{ name: 'Customers', rows: [['Short Name']] }]);
    for (const name of ['book.xls', 'book.ods', 'book.txt', 'book']) {
      const path = join(dir, name);
      await copyFile(good, path);
      const error = await unreadable(
        loadWorkbook(inputSourceFrom({ file: path })),
        /lpsync reads \.xlsx workbooks and \.csv files/,
      );
      expect(error.message).toContain(name);
    }
  });

  it('an xlsx named .csv', async () => {
    const dir = await tempDir();
    const good = await writeXlsx(join(dir, 'good.xlsx'), [{ name: 'Customers', rows: [['Short Name']] }]);
    const path = join(dir, 'book.csv');
    await copyFile(good, path);
    await unreadable(loadWorkbook(inputSourceFrom({ file: path })), /book\.csv: is a zip file/);
  });

  it('a UTF-16 CSV, with a BOM (LE and BE) or without', async () => {
    const dir = await tempDir();
    const text = 'License,Short Name\r\nEssentials,Utf16\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const bare = Buffer.from(text, 'utf16le');
    await unreadable(
      loadWorkbook({ kind: 'csv', customers: await writeText(join(dir, 'le.csv'), le) }),
      /le\.csv: is UTF-16/,
    );
    await unreadable(
      loadWorkbook({ kind: 'csv', customers: await writeText(join(dir, 'be.csv'), be) }),
      /be\.csv: is UTF-16/,
    );
    await unreadable(
      loadWorkbook({ kind: 'csv', customers: await writeText(join(dir, 'bare.csv'), bare) }),
      /bare\.csv: is not UTF-8 text \(\d+ NUL bytes/,
    );
  });

  it('a CSV that is not UTF-8 (Latin-1)', async () => {
    const path = await writeText(
      join(await tempDir(), 'latin1.csv'),
      Buffer.from('License,Short Name,Full Name\nEssentials,Latin1,Café Zoë\n', 'latin1'),
    );
    await unreadable(loadWorkbook({ kind: 'csv', customers: path }), /latin1\.csv: is not UTF-8 text/);
  });

  it('a binary file named .csv', async () => {
    const bytes = Buffer.alloc(512);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    const path = await writeText(join(await tempDir(), 'binary.csv'), bytes);
    await unreadable(loadWorkbook({ kind: 'csv', customers: path }), /binary\.csv: is not UTF-8 text/);
  });

  it('a CSV with an unclosed quote', async () => {
    const path = await writeText(
      join(await tempDir(), 'quote.csv'),
      'License,Short Name\nEssentials,"Open1\n',
    );
    await unreadable(loadWorkbook({ kind: 'csv', customers: path }), /quote\.csv: is not valid CSV/);
  });

  it('a missing file and a folder', async () => {
    const dir = await tempDir();
    await unreadable(
      loadWorkbook({ kind: 'xlsx', path: join(dir, 'missing.xlsx') }),
      /missing\.xlsx: file not found/,
    );
    await mkdir(join(dir, 'folder.xlsx'));
    await unreadable(
      loadWorkbook({ kind: 'xlsx', path: join(dir, 'folder.xlsx') }),
      /folder\.xlsx: is not a file/,
    );
  });
});

describe('inputSourceFrom', () => {
  it('maps the CLI arguments to a source', () => {
    expect(inputSourceFrom({ file: 'book.xlsx' })).toEqual({ kind: 'xlsx', path: 'book.xlsx' });
    expect(inputSourceFrom({ file: 'all.CSV' })).toEqual({ kind: 'csv', combined: 'all.CSV' });
    expect(inputSourceFrom({ customers: 'c.csv', sites: 's.csv' })).toEqual({
      kind: 'csv',
      customers: 'c.csv',
      sites: 's.csv',
    });
    expect(inputSourceFrom({ sites: 's.csv' })).toEqual({ kind: 'csv', sites: 's.csv' });
  });

  it('refuses unusable combinations with invalid-options', () => {
    for (const args of [{}, { file: 'b.xlsx', customers: 'c.csv' }, { customers: 'c.xlsx' }, { file: '  ' }])
      expect(() => inputSourceFrom(args)).toThrow(expect.objectContaining({ code: 'invalid-options' }));
  });
});
