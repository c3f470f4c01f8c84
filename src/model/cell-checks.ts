/**
 * The checks of one cell before its column's rule: what no column takes (more than Excel holds, a
 * secret that cannot be told from its writing), the unseen characters at its ends, and a
 * decimal-comma file's whole numbers. A secret is never changed here, only warned about.
 */
import type { FieldKind } from './catalogue.js';
import { readDecimalComma, WHOLE_NUMBER_KINDS, type NumberConvention } from './decimal-comma.js';
import type { IssueRule } from './issue-rules.js';
import { describeEdge, isInvisible, trimSpace, unseenEdge } from './visible-text.js';

/** Excel holds at most 32,767 characters in a cell (and so can the results workbook). */
export const EXCEL_CELL_CHARS = 32_767;

export interface CellFinding {
  severity: 'error' | 'warning';
  rule: IssueRule;
  message: string;
}

/** The text a column works with, and what was found on the way; an error ends the cell's checks. */
export interface CellReading {
  text: string;
  findings: CellFinding[];
}

/** Nothing found: the text as it is (shared, so the usual cell allocates nothing here). */
const AS_IS: CellFinding[] = [];

/** A value's text as bound to its column: a secret as typed, anything else without whitespace at its ends. */
export function valueText(text: string, secret: boolean): string {
  return secret ? text : trimSpace(text);
}

/** A cell no column can take, whatever it holds; undefined when it fits. */
export function cellTooLong(text: string): CellFinding | undefined {
  if (text.length <= EXCEL_CELL_CHARS) return undefined;
  return {
    severity: 'error',
    rule: 'cell-too-long',
    message: `this cell holds ${text.length.toLocaleString('en-US')} characters; Excel holds at most ${EXCEL_CELL_CHARS.toLocaleString('en-US')} in a cell (the results workbook could not write it back): shorten it`,
  };
}

/** A secret written `="…"` in a CSV: whether = and the quotes belong to it cannot be told. */
export const SECRET_TEXT_FORMULA: CellFinding = {
  severity: 'error',
  rule: 'secret-text-formula',
  message:
    'this secret is written ="…" (the way a CSV keeps a value as text for Excel), and lpsync does not guess whether = and the quotes are part of it: write the secret itself in the cell',
};

// Kinds whose values are names people find services and sites by: an unseen character there is refused.
const KEY_KINDS: ReadonlySet<FieldKind> = new Set(['short-name', 'site-name']);
// Kinds that hold free text: the value is sent as typed, an unseen character included.
const TEXT_KINDS: ReadonlySet<FieldKind> = new Set([
  'text',
  'id-text',
  'carrier-user-name',
  'carrier-password',
]);

/** A secret's ends: a space or an invisible character there is sent, with a warning that never shows the secret. */
function secretEdges(text: string): CellReading {
  const edge = unseenEdge(text);
  if (!edge) return { text, findings: AS_IS };
  const verb = edge.at === 'start' ? 'starts' : 'ends';
  return {
    text,
    findings: [
      {
        severity: 'warning',
        rule: 'secret-edge-character',
        message: `this secret ${verb} with ${describeEdge(edge)}: it is sent as typed, with it; if that is not part of the secret, delete it`,
      },
    ],
  };
}

/** Strips invisible characters (not spaces: those are trimmed already) from both ends. */
function stripInvisibleEnds(text: string): string {
  const chars = [...text];
  while (chars.length > 0 && isInvisible(chars[0]!)) chars.shift();
  while (chars.length > 0 && isInvisible(chars[chars.length - 1]!)) chars.pop();
  return chars.join('');
}

/** A non-secret value's ends (whitespace already trimmed): an invisible character there is kept, refused or ignored by kind. */
function valueEdges(text: string, kind: FieldKind | 'custom'): CellReading {
  const edge = unseenEdge(text);
  if (!edge) return { text, findings: AS_IS };
  const what = `${describeEdge(edge)} at its ${edge.at}`;
  if (kind !== 'custom' && KEY_KINDS.has(kind))
    return {
      text,
      findings: [
        {
          severity: 'error',
          rule: 'invisible-character',
          message: `this name has ${what}: it would be part of the name on the Live Platform, unseen, and nobody could find it by typing the name; delete it`,
        },
      ],
    };
  if (kind === 'custom' || TEXT_KINDS.has(kind))
    return {
      text,
      findings: [
        {
          severity: 'warning',
          rule: 'invisible-character',
          message: `this value has ${what}: it is sent as typed, with it; delete it if it came in by a paste`,
        },
      ],
    };
  // A GUID, number, e-mail, choice… cannot hold it: what the person sees is the value.
  return {
    text: stripInvisibleEnds(text),
    findings: [
      {
        severity: 'warning',
        rule: 'invisible-character',
        message: `this value has ${what}, which such a value cannot hold: it was left out`,
      },
    ],
  };
}

/**
 * A cell's text for its column's rule: a secret as typed (warned about unseen ends), any other
 * value with its unseen ends handled by kind, and a decimal-comma file's numbers read by its
 * convention. Undefined when there is nothing to say and the text stays as it is (the usual cell).
 */
export function readCell(
  text: string,
  kind: FieldKind | 'custom',
  secret: boolean,
  numbers: NumberConvention | undefined,
): CellReading | undefined {
  const wholeNumber = numbers !== undefined && kind !== 'custom' && WHOLE_NUMBER_KINDS.has(kind);
  if (!wholeNumber && !unseenEdge(text)) return undefined;
  if (secret) return secretEdges(text);
  const edges = valueEdges(trimSpace(text), kind);
  if (!wholeNumber || edges.findings.some((f) => f.severity === 'error')) return edges;
  const reading = readDecimalComma(edges.text, kind);
  if ('rule' in reading)
    return {
      text: edges.text,
      findings: [...edges.findings, { severity: 'error', rule: reading.rule, message: reading.message }],
    };
  const note: CellFinding[] = reading.note
    ? [{ severity: 'warning', rule: 'number-convention', message: reading.note }]
    : [];
  return { text: reading.text, findings: [...edges.findings, ...note] };
}
