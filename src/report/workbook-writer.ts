/**
 * exceljs's streaming workbook writer alone, loaded when first asked for. `import ExcelJS from 'exceljs'`
 * loads the whole package (its readers, unzipper and their streams): 330 ms of CPU on this machine,
 * against 130 ms for the writer; and a command that writes none of the workbooks it serves (the review,
 * export and before-image workbooks) loads nothing of it.
 */
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

const require = createRequire(import.meta.url);

/** `ExcelJS.stream.xlsx.WorkbookWriter`, from its own module (the package's index only re-exports it); require caches it. */
export function workbookWriter(): typeof ExcelJS.stream.xlsx.WorkbookWriter {
  return require('exceljs/lib/stream/xlsx/workbook-writer.js') as typeof ExcelJS.stream.xlsx.WorkbookWriter;
}
