/**
 * A number as its cell shows it: the cell's number format applied as Excel renders it (percent,
 * thousands separators, fixed decimals, scientific notation, zero padding, literal text, sections
 * for positive;negative;zero, conditions, General), and whether that text is the exact value.
 * Checked against what LibreOffice writes when it saves a sheet "as shown" (test/input/number-format.test.ts).
 */
import { decimalOf, generalText, roundDecimal, sameValue, type Rounded } from './decimal.js';
import { formatSections, holds, type FormatSection, type FormatToken } from './format-code.js';

export interface ShownNumber {
  /** The text the cell shows. */
  text: string;
  /**
   * The shown text is the value itself: nothing rounded away, scaled by thousands, written in
   * scientific notation, hidden or left without its minus sign. Literal text and zero padding
   * (`"+"0`, `0000000`) do not make it inexact: they are how the value was meant to be seen.
   */
  exact: boolean;
}

type Placeholder = '0' | '#' | '?';

function general(value: number): ShownNumber {
  // The usual number cell (an SBC id, a script id): a whole number General shows as it is.
  if (Number.isInteger(value) && Math.abs(value) < 1e10) return { text: String(value), exact: true };
  const text = generalText(value);
  return { text, exact: !/E/.test(text) && sameValue(Number(text), value) };
}

/** The sections that format numbers: a last section holding `@` (of fewer than four) formats text. */
function numberSections(sections: FormatSection[]): FormatSection[] {
  const last = sections[sections.length - 1];
  if (sections.length < 4 && last?.tokens.some((t) => t.kind === 'text')) return sections.slice(0, -1);
  return sections.slice(0, 3);
}

/** The section a value takes, and whether it shows the value's minus sign itself. */
function chooseSection(
  sections: FormatSection[],
  value: number,
): { section: FormatSection; signed: boolean } {
  const [first, second, third] = sections as [FormatSection, FormatSection?, FormatSection?];
  if (first.condition || second?.condition) {
    // Conditions: the first section whose condition holds, else the next one without a condition.
    const pick =
      first.condition && holds(first.condition, value)
        ? first
        : second?.condition && holds(second.condition, value)
          ? second
          : first.condition && second?.condition
            ? (third ?? first)
            : (second ?? first);
    const onlyNegative =
      pick.condition !== undefined &&
      ((pick.condition.op === '<' && pick.condition.value <= 0) ||
        (pick.condition.op === '<=' && pick.condition.value < 0));
    return { section: pick, signed: !onlyNegative && !(pick === second && !second.condition) };
  }
  if (value < 0 && second) return { section: second, signed: false };
  if (value === 0 && third) return { section: third, signed: true };
  return { section: first, signed: true };
}

/** Commas between digit placeholders group thousands; commas after the last one divide by 1,000 each. */
function commaRoles(tokens: FormatToken[], integerEnd: number): { grouping: boolean; scale: number } {
  let grouping = false;
  let scale = 0;
  tokens.forEach((token, i) => {
    if (token.kind !== 'comma') return;
    const before = tokens.slice(0, i).some((t) => t.kind === 'digit');
    const after = tokens.slice(i + 1, integerEnd).some((t) => t.kind === 'digit');
    if (before && after) grouping = true;
    else if (before && !tokens.slice(i + 1).some((t) => t.kind === 'digit' || t.kind === 'point')) scale++;
  });
  return { grouping, scale };
}

const pad = (placeholder: Placeholder) => (placeholder === '0' ? '0' : placeholder === '?' ? ' ' : '');

/** The whole digits, one per placeholder from the right; the leftmost placeholder takes the rest. */
function wholeChars(placeholders: Placeholder[], whole: string, grouping: boolean): string[] {
  const n = placeholders.length;
  const m = whole.length;
  const chars = placeholders.map((p, j) => {
    const fromRight = n - 1 - j;
    if (j === 0) return m > n - 1 ? whole.slice(0, m - (n - 1)) : pad(p);
    return fromRight < m ? whole[m - 1 - fromRight]! : pad(p);
  });
  if (!grouping) return chars;
  let position = chars.join('').length;
  return chars.map((text) =>
    [...text]
      .map((ch) => {
        position--;
        return position > 0 && position % 3 === 0 ? ch + (ch === ' ' ? ' ' : ',') : ch;
      })
      .join(''),
  );
}

/** The fraction digits, one per placeholder; trailing zeros under # vanish and under ? become spaces. */
function fractionChars(placeholders: Placeholder[], fraction: string): string[] {
  const chars = placeholders.map((_, j) => fraction[j] ?? '0');
  for (let j = chars.length - 1; j >= 0 && chars[j] === '0' && placeholders[j] !== '0'; j--)
    chars[j] = pad(placeholders[j]!);
  return chars;
}

interface Layout {
  whole: Placeholder[];
  fraction: Placeholder[];
  exponent: Placeholder[];
  pointAt: number;
  exponentAt: number;
}

function layoutOf(tokens: FormatToken[]): Layout {
  const layout: Layout = { whole: [], fraction: [], exponent: [], pointAt: -1, exponentAt: -1 };
  tokens.forEach((token, i) => {
    if (token.kind === 'point' && layout.exponentAt < 0) layout.pointAt = i;
    else if (token.kind === 'exponent' && layout.exponentAt < 0) layout.exponentAt = i;
    else if (token.kind === 'digit') {
      if (layout.exponentAt >= 0) layout.exponent.push(token.placeholder);
      else if (layout.pointAt >= 0) layout.fraction.push(token.placeholder);
      else layout.whole.push(token.placeholder);
    }
  });
  return layout;
}

/** The mantissa and exponent of a scientific format: the exponent a multiple of the whole placeholders. */
function scientific(x: number, layout: Layout): { rounded: Rounded; exponent: number } {
  const step = Math.max(1, layout.whole.length);
  const decimal = decimalOf(x);
  if (decimal.digits === '') return { rounded: roundDecimal(decimal, layout.fraction.length), exponent: 0 };
  let exponent = Math.floor((decimal.exponent - 1) / step) * step;
  let rounded = roundDecimal({ ...decimal, exponent: decimal.exponent - exponent }, layout.fraction.length);
  if (rounded.whole.length > step) {
    exponent += step;
    rounded = roundDecimal({ ...decimal, exponent: decimal.exponent - exponent }, layout.fraction.length);
  }
  return { rounded, exponent };
}

function exponentText(token: FormatToken & { kind: 'exponent' }, exponent: number, layout: Layout): string {
  const sign = exponent < 0 ? '-' : token.sign === '+' ? '+' : '';
  const width = layout.exponent.filter((p) => p === '0').length;
  return `${token.letter.toUpperCase()}${sign}${String(Math.abs(exponent)).padStart(width, '0')}`;
}

/** A section with digit placeholders, the value already made non-negative. */
function renderDigits(tokens: FormatToken[], x: number): { text: string; exact: boolean; zero: boolean } {
  const layout = layoutOf(tokens);
  const integerEnd = [layout.pointAt, layout.exponentAt, tokens.length].find((i) => i >= 0)!;
  const { grouping, scale } = commaRoles(tokens, integerEnd);
  const percents = tokens.filter((t) => t.kind === 'percent').length;
  const scaled = (x * 100 ** percents) / 1000 ** scale;
  const sci = layout.exponentAt >= 0 ? scientific(scaled, layout) : undefined;
  const rounded = sci?.rounded ?? roundDecimal(decimalOf(scaled), layout.fraction.length);
  const whole = wholeChars(layout.whole, rounded.whole, grouping && !sci);
  const fraction = fractionChars(layout.fraction, rounded.fraction);
  let out = '';
  let w = 0;
  let f = 0;
  tokens.forEach((token, i) => {
    switch (token.kind) {
      case 'literal':
        out += token.text;
        return;
      case 'percent':
        out += '%';
        return;
      case 'comma':
        // A comma before any digit placeholder is just a comma.
        if (!tokens.slice(0, i).some((t) => t.kind === 'digit')) out += ',';
        return;
      case 'point':
        if (layout.whole.length === 0) out += rounded.whole;
        out += '.';
        return;
      case 'exponent':
        out += exponentText(token, sci?.exponent ?? 0, layout);
        return;
      case 'digit':
        // The exponent's placeholders are drawn with the exponent.
        if (layout.exponentAt >= 0 && i > layout.exponentAt) return;
        if (i > layout.pointAt && layout.pointAt >= 0) out += fraction[f++] ?? '';
        else out += whole[w++] ?? '';
        return;
      default:
        out += token.kind === 'slash' ? '/' : '';
    }
  });
  const zero = rounded.whole === '' && !/[1-9]/.test(rounded.fraction);
  return { text: out, exact: rounded.exact && scale === 0 && !sci, zero };
}

/** A negative value shows as negative: by its minus sign, or a negative section's own - or ( ). */
function keepsSign(value: number, sign: string, text: string): boolean {
  return value >= 0 || sign !== '' || /[-(]/.test(text);
}

/** The text a number shows under a format code (undefined or General: Excel's General). */
export function showNumber(value: number, code: string | undefined): ShownNumber {
  if (code === undefined || code.trim() === '' || /^general$/i.test(code.trim())) return general(value);
  const sections = numberSections(formatSections(code));
  if (sections.length === 0) return general(value);
  const { section, signed } = chooseSection(sections, value);
  const tokens = section.tokens;
  // A fraction (# ?/?) is not drawn here: the number as General, never taken as the exact text.
  if (tokens.some((t, i) => t.kind === 'slash' && tokens[i - 1]?.kind === 'digit'))
    return { text: generalText(value), exact: false };
  const minus = signed && value < 0 ? '-' : '';
  if (tokens.some((t) => t.kind === 'general')) {
    const shown = general(Math.abs(value));
    const text = tokens
      .map((t) => (t.kind === 'literal' ? t.text : t.kind === 'general' ? shown.text : ''))
      .join('');
    return { text: minus + text, exact: shown.exact && keepsSign(value, minus, text) };
  }
  if (!tokens.some((t) => t.kind === 'digit')) {
    // Only text (or nothing, as in `0;-0;;@` for zero): the number itself is not shown.
    const text = tokens
      .map((t) => (t.kind === 'literal' ? t.text : t.kind === 'percent' ? '%' : ''))
      .join('');
    return { text, exact: false };
  }
  const drawn = renderDigits(tokens, Math.abs(value));
  // A value that rounds to zero shows no minus sign (as LibreOffice shows -0.4 under 0).
  const sign = drawn.zero ? '' : minus;
  // `#` shows nothing for zero: a value the cell holds but does not show.
  const shown = /\d/.test(drawn.text);
  return { text: sign + drawn.text, exact: drawn.exact && shown && keepsSign(value, sign, drawn.text) };
}
