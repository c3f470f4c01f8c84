/**
 * The export (and the before-image) as files in the template's format: a workbook written row by row with
 * exceljs's streaming writer — the template's sheets, headers, notes, widths, Text columns, dropdowns and
 * Instructions, with rows — or the template's two CSV files. Whole or absent (written beside, then renamed).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { TEMPLATE_INSTRUCTIONS, TEMPLATE_LAST_ROW } from '../model/template-layout.js';
import { writeAtomicallyAsync, writeAtomicallyWith } from './atomic-file.js';
import { columnName } from './sheet-format.js';
import { workbookWriter } from './workbook-writer.js';
import type { ExportCell, ExportSheet } from './export-sheets.js';

/** The CSV files of an export, named as `lpsync template` names them. */
export const EXPORT_CSV_FILES = {
  Customers: 'customers.csv',
  SipConnections: 'sip-connections.csv',
} as const;

/** exceljs's streaming sheet has range validations; its typings do not declare them. */
interface RangeValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: '@' };
const NO_STYLE: Partial<ExcelJS.Style> = {};

function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExportSheet): void {
  const ws = workbook.addWorksheet(sheet.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c, i) => ({
    header: c.header,
    key: String(i),
    width: c.width,
    ...(c.text ? { style: TEXT_STYLE } : {}),
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  // The dropdowns reach as far as the template's, or the last row when there are more.
  const last = Math.max(TEMPLATE_LAST_ROW, sheet.rows.length + 1);
  sheet.columns.forEach((column, index) => {
    header.getCell(index + 1).note = column.note;
    if (!column.validation) return;
    const letter = columnName(index + 1);
    (ws as unknown as RangeValidations).dataValidations.add(`${letter}2:${letter}${last}`, column.validation);
  });
  header.commit();
  // One style object per kind of column, shared by its cells (exceljs looks a shared style up once).
  const styles = sheet.columns.map((c) => (c.text ? TEXT_STYLE : NO_STYLE));
  for (const values of sheet.rows) {
    const row = ws.addRow(values);
    values.forEach((value, i) => {
      if (value !== null) row.getCell(i + 1).style = styles[i]!;
    });
    row.commit();
  }
  ws.commit();
}

/** Writes the sheets as a template workbook at `path`, with the template's Instructions and `more` after them. */
export async function writeExportWorkbook(
  path: string,
  sheets: readonly ExportSheet[],
  options: { more: readonly string[]; created: Date },
): Promise<void> {
  await writeAtomicallyAsync(path, async (tmp) => {
    const workbook = new (workbookWriter())({
      filename: tmp,
      useStyles: true,
      // Inline strings: a shared-string table would hold every cell's text in memory until the end.
      useSharedStrings: false,
    });
    workbook.creator = 'lpsync';
    workbook.lastModifiedBy = 'lpsync';
    workbook.created = options.created;
    workbook.modified = options.created;
    for (const sheet of sheets) writeSheet(workbook, sheet);
    const instructions = workbook.addWorksheet('Instructions');
    instructions.columns = [{ width: 120 }];
    for (const line of [...options.more, ...TEMPLATE_INSTRUCTIONS]) instructions.addRow([line]).commit();
    instructions.commit();
    await workbook.commit();
  });
}

/** One CSV field: quoted when it holds a separator, a quote, a line break or spaces at its ends. */
function csvField(value: ExportCell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function exportCsv(sheet: ExportSheet): string {
  const lines = [sheet.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of sheet.rows) lines.push(row.map(csvField).join(','));
  // A BOM: Excel then reads the file as UTF-8 (names with accents), as lpsync does with or without it.
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** Writes the two CSV files into `dir` (made when missing); returns their paths. */
export function writeExportCsv(dir: string, sheets: readonly ExportSheet[]): string[] {
  return sheets.map((sheet) => {
    const path = join(dir, EXPORT_CSV_FILES[sheet.sheet]);
    writeAtomicallyWith(path, (tmp) => writeFileSync(tmp, exportCsv(sheet), 'utf8'));
    return path;
  });
}
