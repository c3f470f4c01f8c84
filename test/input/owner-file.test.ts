/** Excel's ~$ owner file: beside the workbook a warning that unsaved edits are not read; given itself, what it is. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { RunError } from '../../src/model/errors.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeText, writeXlsx } from './helpers.js';

// What Excel writes: the user name, padded (not a zip).
const OWNER = Buffer.concat([Buffer.from([5]), Buffer.from('jdoe'), Buffer.alloc(160, 0x20)]);

describe("Excel's owner file", () => {
  it('beside the workbook: a warning that Excel has it open and unsaved edits are not read', async () => {
    const dir = await tempDir();
    const path = await writeXlsx(join(dir, 'customers.xlsx'), [
      { name: 'Customers', rows: [ESSENTIALS_HEADERS, essentialsRow('Open1')] },
    ]);
    expect((await loadWorkbook({ kind: 'xlsx', path })).issues).toEqual([]);
    await writeText(join(dir, '~$customers.xlsx'), OWNER);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(loaded.issues).toEqual([
      expect.objectContaining({ severity: 'warning', rule: 'open-in-excel', file: path }),
    ]);
    expect(loaded.issues[0]!.message).toContain('edits not saved yet are not in the file and are not read');
    expect(loaded.rows.customers).toHaveLength(1);
  });

  it('given itself: says what it is and which file to give', async () => {
    const dir = await tempDir();
    const owner = await writeText(join(dir, '~$customers.xlsx'), OWNER);
    const error = await loadWorkbook({ kind: 'xlsx', path: owner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toContain('is the owner file Excel keeps while a workbook is open');
    expect((error as RunError).hint).toContain(join(dir, 'customers.xlsx'));
  });
});
