/**
 * The number-format renderer against what LibreOffice shows (its CSV "as shown" of a workbook
 * openpyxl wrote, made by test/fixtures/writers/make_reader_cases.py), read through the real
 * loadWorkbook path; and the renderer's own rules: Excel's General, rounding in decimal, sections,
 * conditions, exactness, the built-in formats by id.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { decimalOf, generalText, roundDecimal } from '../../src/input/xlsx/decimal.js';
import { showNumber } from '../../src/input/xlsx/number-format.js';
import { readStyles } from '../../src/input/xlsx/styles.js';

const DIR = resolve(import.meta.dirname, '..', 'fixtures', 'writers', 'reader-cases');

type Case = [number, string, boolean, { lpsync: string; why: string }?];
const { cases } = JSON.parse(readFileSync(join(DIR, 'number-format-cases.json'), 'utf8')) as {
  cases: Case[];
};
const table: string[][] = parse(readFileSync(join(DIR, 'libreoffice-number-format-table.csv'), 'utf8'));
const shownByLibreOffice = table.slice(1).map((row) => row[2] ?? '');

describe('numbers show as LibreOffice shows them', () => {
  it('the table holds a case per row of LibreOffice’s CSV', () => {
    expect(cases.length).toBeGreaterThan(90);
    expect(shownByLibreOffice).toHaveLength(cases.length);
  });

  for (const [index, [value, format, exact, differs]] of cases.entries())
    it(`${value} under ${format}`, () => {
      const shown = showNumber(value, format);
      expect(shown.text).toBe(differs?.lpsync ?? shownByLibreOffice[index]);
      expect(shown.exact).toBe(exact);
    });

  it('the same cells, read by loadWorkbook: the shown text, with a warning where it is exact, refused where not', async () => {
    const loaded = await loadWorkbook({ kind: 'xlsx', path: join(DIR, 'openpyxl-number-format-table.xlsx') });
    const rows = loaded.sheets[0]!.rows;
    expect(rows).toHaveLength(cases.length);
    for (const [index, [value, , exact, differs]] of cases.entries()) {
      const row = index + 2;
      // Padding and alignment spaces at the ends (_) and ?) are layout, not part of the value.
      const wanted = (differs?.lpsync ?? shownByLibreOffice[index]!).trim();
      expect([row, rows[index]!.values['Full Name'] ?? '']).toEqual([row, wanted]);
      const rules = loaded.issues.filter((i) => i.row === row).map((i) => i.rule);
      const rule =
        Math.abs(value) >= 1e15
          ? 'number-too-long'
          : exact
            ? 'number-in-text-column'
            : 'number-shown-inexactly';
      expect([row, rules]).toEqual([row, [rule]]);
      const valid = loaded.rows.customers.find((c) => c.origin.row === row);
      expect([row, valid?.fullName]).toEqual([row, rule === 'number-in-text-column' ? wanted : undefined]);
    }
  });
});

describe('the renderer’s rules', () => {
  it("Excel's General: up to 11 characters, scientific for large and small numbers", () => {
    const general = (v: number) => showNumber(v, undefined);
    expect(general(1234)).toEqual({ text: '1234', exact: true });
    expect(general(12345678901)).toEqual({ text: '12345678901', exact: true });
    expect(general(-12345678901)).toEqual({ text: '-12345678901', exact: true });
    expect(general(123456789012)).toEqual({ text: '1.23457E+11', exact: false });
    expect(general(1234.56789012)).toEqual({ text: '1234.56789', exact: false });
    // Float noise is not a digit Excel keeps: 0.1 + 0.2 shows 0.3, exactly.
    expect(general(0.1 + 0.2)).toEqual({ text: '0.3', exact: true });
    expect(general(1e-10)).toEqual({ text: '1E-10', exact: false });
    expect(general(1e20)).toEqual({ text: '1E+20', exact: false });
    expect(generalText(0)).toBe('0');
    expect(showNumber(5, 'General')).toEqual({ text: '5', exact: true });
    expect(showNumber(5, '@')).toEqual({ text: '5', exact: true });
  });

  it('rounds half away from zero in decimal, on the 15 digits Excel keeps', () => {
    expect(showNumber(1.005, '0.00').text).toBe('1.01');
    expect(showNumber(2.675, '0.00').text).toBe('2.68');
    expect(showNumber(-2.5, '0').text).toBe('-3');
    expect(showNumber(0.0006, '0.000').text).toBe('0.001');
    expect(showNumber(999.996, '#,##0.00').text).toBe('1,000.00');
    expect(roundDecimal(decimalOf(0.00006), 3)).toEqual({ whole: '', fraction: '000', exact: false });
    expect(roundDecimal(decimalOf(9.5), 0)).toEqual({ whole: '10', fraction: '', exact: false });
    expect(roundDecimal(decimalOf(12.25), 2)).toEqual({ whole: '12', fraction: '25', exact: true });
  });

  it('a password typed as a number under 0000000 shows its leading zero, exactly', () => {
    expect(showNumber(123456, '0000000')).toEqual({ text: '0123456', exact: true });
    expect(showNumber(3222001000, '"+"0')).toEqual({ text: '+3222001000', exact: true });
    expect(showNumber(3222001000, '\\+0')).toEqual({ text: '+3222001000', exact: true });
  });

  it('what hides or changes digits is not exact: percent that rounds, scaling, scientific, hidden, no minus sign', () => {
    expect(showNumber(0.125, '0%')).toEqual({ text: '13%', exact: false });
    expect(showNumber(0.5, '0%')).toEqual({ text: '50%', exact: true });
    expect(showNumber(1500, '0,"K"')).toEqual({ text: '2K', exact: false });
    expect(showNumber(150000, '0.00E+00')).toEqual({ text: '1.50E+05', exact: false });
    expect(showNumber(7, ';;;')).toEqual({ text: '', exact: false });
    expect(showNumber(0, '#')).toEqual({ text: '', exact: false });
    expect(showNumber(-5, '0;[Red]0')).toEqual({ text: '5', exact: false });
    expect(showNumber(-5, '0;[Red]-0')).toEqual({ text: '-5', exact: true });
  });

  it('sections: positive;negative;zero;text, and conditions', () => {
    const code = '0.0;(0.0);"nil";@';
    expect(showNumber(2, code).text).toBe('2.0');
    expect(showNumber(-2, code).text).toBe('(2.0)');
    expect(showNumber(0, code).text).toBe('nil');
    expect(showNumber(-2, '0.0;').text).toBe('');
    expect(showNumber(150, '[>=100]"big "0;[<0]"neg "0;"small "0').text).toBe('big 150');
    expect(showNumber(-4, '[>=100]"big "0;[<0]"neg "0;"small "0').text).toBe('neg 4');
    expect(showNumber(7, '[>=100]"big "0;[<0]"neg "0;"small "0').text).toBe('small 7');
  });

  it('literal text: quoted, escaped, currency symbols, padding and fill', () => {
    expect(showNumber(1234.5, '[$€-407] #,##0.00').text).toBe('€ 1,234.50');
    expect(showNumber(5, '"No. "000').text).toBe('No. 005');
    expect(showNumber(5, '\\#0').text).toBe('#5');
    expect(showNumber(5, '* 0').text).toBe('5');
    expect(showNumber(5, '0_)').text).toBe('5 ');
    expect(showNumber(5551234, '000-0000').text).toBe('555-1234');
  });
});

/** styles.xml with one cell style per built-in id, and a conditional format's dxf reusing an id. */
function stylesXml(ids: number[]): Readable {
  const xfs = ids.map((id) => `<xf numFmtId="${id}"/>`).join('');
  return Readable.from([
    Buffer.from(
      `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        `<numFmts count="1"><numFmt numFmtId="164" formatCode="0000000"/></numFmts>` +
        `<cellXfs count="${ids.length}">${xfs}</cellXfs>` +
        `<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="General"/></dxf></dxfs></styleSheet>`,
    ),
  ]);
}

describe('number formats by style', () => {
  const source = { file: 'book.xlsx', what: 'the styles', maxTextChars: 10_000 };

  it('the built-in formats by id (0-49), as Excel shows them in an en-US locale', async () => {
    const ids = [0, 1, 2, 3, 4, 5, 9, 10, 11, 37, 38, 39, 40, 41, 43, 48, 49];
    const formats = await readStyles(stylesXml(ids), source);
    const shown = (id: number, value: number) => showNumber(value, formats[ids.indexOf(id)]).text.trim();
    expect(shown(0, 1234.5)).toBe('1234.5');
    expect(shown(1, 1234.5)).toBe('1235');
    expect(shown(2, 1234.5)).toBe('1234.50');
    expect(shown(3, 1234.5)).toBe('1,235');
    expect(shown(4, 1234.5)).toBe('1,234.50');
    expect(shown(5, -1234)).toBe('($1,234)');
    expect(shown(9, 0.5)).toBe('50%');
    expect(shown(10, 0.5)).toBe('50.00%');
    expect(shown(11, 150000)).toBe('1.50E+05');
    expect(shown(37, -1234)).toBe('(1,234)');
    expect(shown(38, 1234)).toBe('1,234');
    expect(shown(39, -1234.5)).toBe('(1,234.50)');
    expect(shown(40, 1234.5)).toBe('1,234.50');
    expect(shown(41, 1234)).toBe('1,234');
    expect(shown(43, 0)).toBe('-');
    expect(shown(48, 12345)).toBe('12.3E+3');
    expect(shown(49, 1234)).toBe('1234');
  });

  it("a conditional format's dxf reusing a numFmt id does not change the cell's own format", async () => {
    const formats = await readStyles(stylesXml([0, 164]), source);
    expect(formats).toEqual(['General', '0000000']);
    expect(showNumber(1317, formats[1]).text).toBe('0001317');
  });
});
