/**
 * Numbers as Excel shows them: a value is first cut to the 15 significant digits Excel keeps, then
 * rounded half away from zero in decimal (so 1.005 shows 1.01 with two decimals, as in Excel, not
 * 1.00 as binary rounding gives). And Excel's General format, as a cell of standard width shows it.
 */

/** A non-negative number as 15 significant digits: value = 0.`digits` × 10^`exponent`; zero has no digits. */
export interface Decimal {
  digits: string;
  exponent: number;
}

export function decimalOf(x: number): Decimal {
  if (x === 0) return { digits: '', exponent: 0 };
  const [mantissa = '', power = '0'] = Math.abs(x).toExponential(14).split('e');
  return { digits: mantissa.replace('.', '').replace(/0+$/, ''), exponent: Number(power) + 1 };
}

/** `digits` + 1 as decimal text ("" + 1 is "1", "999" + 1 is "1000"). */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

export interface Rounded {
  /** Whole part without leading zeros ("" for zero). */
  whole: string;
  /** Exactly `decimals` digits. */
  fraction: string;
  /** Nothing was cut: the rounded value is the value. */
  exact: boolean;
}

/** The value rounded half away from zero to `decimals` places. */
export function roundDecimal(value: Decimal, decimals: number): Rounded {
  const keep = value.exponent + decimals;
  let kept: string;
  let exact: boolean;
  if (keep < 0) {
    kept = '';
    exact = value.digits === '';
  } else {
    kept = value.digits.slice(0, keep).padEnd(keep, '0');
    const cut = value.digits.slice(keep);
    exact = cut === '';
    if (cut !== '' && cut[0]! >= '5') kept = increment(kept);
  }
  const padded = kept.padStart(decimals, '0');
  const split = padded.length - decimals;
  return {
    whole: padded.slice(0, split).replace(/^0+/, ''),
    fraction: padded.slice(split),
    exact,
  };
}

/** Same 15 significant digits: what Excel keeps of a number is all it can show. */
export function sameValue(a: number, b: number): boolean {
  const x = decimalOf(a);
  const y = decimalOf(b);
  return Math.sign(a) === Math.sign(b) && x.digits === y.digits && x.exponent === y.exponent;
}

const TRAILING_ZEROS = /(?:\.0*|(\.\d*[1-9])0+)$/;
const MANTISSA_ZEROS = /(?:\.0*|(\.\d*[1-9])0+)[Ee]/;
const ONE_DIGIT_EXPONENT = /(E[+-])(\d)$/;

const stripDecimal = (o: string) => (o.includes('.') ? o.replace(TRAILING_ZEROS, '$1') : o);

function smallExp(v: number): string {
  const width = v < 0 ? 12 : 11;
  let o = stripDecimal(v.toFixed(12));
  if (o.length <= width) return o;
  o = v.toPrecision(10);
  if (o.length <= width) return o;
  return v.toExponential(5);
}

function largeExp(v: number): string {
  const o = stripDecimal(v.toFixed(11));
  return o.length > (v < 0 ? 12 : 11) || o === '0' || o === '-0' ? v.toPrecision(6) : o;
}

/**
 * Excel's General: at most 11 characters (a cell of standard width), switching to scientific
 * notation for large and small numbers: 123456789012 shows 1.23457E+11, 1234.56789012 shows
 * 1234.56789. (The algorithm of SheetJS's SSF, which models Excel's.)
 */
export function generalText(v: number): string {
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e10) return String(v);
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  let o: string;
  if (magnitude >= -4 && magnitude <= -1) o = v.toPrecision(10 + magnitude);
  else if (Math.abs(magnitude) <= 9) o = smallExp(v);
  else if (magnitude === 10) o = v.toFixed(10).slice(0, 12);
  else o = largeExp(v);
  o = o.toUpperCase();
  if (o.includes('E')) o = o.replace(MANTISSA_ZEROS, '$1E').replace(ONE_DIGIT_EXPONENT, '$10$2');
  return stripDecimal(o);
}
