/**
 * The blank templates, generated from the field catalogue: `lpsync-template.xlsx` (both sheets,
 * a note on every header, dropdowns, widths, frozen header, an Instructions sheet) and one
 * header-only CSV per sheet. Deterministic: fixed workbook dates, no clock.
 */
import { fixZipDates } from './zip-dates.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { dropdownFor, fieldsOf, SHEET_NAMES, type FieldSpec, type SheetName } from '../model/catalogue.js';
import { columnLetter } from './headers.js';

/** Rows 2..LAST_ROW carry the dropdown validations. */
export const TEMPLATE_LAST_ROW = 1000;
/** Workbook created/modified date, fixed so that regenerating gives the same content. */
export const TEMPLATE_DATE = new Date(Date.UTC(2026, 0, 1));

export const TEMPLATE_FILES = {
  workbook: 'lpsync-template.xlsx',
  Customers: 'customers.csv',
  SipConnections: 'sip-connections.csv',
} as const;

function noteOf(field: FieldSpec): string {
  const required = field.required === 'always' ? ' Required.' : '';
  const compact = (name: string) => name.replace(/\s/g, '').toLowerCase();
  const names = field.apiNames.filter((n) => compact(n) !== compact(field.header));
  const aliases = names.length ? ` Also accepted as header: ${names.join(', ')}.` : '';
  return `${field.note}${required}${aliases}`;
}

function columnWidth(field: FieldSpec): number {
  const dropdown = dropdownFor(field.kind);
  const longest = Math.max(field.header.length, ...(dropdown ?? []).map((d) => d.length));
  const wide = field.kind === 'e164-list' || field.kind === 'dial-plan' || field.kind === 'uuid' ? 38 : 0;
  return Math.min(40, Math.max(12, longest + 4, wide));
}

const INSTRUCTIONS = [
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

interface RangeValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
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

function addSheet(workbook: ExcelJS.Workbook, sheet: SheetName): void {
  const fields = fieldsOf(sheet);
  const ws = workbook.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = fields.map((f) => ({
    header: f.header,
    key: f.path,
    width: columnWidth(f),
    ...(isTextColumn(f) ? { style: { numFmt: '@' } } : {}),
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  fields.forEach((field, index) => {
    const cell = header.getCell(index + 1);
    cell.note = noteOf(field);
    const choices = dropdownFor(field.kind);
    if (!choices) return;
    const letter = columnLetter(index);
    // exceljs supports range validations but its typings do not declare `dataValidations`.
    (ws as unknown as RangeValidations).dataValidations.add(`${letter}2:${letter}${TEMPLATE_LAST_ROW}`, {
      type: 'list',
      allowBlank: true,
      // Only OVOC is a closed list; the others also take other spellings (yes, 2, SipTrunk…).
      showErrorMessage: field.kind === 'ovoc-customer-type',
      errorTitle: field.header,
      error: `Choose one of: ${choices.join(', ')}`,
      formulae: [`"${choices.join(',')}"`],
    });
  });
}

/** The template workbook, built in memory (it is small: headers only). */
export function templateWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'lpsync';
  workbook.lastModifiedBy = 'lpsync';
  workbook.created = TEMPLATE_DATE;
  workbook.modified = TEMPLATE_DATE;
  for (const sheet of SHEET_NAMES) addSheet(workbook, sheet);
  const instructions = workbook.addWorksheet('Instructions');
  instructions.getColumn(1).width = 120;
  for (const line of INSTRUCTIONS) instructions.addRow([line]);
  return workbook;
}

/** A header-only CSV of a sheet. */
export function templateCsv(sheet: SheetName): string {
  return `${fieldsOf(sheet)
    .map((f) => f.header)
    .join(',')}\r\n`;
}

/** Writes the three template files into `dir`; returns their paths. */
export async function writeTemplates(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const workbookPath = join(dir, TEMPLATE_FILES.workbook);
  // Fixed dates inside (docProps) and on every zip entry: the same template is the same bytes.
  const bytes = Buffer.from(await templateWorkbook().xlsx.writeBuffer());
  await writeFile(workbookPath, fixZipDates(bytes, TEMPLATE_DATE));
  const written = [workbookPath];
  for (const sheet of SHEET_NAMES) {
    const path = join(dir, TEMPLATE_FILES[sheet]);
    await writeFile(path, templateCsv(sheet), 'utf8');
    written.push(path);
  }
  return written;
}
