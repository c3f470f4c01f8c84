/**
 * How the template lays out a column: its header note, its width, whether it is formatted as Text, and
 * the Instructions sheet. Shared by the blank template (src/input/template.ts) and the export workbook
 * (src/report/export-workbook.ts), so that an export is the template with rows.
 */
import { dropdownFor, type FieldSpec } from './catalogue.js';

/** Rows 2..LAST_ROW of a blank template carry the dropdown validations. */
export const TEMPLATE_LAST_ROW = 1000;

/** The header note: what the field is and its rule, whether it is required, the API names also accepted. */
export function templateNote(field: FieldSpec): string {
  const required = field.required === 'always' ? ' Required.' : '';
  const compact = (name: string) => name.replace(/\s/g, '').toLowerCase();
  const names = field.apiNames.filter((n) => compact(n) !== compact(field.header));
  const aliases = names.length ? ` Also accepted as header: ${names.join(', ')}.` : '';
  return `${field.note}${required}${aliases}`;
}

export function templateColumnWidth(field: FieldSpec): number {
  const dropdown = dropdownFor(field.kind);
  const longest = Math.max(field.header.length, ...(dropdown ?? []).map((d) => d.length));
  const wide = field.kind === 'e164-list' || field.kind === 'dial-plan' || field.kind === 'uuid' ? 38 : 0;
  return Math.min(40, Math.max(12, longest + 4, wide));
}

// Kinds Excel would turn into numbers (dropping a + or leading 0, rounding past 15 digits) unless the column is Text.
const NUMBER_KINDS = new Set<FieldSpec['kind']>([
  'integer',
  'positive-integer',
  'boolean',
  'license',
  'ovoc-customer-type',
  'sbc-configuration-type',
]);

/** True for a column the template formats as Text (`@`). */
export function isTextColumn(field: FieldSpec): boolean {
  return !NUMBER_KINDS.has(field.kind);
}

/** A dropdown's data validation, as exceljs takes it (the kinds with fixed choices only). */
export interface DropdownValidation {
  type: 'list';
  allowBlank: true;
  showErrorMessage: boolean;
  errorTitle: string;
  error: string;
  formulae: string[];
}

/** The column's dropdown, or undefined when its kind has no fixed choices. */
export function dropdownValidation(field: FieldSpec): DropdownValidation | undefined {
  const choices = dropdownFor(field.kind);
  if (!choices) return undefined;
  return {
    type: 'list',
    allowBlank: true,
    // Only OVOC is a closed list; the others also take other spellings (yes, 2, SipTrunk…).
    showErrorMessage: field.kind === 'ovoc-customer-type',
    errorTitle: field.header,
    error: `Choose one of: ${choices.join(', ')}`,
    formulae: [`"${choices.join(',')}"`],
  };
}

/** The Instructions sheet of the template, one line per row. */
export const TEMPLATE_INSTRUCTIONS: readonly string[] = [
  'lpsync workbook: fill in one row per customer (Customers) and one row per further SIP connection (SipConnections).',
  'Headers are matched without case or spaces; the vendor API names (shortName, CarrierUserPassword, …) work too.',
  'Custom script variables: add a column CustomVar.Variable<N>, additionalProp<N>, or Var:<name> (sent as <name> exactly).',
  'Every header has a note with the rule of its field; yes/no fields accept TRUE/FALSE, yes/no, y/n, 1/0.',
  'Dates are not valid in any field. Type ids and numbers as numbers or text; both work.',
  'Text columns (phones, ids, names, passwords) are formatted as Text, so Excel keeps a leading + or 0 and all digits of long numbers; keep them so when pasting (paste values).',
  'A title line or blank rows above the header row are fine. Do not merge cells below the header: only the top cell of a merged range holds its value.',
  'CSV instead: one file per sheet (customers.csv, sip-connections.csv), or one file with a Type column (Customer / SipConnection).',
  'Save CSV as "CSV UTF-8 (comma delimited)". Semicolon or tab separated files and a first line sep=; work too; other encodings (Windows-1252, UTF-16) are refused.',
  'Check the workbook with: lpsync validate <file>. Nothing is sent to the Live Platform while there are errors.',
  'This sheet is ignored by lpsync.',
];
