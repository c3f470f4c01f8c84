/**
 * A cell as the readers hand it on: the text as typed (or as a number cell shows it), and a fault
 * when the cell holds something no field takes (a date, a formula error, a number that lost digits).
 * Readers never trim or clean a value: which column it is in decides that (a secret is never touched), in src/model.
 */
import type { CellKind } from '../model/bound-row.js';
import { showsNothing } from '../model/visible-text.js';

export interface CellText extends CellKind {
  /** As typed, or as a number cell shows it; never trimmed here. */
  text: string;
}

/**
 * A cell's text as typed, or '' when it shows nothing (only whitespace and invisible characters):
 * such a cell is empty, as it looks. Nothing else is changed; each column trims what it may.
 */
export function tidyText(text: string): string {
  return showsNothing(text) ? '' : text;
}

// Invisible characters that pasted text carries: zero-width spaces and joiners, word joiner, BOM, soft hyphen.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** A header as meant: a label, not a value, so invisible characters go and its ends are trimmed. */
export function headerText(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}

// Exactly ="…", inner quotes doubled: how Excel (and scripts written for it) keep 0001317 as text in a CSV.
const EXCEL_TEXT_FORMULA = /^="((?:[^"]|"")*)"$/s;

/** The text Excel shows for a CSV cell written `="…"`, or undefined for any other cell. */
export function excelTextFormula(text: string): string | undefined {
  if (text.charCodeAt(0) !== 0x3d) return undefined; // '=': most cells are not formulas
  const match = EXCEL_TEXT_FORMULA.exec(text);
  return match ? match[1]!.replace(/""/g, '"') : undefined;
}

/** Whole numbers without exponent or float noise (1317027 → "1317027", 0.1+0.2 → "0.3"). */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}
