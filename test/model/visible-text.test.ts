import { describe, expect, it } from 'vitest';
import { excelTextFormula, tidyText } from '../../src/input/cell-text.js';
import { numberConvention } from '../../src/input/number-convention.js';
import { readCell, valueText } from '../../src/model/cell-checks.js';
import { readDecimalComma } from '../../src/model/decimal-comma.js';
import { lookAlikeKey, lookAlikeReason } from '../../src/model/look-alike.js';
import { showsNothing, trimSpace, unseenEdge } from '../../src/model/visible-text.js';

describe('what a person sees of a value', () => {
  it('only Unicode whitespace is trimmed, only at the ends; a secret is never touched', () => {
    expect(trimSpace('\u00a0 Acme\u202f Ltd\u3000\t')).toBe('Acme\u202f Ltd');
    // U+FEFF is not whitespace (String.prototype.trim drops it): it stays, and is warned about.
    expect(trimSpace('\ufeffAcme')).toBe('\ufeffAcme');
    expect(trimSpace('\u200dx\u200c')).toBe('\u200dx\u200c');
    expect(valueText(' pass\u00a0', true)).toBe(' pass\u00a0');
    expect(valueText(' pass\u00a0', false)).toBe('pass');
  });

  it('a cell of spaces and invisible characters shows nothing: it is empty; anything else is kept whole', () => {
    expect(showsNothing(' \u00a0\u200b\u00ad\t')).toBe(true);
    expect(tidyText(' \u00a0\u200b')).toBe('');
    expect(tidyText(' a ')).toBe(' a ');
    expect(tidyText('\u{1F468}\u200d\u{1F469}')).toBe('\u{1F468}\u200d\u{1F469}');
  });

  it('the unseen character at an end, a variation selector after an emoji is not one', () => {
    expect(unseenEdge('abc')).toBeUndefined();
    expect(unseenEdge('I \u2764\ufe0f')).toBeUndefined();
    expect(unseenEdge(' a')).toEqual({ at: 'start', ch: ' ', kind: 'space' });
    expect(unseenEdge('a\u200b')).toEqual({ at: 'end', ch: '\u200b', kind: 'invisible' });
    expect(unseenEdge('a\u{1F467}')).toBeUndefined();
  });

  it('an unseen character at an end: a warning for a secret and for free text, refused in a name, left out of a GUID', () => {
    expect(readCell('abc', 'text', false, undefined)).toBeUndefined();
    expect(readCell(' pw', 'carrier-password', true, undefined)).toMatchObject({
      text: ' pw',
      findings: [{ severity: 'warning', rule: 'secret-edge-character' }],
    });
    expect(readCell('Acme\u200b', 'text', false, undefined)).toMatchObject({
      text: 'Acme\u200b',
      findings: [{ severity: 'warning', rule: 'invisible-character' }],
    });
    expect(readCell('Acme\u200d', 'short-name', false, undefined)).toMatchObject({
      findings: [{ severity: 'error', rule: 'invisible-character' }],
    });
    expect(
      readCell('\u200b0b7cd1d2-7fd1-4f43-9f2e-0ef2d0a8c001\u200b', 'uuid', false, undefined),
    ).toMatchObject({
      text: '0b7cd1d2-7fd1-4f43-9f2e-0ef2d0a8c001',
      findings: [{ severity: 'warning', rule: 'invisible-character' }],
    });
  });
});

describe('="…" in a CSV', () => {
  it('only the exact form, inner quotes doubled', () => {
    expect(excelTextFormula('="0001317"')).toBe('0001317');
    expect(excelTextFormula('="Say ""hi"""')).toBe('Say "hi"');
    expect(excelTextFormula('=""')).toBe('');
    for (const other of ['=0001317', ' ="0001317"', '="a"b"', '="00"&"42"', '="x"x', '=SUM(A1)'])
      expect(excelTextFormula(other), other).toBeUndefined();
  });
});

describe('a semicolon CSV’s decimal comma', () => {
  it('is read from the file: semicolons, and no field with a decimal point in its first lines', () => {
    expect(numberConvention(';', 'License;Licensed Users\nOC;1.000\n')).toBe('decimal-comma');
    expect(numberConvention(';', 'License;Ratio\nOC;1.5\n')).toBeUndefined();
    expect(numberConvention(';', "License;Users\nOC;1'000\n")).toBeUndefined();
    expect(numberConvention(';', 'License;Date;Host\nOC;01.02.2026;10.0.0.1\n')).toBe('decimal-comma');
    expect(numberConvention(',', 'License,Users\nOC,1.000\n')).toBeUndefined();
  });

  it('a dot or space groups thousands (said in a note), a comma is the decimal sign', () => {
    expect(readDecimalComma('1.000', 'integer')).toMatchObject({ text: '1000', note: expect.any(String) });
    expect(readDecimalComma('1.317.027', 'id-text')).toMatchObject({ text: '1317027' });
    expect(readDecimalComma('1\u202f000', 'positive-integer')).toMatchObject({ text: '1000' });
    expect(readDecimalComma('1000,0', 'integer')).toEqual({ text: '1000' });
    expect(readDecimalComma('1,000', 'integer')).toMatchObject({ rule: 'ambiguous-number' });
    expect(readDecimalComma('12,500', 'integer')).toMatchObject({
      message: expect.stringContaining('it would be 12.5'),
    });
    // An id has no decimals: left for the id's rule to refuse.
    expect(readDecimalComma('1317027,0', 'id-text')).toEqual({ text: '1317027,0' });
    expect(readDecimalComma('42', 'integer')).toEqual({ text: '42' });
  });
});

describe('names that look the same', () => {
  it('share a key: letter case, NFC/NFD, fullwidth, Cyrillic and Greek look-alikes, invisible characters', () => {
    const key = lookAlikeKey('Acme');
    for (const same of [
      'ACME',
      '\u0410cme',
      '\u0430cme',
      '\uff21\uff43\uff4d\uff45',
      'Ac\u200bme',
      '\u0391cme',
    ])
      expect(lookAlikeKey(same), same).toBe(key);
    expect(lookAlikeKey('Caf\u00e9')).toBe(lookAlikeKey('Cafe\u0301'));
    for (const other of ['Acne', 'Acm', 'Café', 'Acme1']) expect(lookAlikeKey(other), other).not.toBe(key);
  });

  it('and the reason says which character', () => {
    expect(lookAlikeReason('ACME', 'acme')).toBe('');
    expect(lookAlikeReason('\u0410cme', 'Acme')).toBe('Cyrillic \u0410');
    expect(lookAlikeReason('Acme', '\u0410cme')).toBe('Cyrillic \u0410 in that name');
    expect(lookAlikeReason('\uff21cme', 'Acme')).toBe('fullwidth \uff21');
    expect(lookAlikeReason('Cafe\u0301', 'Caf\u00e9')).toContain('Unicode NFD');
    expect(lookAlikeReason('Ac\u200bme', 'Acme')).toBe('an invisible U+200B (zero-width space)');
  });
});
