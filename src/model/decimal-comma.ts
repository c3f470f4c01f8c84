/**
 * Whole numbers and ids in a file whose own convention is the decimal comma (a semicolon CSV from a
 * German, French, Dutch… Excel): there a dot or a (narrow) no-break space only groups thousands, so
 * `1.000` is one thousand and says so in a warning; a comma is the decimal sign, so `5,0` is 5 and
 * `1,000` (1 by the file's convention, one thousand by the English one) is refused.
 */
import type { FieldKind } from './catalogue.js';
import type { IssueRule } from './issue-rules.js';

/** `decimal-comma`: a dot only groups thousands, a comma is the decimal sign. */
export type NumberConvention = 'decimal-comma';

/** The kinds whose cells are whole numbers or numeric ids. */
export const WHOLE_NUMBER_KINDS: ReadonlySet<FieldKind> = new Set(['integer', 'positive-integer', 'id-text']);

export type ConventionReading = { text: string; note?: string } | { rule: IssueRule; message: string };

const GROUPED = /^(\d{1,3})((?:([.\u00a0\u202f ])\d{3})(?:\3\d{3})*)$/;
const COMMA_ZEROS = /^([+-]?\d+),(0+)$/;
const COMMA_THOUSAND = /^[+-]?\d{1,3},\d{3}$/;

/** What an integer or id cell of a decimal-comma file means, as the digits the column's rule then reads. */
export function readDecimalComma(text: string, kind: FieldKind): ConventionReading {
  const grouped = GROUPED.exec(text);
  if (grouped) {
    const digits = text.replace(/[.\u00a0\u202f ]/g, '');
    const sign = grouped[3] === '.' ? 'a dot' : 'a space';
    return {
      text: digits,
      note: `"${text}" is read as ${digits}: in this semicolon CSV ${sign} groups thousands and a comma is the decimal sign (as the Excels that save such files write numbers)`,
    };
  }
  if (COMMA_THOUSAND.test(text))
    return {
      rule: 'ambiguous-number',
      message: `"${text}" is ambiguous: in this semicolon CSV a comma is the decimal sign, so it would be ${Number(text.replace(',', '.'))}, but it may be a number of thousands written the English way; type the whole number without separators`,
    };
  const zeros = COMMA_ZEROS.exec(text);
  if (zeros && kind !== 'id-text') return { text: zeros[1]! };
  return { text };
}
