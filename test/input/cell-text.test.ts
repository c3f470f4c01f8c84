import { describe, expect, it } from 'vitest';
import { numberText } from '../../src/input/cell-text.js';
import {
  isoDateText,
  serialDateText,
  xlsxCellText,
  type BookContext,
  type RawCell,
} from '../../src/input/xlsx/cells.js';
import { unescapeExcelText } from '../../src/input/xlsx/text-escapes.js';

const book: BookContext = {
  file: 'book.xlsx',
  sheet: 'Customers',
  sharedStrings: ['shared', 'Brad'],
  formats: [undefined, 'yyyy-mm-dd', '00000', '"+"0', '0%'],
  date1904: false,
};
const cell = (over: Partial<RawCell>): RawCell => ({
  column: 1,
  type: 'n',
  value: '',
  hasValue: true,
  formula: false,
  style: 0,
  ...over,
});

describe('cell values as text', () => {
  it('numbers: whole numbers in full, no float noise', () => {
    expect(numberText(5)).toBe('5');
    expect(numberText(1317027)).toBe('1317027');
    expect(numberText(-7)).toBe('-7');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(7.5)).toBe('7.5');
    expect(numberText(123456789012345)).toBe('123456789012345');
    expect(numberText(1e21)).toBe('1e+21');
  });

  it('every cell kind a sheet holds', () => {
    const text = (over: Partial<RawCell>) => xlsxCellText(cell(over), 2, book);
    expect(text({ value: '', hasValue: false })).toBeUndefined();
    expect(text({ type: 's', value: '0' })).toEqual({ text: 'shared' });
    expect(text({ type: 's', value: '1' })).toEqual({ text: 'Brad' });
    expect(text({ type: 'inlineStr', value: 'a &amp; b_x000D_' })).toEqual({ text: 'a &amp; b\r' });
    expect(text({ type: 'str', value: 'r', formula: true })).toEqual({ text: 'r' });
    expect(text({ type: 'str', value: '', formula: true })).toEqual({ text: '' });
    expect(text({ type: 'b', value: '1' })).toEqual({ text: 'TRUE' });
    expect(text({ type: 'b', value: '0', formula: true })).toEqual({ text: 'FALSE' });
    expect(text({ value: '3' })).toEqual({ text: '3', number: '3', typedAsNumber: true });
    expect(text({ value: '3', formula: true })).toEqual({ text: '3', number: '3' });
    expect(text({ value: '45000', style: 1, formula: true })).toEqual({ text: '2023-03-15', fault: 'date' });
    expect(text({ value: '123', style: 2 })).toEqual({ text: '00123', number: '123', typedAsNumber: true });
    expect(text({ value: '3222001000', style: 3 })).toEqual({
      text: '+3222001000',
      number: '3222001000',
      typedAsNumber: true,
    });
    expect(text({ value: '0.125', style: 4 })).toEqual({
      text: '13%',
      number: '0.125',
      typedAsNumber: true,
      inexact: true,
    });
    expect(text({ value: '1234567890123456' })).toMatchObject({ fault: 'long-number' });
    expect(text({ type: 'e', value: '#N/A', formula: true })).toEqual({
      text: '#N/A',
      fault: 'formula-error',
    });
    expect(text({ formula: true, hasValue: false })).toMatchObject({ fault: 'formula-error' });
    expect(text({ type: 'd', value: '2026-03-01T00:00:00Z' })).toEqual({ text: '2026-03-01', fault: 'date' });
    expect(() => text({ type: 's', value: '7' })).toThrow(
      'book.xlsx: sheet "Customers" cell B2 points at shared text 7, but the workbook holds only 2: the file is damaged',
    );
  });

  it('dates as the cell shows them: the 1900 leap-year bug and the 1904 system', () => {
    expect(serialDateText(1, false)).toBe('1900-01-01');
    expect(serialDateText(59, false)).toBe('1900-02-28');
    expect(serialDateText(60, false)).toBe('1900-02-29');
    expect(serialDateText(61, false)).toBe('1900-03-01');
    expect(serialDateText(45000, false)).toBe('2023-03-15');
    expect(serialDateText(45000.5, false)).toBe('2023-03-15 12:00');
    expect(serialDateText(0.75, false)).toBe('18:00');
    expect(serialDateText(0, true)).toBe('1904-01-01');
    expect(serialDateText(43538, true)).toBe('2023-03-15');
    expect(isoDateText('2026-03-01T13:45:10Z')).toBe('2026-03-01 13:45:10');
    expect(isoDateText('2026-03-01')).toBe('2026-03-01');
  });

  it("Excel's _xHHHH_ escapes, and _x005F_ before a literal one", () => {
    expect(unescapeExcelText('a_x000D_b')).toBe('a\rb');
    expect(unescapeExcelText('_x005F_x000D_')).toBe('_x000D_');
    expect(unescapeExcelText('no_escape_here')).toBe('no_escape_here');
  });
});
