/**
 * What a reader (xlsx or csv) hands on, one event at a time: a sheet's header row, then its
 * rows. Cells are indexed by column (0-based) and already reduced to the text a person typed.
 */
import type { SheetName } from '../model/catalogue.js';
import type { CellText } from './cell-text.js';
import type { NumberConvention } from './number-convention.js';

export interface HeaderEvent {
  type: 'header';
  file: string;
  /** The sheets whose rows follow under this header (a combined CSV holds both). */
  sheets: SheetName[];
  /** Row number of the header as Excel shows it. */
  row: number;
  headers: string[];
  /** Index of a combined CSV's `Type` column. */
  typeColumn?: number;
  /** No row of the first ones looked like a header: the first non-blank row is taken as one. */
  guessed?: boolean;
  /** A CSV's own way of writing numbers (a semicolon file's decimal comma), when it has one. */
  numbers?: NumberConvention;
}

export interface RowEvent {
  type: 'row';
  file: string;
  sheet: SheetName;
  row: number;
  cells: Array<CellText | undefined>;
  /** Cells the file holds twice in this row, by reference (`C5`): which value is meant is unknown. */
  duplicates?: string[];
  /** The file holds this row twice (a second `<row r="5">` with values): which one is meant is unknown. */
  repeated?: true;
}

/** Rows read that are hidden in Excel: hidden by hand, or filtered out by an AutoFilter. */
export interface HiddenRowsEvent {
  type: 'hidden-rows';
  file: string;
  sheet: SheetName;
  rows: Array<{ row: number; filtered: boolean }>;
}

/** A sheet read though Excel hides it: it is the only sheet of its kind. */
export interface HiddenSheetEvent {
  type: 'hidden-sheet';
  file: string;
  sheet: SheetName;
  /** The tab's name as written. */
  name: string;
  hidden: 'hidden' | 'veryHidden';
}

/** A combined CSV row whose Type cell names neither sheet. */
export interface UntypedRowEvent {
  type: 'untyped-row';
  file: string;
  row: number;
  typeText: string;
  typeColumn: string;
}

/** A range merged down several rows below the header: only its first row holds the value. */
export interface MergedEvent {
  type: 'merged';
  file: string;
  sheet: SheetName;
  /** As Excel writes it, e.g. `B3:B6`. */
  ref: string;
  /** 0-based column of the range's first cell. */
  column: number;
  firstRow: number;
  lastRow: number;
}

/** A sheet lpsync does not read (its name is not Customers or SipConnections) that has the headers of one. */
export interface IgnoredSheetEvent {
  type: 'ignored-sheet';
  file: string;
  /** The sheet's name as written. */
  name: string;
  row: number;
  looksLike: SheetName;
  hidden?: 'hidden' | 'veryHidden';
}

/** Rows below the header whose only cells are formulas ending in an error (a lookup filled down past the data). */
export interface ErrorOnlyRowsEvent {
  type: 'error-only-rows';
  file: string;
  sheet: SheetName;
  firstRow: number;
  lastRow: number;
  count: number;
}

export type SheetEvent =
  | HeaderEvent
  | RowEvent
  | UntypedRowEvent
  | MergedEvent
  | IgnoredSheetEvent
  | ErrorOnlyRowsEvent
  | HiddenRowsEvent
  | HiddenSheetEvent;

/** True when every cell of a row is a formula that ends in an error (nothing was typed on it). */
export function onlyFormulaErrors(cells: Array<CellText | undefined>): boolean {
  let any = false;
  for (const cell of cells) {
    if (!cell) continue;
    if (cell.fault !== 'formula-error') return false;
    any = true;
  }
  return any;
}

const SHEET_WORDS: Record<string, SheetName> = {
  customers: 'Customers',
  customer: 'Customers',
  sipconnections: 'SipConnections',
  sipconnection: 'SipConnections',
  sites: 'SipConnections',
  sitelocations: 'SipConnections',
};

/**
 * Sheet names are matched without case, spaces, underscores or hyphens, singular or plural:
 * `customers`, `SIP Connections`, `Sip_Connection`, `Sites`.
 */
export function knownSheet(name: string): SheetName | undefined {
  return SHEET_WORDS[name.replace(/[\s_\-\u200b-\u200d\u2060\ufeff]+/g, '').toLowerCase()];
}

/** True when a row holds no text at all (blank rows are skipped, their numbers kept). */
export function isBlank(cells: Array<CellText | undefined>): boolean {
  return cells.every((c) => c === undefined || (c.text.trim() === '' && !c.fault && c.number === undefined));
}
