import { describe, expect, it } from 'vitest';
import { cellText, numberText } from '../../src/input/cell-text.js';

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

  it('every value kind the streaming reader hands over', () => {
    expect(cellText(undefined)).toBeUndefined();
    expect(cellText(null)).toBeUndefined();
    expect(cellText('text')).toEqual({ text: 'text' });
    expect(cellText(true)).toEqual({ text: 'TRUE' });
    expect(cellText(false)).toEqual({ text: 'FALSE' });
    expect(cellText(new Date(Date.UTC(2024, 0, 5)))).toEqual({ text: '2024-01-05', fault: 'date' });
    expect(cellText(new Date(Date.UTC(2024, 0, 5, 13, 30)))).toEqual({
      text: '2024-01-05T13:30:00Z',
      fault: 'date',
    });
    expect(cellText({ richText: [{ text: 'a' }, { text: 'b' }] })).toEqual({ text: 'ab' });
    expect(cellText({ text: 'shown', hyperlink: 'https://x.example' })).toEqual({ text: 'shown' });
    expect(cellText({ formula: 'A1', result: 'r' })).toEqual({ text: 'r' });
    expect(cellText({ formula: 'A1', result: 3 })).toEqual({ text: '3' });
    expect(cellText({ formula: 'A1', result: 45000 }, true)).toEqual({ text: '45000', fault: 'date' });
    expect(cellText({ formula: 'A1', result: Number.NaN })).toMatchObject({ fault: 'formula-error' });
    expect(cellText({ formula: 'A1' })).toMatchObject({ fault: 'formula-error' });
    expect(cellText({ sharedFormula: 'A1', result: 2 })).toEqual({ text: '2' });
    expect(cellText({ error: '#N/A' })).toEqual({ text: '#N/A', fault: 'formula-error' });
  });
});
