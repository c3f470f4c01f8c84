/**
 * Finding the header row: people put a title line, a date or blank rows above it. The header
 * is the first of a sheet's first non-blank rows whose cells are known headers; rows above it
 * are dropped (by number: a row stored before the header but numbered below it is data, one stored
 * after it but numbered above it a title). When no row qualifies, the first non-blank row is the
 * header (its unknown columns are then reported, as before).
 */
import { headerMeaning, normaliseHeader, SHEET_NAMES, type SheetName } from '../model/catalogue.js';
import type { CellText } from './cell-text.js';

/** How many non-blank rows are searched for the header row. */
export const HEADER_SEARCH_ROWS = 10;

/** Header words that name a combined CSV's Type column. */
const TYPE_HEADERS = new Set(['type', 'rowtype', 'recordtype', 'sheet']);

export function isTypeHeader(header: string): boolean {
  return TYPE_HEADERS.has(normaliseHeader(header));
}

/** True when a row reads as a header of one of the sheets: two known headers, or only known ones. */
export function looksLikeHeader(
  sheets: readonly SheetName[],
  cells: ReadonlyArray<CellText | undefined>,
): boolean {
  let filled = 0;
  let known = 0;
  for (const cell of cells) {
    if (!cell || cell.text === '') continue;
    filled++;
    if (isTypeHeader(cell.text) || sheets.some((s) => headerMeaning(s, cell.text).kind !== 'unknown'))
      known++;
  }
  return known >= 2 || (known >= 1 && known === filled);
}

export interface NumberedRow {
  row: number;
  cells: Array<CellText | undefined>;
}

/** Where a header search hands its rows: the header row (guessed when none looked like one), then each data row. */
export interface LocatedRows<R extends NumberedRow> {
  header(row: R, guessed: boolean): void;
  row(row: R): void;
}

/** Takes a sheet's non-blank rows one by one, synchronously (readers run it over a batch of rows). */
export interface HeaderSearch<R extends NumberedRow> {
  take(row: R): void;
  /** No more rows: rows still waiting are settled (the first taken as the header). */
  end(): void;
}

/**
 * The header row then the data rows, handed to `to`; title rows above the header are dropped. When
 * none of the first HEADER_SEARCH_ROWS non-blank rows looks like a header, the first one is taken.
 */
export function headerSearch<R extends NumberedRow>(
  sheets: readonly SheetName[],
  to: LocatedRows<R>,
): HeaderSearch<R> {
  const waiting: R[] = [];
  let found = false;
  let headerAt = 0;
  const fallback = () => {
    const [header, ...rest] = waiting.splice(0);
    if (!header) return;
    to.header(header, true);
    for (const row of rest) to.row(row);
  };
  return {
    take(row) {
      if (found) {
        if (row.row > headerAt) to.row(row);
        return;
      }
      if (looksLikeHeader(sheets, row.cells)) {
        found = true;
        headerAt = row.row;
        to.header(row, false);
        for (const before of waiting) if (before.row > headerAt) to.row(before);
        waiting.length = 0;
        return;
      }
      waiting.push(row);
      if (waiting.length >= HEADER_SEARCH_ROWS) {
        found = true;
        fallback();
      }
    },
    end() {
      if (!found) fallback();
    },
  };
}

/** The columns that make a row the header of a sheet: its key. */
const KEY_FIELDS: Record<SheetName, readonly string[]> = {
  Customers: ['shortName'],
  SipConnections: ['customerShortName', 'siteName'],
};

/**
 * The sheet a row of some other sheet is the header of: its key columns and at least three known
 * headers (a sheet of dropdown lists with License and OVOC Customer Type is not one).
 */
export function headerOfSheet(cells: ReadonlyArray<CellText | undefined>): SheetName | undefined {
  const texts = cells.filter((c): c is CellText => c !== undefined && c.text !== '').map((c) => c.text);
  // License is the Customers column a SIP connections header never has (the others overlap).
  const hasLicense = texts.some((t) => {
    const meaning = headerMeaning('Customers', t);
    return meaning.kind === 'field' && meaning.field.path === 'license';
  });
  for (const sheet of hasLicense ? SHEET_NAMES : [...SHEET_NAMES].reverse()) {
    const paths = new Set<string>();
    for (const cell of cells) {
      if (!cell || cell.text === '') continue;
      const meaning = headerMeaning(sheet, cell.text);
      if (meaning.kind === 'field') paths.add(meaning.field.path);
    }
    if (paths.size >= 3 && KEY_FIELDS[sheet].every((p) => paths.has(p))) return sheet;
  }
  return undefined;
}
