/**
 * One exceljs cell value → the text a person typed. Formulas give their cached result, rich
 * text and hyperlinks their plain text, numbers their shortest decimal form; dates and formula
 * errors are flagged, because no field accepts them.
 */
import type { CellFault } from '../model/rows.js';
import { textOf } from '../model/text.js';

export interface CellText {
  text: string;
  fault?: CellFault;
  /** The cell held a number (so Excel dropped any leading + or 0 the person typed). */
  typedAsNumber?: boolean;
}

// Invisible characters pasted text carries: zero-width spaces and joiners, word joiner, BOM, soft hyphen.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** A value as meant: invisible characters dropped, spaces (non-breaking ones too) trimmed. */
export function tidyText(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}

/** Excel keeps 15 significant digits: a longer whole number typed as a number has lost digits. */
const EXACT_DIGITS_LIMIT = 1e15;

/** Whole numbers without exponent or float noise (1317027 → "1317027", 0.1+0.2 → "0.3"). */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}

function dateText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

interface RichTextRun {
  text?: string;
}

/**
 * The text of a cell value as the streaming reader hands it over. `dateFormatted` says the cell
 * carries a date number format (formula results arrive as plain numbers even then).
 * Returns undefined for an empty cell.
 */
export function cellText(value: unknown, dateFormatted = false): CellText | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') {
    // exceljs reads any cached error (#N/A, #REF!…) of a formula as NaN: which one is lost.
    if (Number.isNaN(value)) return { text: '#error', fault: 'formula-error' };
    if (Number.isInteger(value) && Math.abs(value) >= EXACT_DIGITS_LIMIT)
      return { text: numberText(value), fault: 'long-number' };
    return { text: numberText(value) };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: dateText(value), fault: 'date' };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('error' in v) return { text: String(v.error), fault: 'formula-error' };
    if (Array.isArray(v.richText))
      return { text: (v.richText as RichTextRun[]).map((r) => r.text ?? '').join('') };
    if ('formula' in v || 'sharedFormula' in v) {
      // The cached result; a result that is an error reads back as NaN (exceljs #3074).
      if (!('result' in v) || v.result === undefined) return { text: '', fault: 'formula-error' };
      const result = cellText(v.result);
      if (result && !result.fault && dateFormatted && typeof v.result === 'number')
        return { text: result.text, fault: 'date' };
      return result;
    }
    if ('text' in v) return cellText(v.text);
    // An e-mail typed into a cell becomes a mailto: link; the address is what was meant.
    if ('hyperlink' in v && typeof v.hyperlink === 'string')
      return { text: v.hyperlink.replace(/^mailto:/i, '') };
  }
  return { text: textOf(value) };
}
