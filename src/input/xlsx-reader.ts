/**
 * Streams the Customers and SipConnections sheets of an .xlsx workbook: a reader of lpsync's
 * own over yauzl (zip) and saxes (XML), one row at a time, never a whole sheet in memory.
 * (exceljs's streaming reader misread too many real workbooks: absolute part names from
 * openpyxl, inline rich text, namespace prefixes, `t="d"` dates, phonetic runs; it stays for writing.)
 */
import { RunError } from '../model/errors.js';
import { printable } from '../model/printable.js';
import type { SheetName } from '../model/catalogue.js';
import { isBlank, knownSheet, type IgnoredSheetEvent, type SheetEvent } from './events.js';
import { HEADER_SEARCH_ROWS, headerOfSheet, type NumberedRow } from './header-row.js';
import { readLimits, type ReadLimits } from './limits.js';
import type { BookContext } from './xlsx/cells.js';
import { notOoxml, notXlsx } from './xlsx/file-kind.js';
import { readWorkbookParts, type SheetPart, type WorkbookParts } from './xlsx/package.js';
import { readSharedStrings } from './xlsx/shared-strings.js';
import { refuseHiddenChoice, refuseTwins } from './xlsx/sheet-choice.js';
import { sheetEvents } from './xlsx/sheet-events.js';
import { readStyles } from './xlsx/styles.js';
import { readSheetTables, totalsRowsOf } from './xlsx/tables.js';
import { readWorksheet, type SheetNotes, type SheetRow } from './xlsx/worksheet.js';
import { openWorkbookZip, type WorkbookZip } from './xlsx/zip.js';

function unreadable(file: string, what: string, hint?: string): RunError {
  return new RunError('unreadable-input', `${file}: ${what}`, {
    hint:
      hint ?? 'Open it in Excel and save it as an .xlsx workbook with Customers and SipConnections sheets.',
  });
}

/** Events of the known sheets of one workbook. Throws `RunError('unreadable-input')` for a file that is not a readable workbook. */
export async function* readXlsx(file: string, given: Partial<ReadLimits> = {}): AsyncGenerator<SheetEvent[]> {
  const refused = await notXlsx(file);
  if (refused) throw refused;
  const limits = readLimits(given);
  const zip = await openWorkbookZip(file, limits);
  try {
    yield* readBook(file, zip, limits);
  } finally {
    zip.close();
  }
}

/** The shared strings and number formats every sheet of the workbook reads its cells with. */
async function bookParts(zip: WorkbookZip, file: string, parts: WorkbookParts, limits: ReadLimits) {
  const small = (what: string) => ({ file, what, maxTextChars: limits.maxCellChars * 8 + 1024 });
  const sharedStrings = parts.sharedStrings
    ? await readSharedStrings(
        await zip.open(parts.sharedStrings),
        small(`the shared strings (${parts.sharedStrings})`),
        limits.maxSharedStrings,
        () => zip.open(parts.sharedStrings!),
      )
    : [];
  const formats = parts.styles
    ? await readStyles(await zip.open(parts.styles), small(`the styles (${parts.styles})`))
    : [];
  return { sharedStrings, formats };
}

async function* readBook(file: string, zip: WorkbookZip, limits: ReadLimits): AsyncGenerator<SheetEvent[]> {
  const other = await notOoxml(file, zip);
  if (other) throw other;
  const parts = await readWorkbookParts(zip, file);
  refuseTwins(file, parts.sheets);
  const { sharedStrings, formats } = await bookParts(zip, file, parts, limits);
  const sheets = parts.sheets.filter((s): s is SheetPart & { part: string } => s.part !== undefined);
  const open = async (name: string, part: string, notes: SheetNotes) => {
    if (!zip.has(part))
      throw unreadable(
        file,
        `sheet "${name}" has no part ${part}: the file is damaged`,
        'Open it in Excel and save it again.',
      );
    // Sheet names reach messages: a control character in one is shown, not sent to the terminal.
    const book: BookContext = {
      file,
      sheet: printable(name),
      sharedStrings,
      formats,
      date1904: parts.date1904,
    };
    return readWorksheet(await zip.open(part), part, book, limits, notes, () => zip.open(part));
  };
  // Other sheets (Instructions, Lists…) first, only their first rows: one may hold a known sheet's header.
  const ignored: IgnoredSheetEvent[] = [];
  for (const { name, part, hidden } of sheets) {
    if (knownSheet(name)) continue;
    const lookalike = await lookalikeHeader(await open(name, part, { merges: [] }));
    if (lookalike)
      ignored.push({ type: 'ignored-sheet', file, name, ...lookalike, ...(hidden ? { hidden } : {}) });
  }
  refuseHiddenChoice(file, sheets, ignored);
  if (ignored.length > 0) yield ignored;
  const found: SheetName[] = [];
  for (const { name, part, hidden } of sheets) {
    const sheet = knownSheet(name);
    if (!sheet) continue;
    found.push(sheet);
    if (hidden) yield [{ type: 'hidden-sheet', file, sheet, name, hidden }];
    const tables = await readSheetTables(zip, file, part);
    const notes: SheetNotes = { merges: [] };
    const totals = totalsRowsOf(tables);
    const opened = await open(name, part, notes);
    const rows = totals.size > 0 ? withoutRows(opened, totals) : opened;
    yield* sheetEvents(file, sheet, rows, notes, tables);
  }
  if (found.length === 0) {
    const seen = parts.sheets.map((s) => printable(s.name));
    const lookalikes = ignored.map((i) => `"${printable(i.name)}" looks like ${i.looksLike}`);
    throw unreadable(
      file,
      seen.length
        ? `no Customers or SipConnections sheet (it has: ${seen.join(', ')})${lookalikes.length ? `; ${lookalikes.join(', ')}: rename it` : ''}`
        : 'no worksheet found: the file is empty or not a workbook',
    );
  }
}

/** A table's totals row holds SUBTOTALs and labels, not data: it is not read. */
async function* withoutRows(
  batches: AsyncGenerator<SheetRow[]>,
  skip: ReadonlySet<number>,
): AsyncGenerator<SheetRow[]> {
  for await (const rows of batches) yield rows.filter((row) => !skip.has(row.row));
}

/** The header row of a Customers or SipConnections sheet among a sheet's first non-blank rows. */
async function lookalikeHeader(
  batches: AsyncGenerator<NumberedRow[]>,
): Promise<{ row: number; looksLike: SheetName } | undefined> {
  let looked = 0;
  try {
    for await (const rows of batches)
      for (const { row, cells } of rows) {
        if (isBlank(cells)) continue;
        const looksLike = headerOfSheet(cells);
        if (looksLike) return { row, looksLike };
        if (++looked >= HEADER_SEARCH_ROWS) return undefined;
      }
    return undefined;
  } finally {
    await batches.return(undefined);
  }
}
