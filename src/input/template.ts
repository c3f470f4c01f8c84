/**
 * The blank templates, generated from the field catalogue: `lpsync-template.xlsx` (both sheets,
 * a note on every header, dropdowns, widths, frozen header, an Instructions sheet) and one
 * header-only CSV per sheet. Deterministic: fixed workbook dates, no clock.
 */
import { fixZipDates } from './zip-dates.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { fieldsOf, SHEET_NAMES, type SheetName } from '../model/catalogue.js';
import {
  dropdownValidation,
  isTextColumn,
  templateColumnWidth,
  templateNote,
  TEMPLATE_INSTRUCTIONS,
  TEMPLATE_LAST_ROW,
} from '../model/template-layout.js';
import { columnLetter } from './headers.js';

export { TEMPLATE_LAST_ROW };
/** Workbook created/modified date, fixed so that regenerating gives the same content. */
export const TEMPLATE_DATE = new Date(Date.UTC(2026, 0, 1));

export const TEMPLATE_FILES = {
  workbook: 'lpsync-template.xlsx',
  Customers: 'customers.csv',
  SipConnections: 'sip-connections.csv',
} as const;

interface RangeValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

export { isTextColumn };

function addSheet(workbook: ExcelJS.Workbook, sheet: SheetName): void {
  const fields = fieldsOf(sheet);
  const ws = workbook.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = fields.map((f) => ({
    header: f.header,
    key: f.path,
    width: templateColumnWidth(f),
    ...(isTextColumn(f) ? { style: { numFmt: '@' } } : {}),
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  fields.forEach((field, index) => {
    const cell = header.getCell(index + 1);
    cell.note = templateNote(field);
    const validation = dropdownValidation(field);
    if (!validation) return;
    const letter = columnLetter(index);
    // exceljs supports range validations but its typings do not declare `dataValidations`.
    (ws as unknown as RangeValidations).dataValidations.add(
      `${letter}2:${letter}${TEMPLATE_LAST_ROW}`,
      validation,
    );
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
  for (const line of TEMPLATE_INSTRUCTIONS) instructions.addRow([line]);
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
