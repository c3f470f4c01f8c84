/**
 * A cell that held a number (an .xlsx number cell carries both what it shows and the number):
 * which of the two a field reads. Number fields take the number itself (1234 from a cell showing
 * 1,234). Text fields take what the cell shows (a password 0123456 under the format 0000000), with
 * a warning, because a number can lose what was typed; when the shown text is not the exact value
 * (rounded, scientific notation, scaled, hidden) the cell is refused: type it as text.
 */
import type { FieldKind, FieldSpec } from './catalogue.js';
import { issueAt, type InputIssue } from './issues.js';
import { MASK } from './redact.js';
import type { BoundCell } from './rows.js';
import type { Origin } from './types.js';

/** Kinds whose value is a number or a code typed as one (1/0, license 2/3, SBC type 0–3). */
const NUMBER_KINDS: ReadonlySet<FieldKind> = new Set<FieldKind>([
  'integer',
  'positive-integer',
  'boolean',
  'license',
  'sbc-configuration-type',
]);

export interface NumberRead {
  /** The cell with the text the field reads. */
  cell: BoundCell;
  /** Why the cell cannot be read (it is refused). */
  error?: InputIssue;
  /** A number read as text: worth a warning if the value passes its field's rules. */
  warning?: InputIssue;
}

/** An id shown with the leading zeros its format adds (0001317) is the id as meant. */
function zeroPaddedId(cell: BoundCell): boolean {
  return /^\d+$/.test(cell.text) && cell.text.replace(/^0+(?=\d)/, '') === cell.number;
}

/** The text the field reads from a cell; a cell that was not a number passes unchanged. */
export function readNumberCell(
  field: Pick<FieldSpec, 'kind' | 'secret' | 'phoneLike'>,
  cell: BoundCell,
  origin: Origin,
): NumberRead {
  const number = cell.number;
  if (number === undefined) return { cell };
  if (NUMBER_KINDS.has(field.kind)) return { cell: { ...cell, text: number } };
  if (field.kind === 'id-text') return { cell: zeroPaddedId(cell) ? cell : { ...cell, text: number } };
  const secret = field.secret === true;
  const where = { ...origin, column: cell.column };
  const value = secret ? MASK : cell.text;
  const shows = secret ? 'a value (not shown: a secret)' : `"${cell.text}"`;
  if (cell.inexact)
    return {
      cell,
      error: issueAt(
        where,
        'error',
        'number-shown-inexactly',
        `this cell holds a number that its format shows as ${shows}, which is not the number itself (${secret ? 'rounded, scientific or hidden' : number}): lpsync reads a text column as the cell shows it and cannot tell which was meant; format the cell as Text and type it as text`,
        value,
      ),
    };
  // A phone number stored without its + (or leading 0) is refused by the phone rules that follow.
  if (field.phoneLike && cell.typedAsNumber && !/^[+0]/.test(cell.text)) return { cell };
  return {
    cell,
    warning: issueAt(
      where,
      'warning',
      'number-in-text-column',
      `this cell holds a number, so lpsync reads the text it shows, ${shows}; a number can lose a leading 0 or + and digits past 15: format the cell as Text and type the value again to keep it as typed`,
      value,
    ),
  };
}
