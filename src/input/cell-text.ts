/**
 * A cell as the readers hand it on: the text a person typed (or a number cell shows), tidied, and
 * a fault when the cell holds something no field takes (a date, a formula error, a number that lost digits).
 */
import type { CellFault } from '../model/rows.js';

export interface CellText {
  text: string;
  fault?: CellFault;
  /** The cell held a number (so Excel dropped any leading + or 0 the person typed). */
  typedAsNumber?: boolean;
  /**
   * A number cell (typed or a formula's result): the number itself, as Excel keeps it ("1234"),
   * while `text` is what the cell shows under its number format ("1,234").
   */
  number?: string;
  /** A number cell whose shown text is not its exact value (rounded, scientific, scaled or hidden). */
  inexact?: true;
}

// Invisible characters pasted text carries: zero-width spaces and joiners, word joiner, BOM, soft hyphen.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** A value as meant: invisible characters dropped, spaces (non-breaking ones too) trimmed. */
export function tidyText(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}

/** Whole numbers without exponent or float noise (1317027 → "1317027", 0.1+0.2 → "0.3"). */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}
