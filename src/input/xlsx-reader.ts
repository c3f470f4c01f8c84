/**
 * Streams the Customers and SipConnections sheets of an .xlsx workbook: a reader of lpsync's
 * own over yauzl (zip) and saxes (XML), one row at a time, never a whole sheet in memory.
 * (exceljs's streaming reader misread too many real workbooks: absolute part names from
 * openpyxl, inline rich text, namespace prefixes, `t="d"` dates, phonetic runs; it stays for writing.)
 */
import { open } from 'node:fs/promises';
import { RunError } from '../model/errors.js';
import { printable } from '../model/printable.js';
import type { SheetName } from '../model/catalogue.js';
import { isBlank, knownSheet, onlyFormulaErrors, type SheetEvent } from './events.js';
import { HEADER_SEARCH_ROWS, headerOfSheet, locateHeader, type NumberedRow } from './header-row.js';
import { readLimits, type ReadLimits } from './limits.js';
import type { MergedRange } from './merged-cells.js';
import type { BookContext } from './xlsx/cells.js';
import { readWorkbookParts, type SheetPart } from './xlsx/package.js';
import { readSharedStrings } from './xlsx/shared-strings.js';
import { readStyles } from './xlsx/styles.js';
import { readWorksheet } from './xlsx/worksheet.js';
import { openWorkbookZip, type WorkbookZip } from './xlsx/zip.js';

function unreadable(file: string, what: string, hint?: string): RunError {
  return new RunError('unreadable-input', `${file}: ${what}`, {
    hint:
      hint ?? 'Open it in Excel and save it as an .xlsx workbook with Customers and SipConnections sheets.',
  });
}

/** What the first bytes say the file is when it is not an .xlsx (zip) file; undefined when it may be one. */
export async function notXlsx(file: string): Promise<RunError | undefined> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return undefined;
  if (head.readUInt32BE(0) === 0xd0cf11e0)
    return new RunError(
      'unreadable-input',
      `${file}: not a readable .xlsx workbook: it is an Excel 97-2003 (.xls) workbook or a password-protected one`,
      {
        hint: 'Open it in Excel, remove the password (File › Info › Protect Workbook) and save it as .xlsx.',
      },
    );
  const text = [...head].every(
    (b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80,
  );
  return unreadable(
    file,
    text
      ? 'not a readable .xlsx workbook: it is text (a CSV file?)'
      : 'not a readable .xlsx workbook (not a zip file)',
    text ? 'Give a CSV file a .csv name: lpsync validate --customers file.csv' : undefined,
  );
}

/** Two tabs that both read as one sheet: which rows are meant cannot be guessed. */
function refuseTwins(file: string, sheets: SheetPart[]): void {
  const byKind = new Map<SheetName, string[]>();
  for (const sheet of sheets) {
    const kind = knownSheet(sheet.name);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), printable(sheet.name)]);
  }
  for (const [kind, names] of byKind)
    if (names.length > 1)
      throw new RunError(
        'invalid-input',
        `${file}: the sheets ${names.map((n) => `"${n}"`).join(' and ')} are both read as ${kind}; lpsync reads one sheet of each kind and does not merge them`,
        {
          hint: `Move the rows into one ${kind} sheet and delete or rename the other (e.g. "${names[1]} (old)"); nothing was read.`,
        },
      );
}

/** Events of the known sheets of one workbook. Throws `RunError('unreadable-input')` for a file that is not a readable workbook. */
export async function* readXlsx(file: string, given: Partial<ReadLimits> = {}): AsyncGenerator<SheetEvent> {
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

async function* readBook(file: string, zip: WorkbookZip, limits: ReadLimits): AsyncGenerator<SheetEvent> {
  const parts = await readWorkbookParts(zip, file);
  refuseTwins(file, parts.sheets);
  const small = (what: string) => ({ file, what, maxTextChars: limits.maxCellChars * 8 + 1024 });
  const sharedStrings = parts.sharedStrings
    ? await readSharedStrings(
        await zip.open(parts.sharedStrings),
        small(`the shared strings (${parts.sharedStrings})`),
        limits.maxSharedStrings,
      )
    : [];
  const formats = parts.styles
    ? await readStyles(await zip.open(parts.styles), small(`the styles (${parts.styles})`))
    : [];
  const found: SheetName[] = [];
  const lookalikes: string[] = [];
  for (const { name, part } of parts.sheets) {
    if (!part) continue;
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
    const sheet = knownSheet(name);
    const merges: MergedRange[] = [];
    const rows = readWorksheet(await zip.open(part), part, book, limits, merges);
    // Other sheets (Instructions, Lists…): only their first rows, for a header of a known sheet.
    if (!sheet) {
      const lookalike = await lookalikeHeader(rows);
      if (lookalike) {
        lookalikes.push(`"${printable(name)}" looks like ${lookalike.looksLike}`);
        yield { type: 'ignored-sheet', file, name, ...lookalike };
      }
      continue;
    }
    found.push(sheet);
    yield* sheetEvents(file, sheet, rows, merges);
  }
  if (found.length === 0) {
    const seen = parts.sheets.map((s) => printable(s.name));
    throw unreadable(
      file,
      seen.length
        ? `no Customers or SipConnections sheet (it has: ${seen.join(', ')})${lookalikes.length ? `; ${lookalikes.join(', ')}: rename it` : ''}`
        : 'no worksheet found: the file is empty or not a workbook',
    );
  }
}

/** The header row of a Customers or SipConnections sheet among a sheet's first non-blank rows. */
async function lookalikeHeader(
  rows: AsyncGenerator<NumberedRow>,
): Promise<{ row: number; looksLike: SheetName } | undefined> {
  let looked = 0;
  try {
    for await (const { row, cells } of rows) {
      if (isBlank(cells)) continue;
      const looksLike = headerOfSheet(cells);
      if (looksLike) return { row, looksLike };
      if (++looked >= HEADER_SEARCH_ROWS) return undefined;
    }
    return undefined;
  } finally {
    await rows.return(undefined);
  }
}

async function* nonBlank(rows: AsyncIterable<NumberedRow>): AsyncGenerator<NumberedRow> {
  for await (const row of rows) if (!isBlank(row.cells)) yield row;
}

async function* sheetEvents(
  file: string,
  sheet: SheetName,
  rows: AsyncIterable<NumberedRow>,
  merges: MergedRange[],
): AsyncGenerator<SheetEvent> {
  let headerSeen = false;
  let headerRow = 0;
  const errorOnly = { firstRow: 0, lastRow: 0, count: 0 };
  for await (const located of locateHeader(nonBlank(rows), [sheet])) {
    const { row, cells } = located.row;
    if (located.kind === 'header') {
      headerSeen = true;
      headerRow = row;
      const headers = Array.from(cells, (c) => c?.text ?? '');
      yield {
        type: 'header',
        file,
        sheets: [sheet],
        row,
        headers,
        ...(located.guessed ? { guessed: true } : {}),
      };
    } else if (onlyFormulaErrors(cells)) {
      // Nothing typed on the row: a formula filled down past the data (#N/A from a lookup).
      errorOnly.firstRow ||= row;
      errorOnly.lastRow = row;
      errorOnly.count++;
    } else {
      yield { type: 'row', file, sheet, row, cells };
    }
  }
  if (errorOnly.count > 0) yield { type: 'error-only-rows', file, sheet, ...errorOnly };
  if (!headerSeen) yield { type: 'header', file, sheets: [sheet], row: 1, headers: [] };
  for (const merge of merges)
    if (headerSeen && merge.lastRow > headerRow)
      yield {
        type: 'merged',
        file,
        sheet,
        ref: merge.ref,
        column: merge.firstColumn - 1,
        firstRow: merge.firstRow,
        lastRow: merge.lastRow,
      };
}
