import { describe, expect, it } from 'vitest';
import { parseCellRef } from '../../src/input/xlsx/worksheet.js';

describe('cell references', () => {
  it('reads a plain reference, an absolute one and lower case; refuses what is not one', () => {
    expect(parseCellRef('B12')).toEqual({ column: 1, row: 12 });
    expect(parseCellRef('AA1')).toEqual({ column: 26, row: 1 });
    expect(parseCellRef('xfd1048576')).toEqual({ column: 16383, row: 1_048_576 });
    expect(parseCellRef('$B$12')).toBeUndefined();
    expect(parseCellRef('B$12')).toEqual({ column: 1, row: 12 });
    expect(parseCellRef('C0')).toEqual({ column: 2, row: 0 });
    expect(parseCellRef('C')).toEqual({ column: 2, row: 0 });
    expect(parseCellRef('C1x')).toEqual({ column: 2, row: 0 });
    expect(parseCellRef('ABCD1')).toBeUndefined();
    expect(parseCellRef('12')).toBeUndefined();
  });
});
