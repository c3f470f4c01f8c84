/**
 * The issues a single cell can raise, whatever its row: faults (dates, formula errors, lost digits),
 * refusals before a column's rule, control characters, and a column rule's failures, placed at the cell.
 */
import type { FieldSpec } from './catalogue.js';
import { cellTooLong, SECRET_TEXT_FORMULA, type CellFinding } from './cell-checks.js';
import type { IssueRule } from './issue-rules.js';
import { issueAt, type InputIssue } from './issues.js';
import { codePoint, printable } from './printable.js';
import { MASK } from './redact.js';
import type { BoundCell, CellFault } from './rows.js';
import type { Origin } from './types.js';
import { characterName, invisibleCharacter } from './visible-text.js';

const FAULT_MESSAGES: Record<CellFault, string> = {
  date: 'a date is not valid here; type the value as text or a number',
  'formula-error':
    'the formula in this cell ends in an error (or has no saved result); type the value instead',
  'long-number':
    'Excel keeps only 15 digits of a number, so this one has lost digits; format the cell as Text and type the value again',
};

const FAULT_RULES: Record<CellFault, IssueRule> = {
  date: 'date-not-allowed',
  'formula-error': 'formula-error',
  'long-number': 'number-too-long',
};

// How Excel writes a number it shows in scientific notation into a CSV: the digits are gone.
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;

/** A digit or a sign first and an E in it: the only texts SCIENTIFIC can match (most cells are not). */
function mayBeScientific(text: string): boolean {
  const c = text.charCodeAt(0);
  return ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d) && (text.includes('E') || text.includes('e'));
}

/** The value to show in an issue: masked when the column holds a secret. */
export function shown(text: string, secret: boolean): string {
  return secret ? MASK : text;
}

/** Why a cell cannot be used at all, before its column's rule: undefined when nothing stops it. */
export function refusal(
  cell: BoundCell,
  field: FieldSpec | undefined,
  secret: boolean,
): CellFinding | undefined {
  const long = cellTooLong(cell.text);
  if (long) return long;
  if (secret && cell.excelTextFormula) return SECRET_TEXT_FORMULA;
  if (secret && cell.text === MASK)
    return {
      severity: 'error',
      rule: 'masked-secret',
      message: `${MASK} is the mask lpsync writes into reports, not a secret; type the real value (was this row copied from a results workbook?)`,
    };
  if (!field) return undefined;
  if (mayBeScientific(cell.text) && SCIENTIFIC.test(cell.text))
    return {
      severity: 'error',
      rule: 'scientific-notation',
      message: `${cell.text} is a number in scientific notation, so its digits are lost (Excel shows long numbers so and saves them so in CSV); format the column as Text or Number (0 decimals) in Excel and export again`,
    };
  return undefined;
}

/** A finding placed at its cell; the value masked when the column holds a secret. */
export function found(origin: Origin, cell: BoundCell, finding: CellFinding, secret: boolean): InputIssue {
  // A text longer than a cell holds is shown by its start: the message gives its length.
  const text = finding.rule === 'cell-too-long' ? `${cell.text.slice(0, 40)}…` : cell.text;
  const value = secret ? MASK : printable(text);
  return issueAt({ ...origin, column: cell.column }, finding.severity, finding.rule, finding.message, value);
}

/** A column rule's failures as issues; a phone number stored as a number and an invisible character said so. */
export function schemaIssues(
  origin: Origin,
  cell: BoundCell,
  failures: ReadonlyArray<{ rule: IssueRule; message: string }>,
  secret: boolean,
  text: string,
): InputIssue[] {
  const invisible = secret ? undefined : invisibleCharacter(text);
  return failures.map((issue) => {
    const { rule } = issue;
    // A phone number stored as a number cannot have kept its +.
    const message =
      rule === 'phone-e164' && cell.typedAsNumber
        ? `${cell.text} is stored as a number and Excel drops the + of numbers, so it is not E.164: format the cell as Text and type +${cell.text} (+ then the country code)`
        : `${issue.message}${invisible ? ` (it holds an invisible ${characterName(invisible)})` : ''}`;
    const value = shown(printable(cell.text), secret);
    return issueAt({ ...origin, column: cell.column }, 'error', rule, message, value);
  });
}

/** A control character or bidi override: invisible, or able to make a terminal or report show something else. */
export function controlCharacterIssue(
  origin: Origin,
  cell: BoundCell,
  ch: string,
  secret: boolean,
): InputIssue {
  return issueAt(
    { ...origin, column: cell.column },
    'error',
    'control-character',
    `invisible control character ${codePoint(ch)}: type the value again without it (such characters hide or reorder text on a screen)`,
    secret ? MASK : printable(cell.text),
  );
}

export function faultIssue(origin: Origin, cell: BoundCell, secret: boolean): InputIssue {
  const fault = cell.fault!;
  const rule = FAULT_RULES[fault];
  return issueAt(
    { ...origin, column: cell.column },
    'error',
    rule,
    FAULT_MESSAGES[fault],
    shown(cell.text, secret),
  );
}
