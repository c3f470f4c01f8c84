/**
 * Which tab is the Customers (or SipConnections) sheet: the one whose name says so, one of each
 * kind. Where two tabs could be that sheet, lpsync does not guess: two tabs read as one kind, or
 * a hidden tab of that name beside a visible tab with its headers, are refused, naming both.
 */
import { RunError } from '../../model/errors.js';
import { printable } from '../../model/printable.js';
import type { SheetName } from '../../model/catalogue.js';
import { knownSheet, type IgnoredSheetEvent } from '../events.js';
import type { SheetPart } from './package.js';

const HIDDEN_WORDS = { hidden: 'hidden', veryHidden: 'very hidden' } as const;

/** `"Customers"`, or `"Customers" (hidden)` for a tab Excel hides. */
function named(name: string, hidden: SheetPart['hidden']): string {
  return `"${printable(name)}"${hidden ? ` (${HIDDEN_WORDS[hidden]})` : ''}`;
}

/** Two tabs that both read as one sheet: which rows are meant cannot be guessed. */
export function refuseTwins(file: string, sheets: readonly SheetPart[]): void {
  const byKind = new Map<SheetName, SheetPart[]>();
  for (const sheet of sheets) {
    const kind = knownSheet(sheet.name);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), sheet]);
  }
  for (const [kind, twins] of byKind)
    if (twins.length > 1)
      throw new RunError(
        'invalid-input',
        `${file}: the sheets ${twins.map((s) => named(s.name, s.hidden)).join(' and ')} are both read as ${kind}; lpsync reads one sheet of each kind and does not merge them`,
        {
          hint: `Move the rows into one ${kind} sheet and delete or rename the other (e.g. "${printable(twins[1]!.name)} (old)"); nothing was read.`,
        },
      );
}

/**
 * A hidden tab named Customers beside a visible tab with Customers headers (a "Customers (new)"):
 * reading the hidden one would apply rows nobody sees, reading the other would guess. Refused.
 */
export function refuseHiddenChoice(
  file: string,
  sheets: readonly SheetPart[],
  lookalikes: readonly IgnoredSheetEvent[],
): void {
  for (const sheet of sheets) {
    const kind = knownSheet(sheet.name);
    if (!kind || !sheet.hidden) continue;
    const visible = lookalikes.find((l) => l.looksLike === kind && !l.hidden);
    if (!visible) continue;
    throw new RunError(
      'invalid-input',
      `${file}: two sheets could be the ${kind} sheet: ${named(sheet.name, sheet.hidden)}, which lpsync reads by its name but Excel hides, and the visible ${named(visible.name, undefined)}, which has the headers of a ${kind} sheet on row ${visible.row}; lpsync does not guess which holds the rows meant, and nothing was read`,
      {
        hint: `Unhide "${printable(sheet.name)}" (right-click a sheet tab › Unhide${sheet.hidden === 'veryHidden' ? '; a very hidden sheet shows only in the VBA editor, Developer › Visual Basic, its Visible property' : ''}), keep the sheet meant as ${kind} and delete the other.`,
      },
    );
  }
}

/** The warning for a hidden tab read because it is the only one of its kind. */
export function hiddenSheetMessage(name: string, hidden: 'hidden' | 'veryHidden', kind: SheetName): string {
  const how =
    hidden === 'veryHidden'
      ? 'very hidden (only the VBA editor shows it: Developer › Visual Basic, its Visible property)'
      : 'hidden (right-click a sheet tab › Unhide shows it)';
  return `sheet "${printable(name)}" is ${how}; lpsync reads it as the ${kind} sheet because its name says so: check that its rows are the ones meant, or delete it`;
}
