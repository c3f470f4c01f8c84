/**
 * The columns of an input sheet in the results workbook, in the order a person reads a row: the row's
 * key (Short Name; Customer Short Name and Site Name), then what became of it (Action, Status, Error),
 * then every other input column as it was, then the details (GUIDs, deployment state, attempts,
 * duration, and last the platform's messages). The key stays in view (frozen) and the key and outcome are what prints.
 */
import { headerMeaning, type SheetName } from '../model/catalogue.js';
import { RESULT_COLUMNS, type ResultColumn } from '../model/result-columns.js';
import type { ReportSheet } from './types.js';

/** What became of the row: beside its key, on screen and on paper. */
export const OUTCOME_COLUMNS = ['Action', 'Status', 'Error'] as const satisfies readonly ResultColumn[];

/** The rest of the result columns, after the input's own; Messages last, so that its one line runs on to the right. */
const DETAIL_COLUMNS = [
  ...RESULT_COLUMNS.filter((c) => !(OUTCOME_COLUMNS as readonly string[]).includes(c) && c !== 'Messages'),
  'Messages',
] as const satisfies readonly ResultColumn[];

/** The fields that name a row, per sheet, in the order they are shown. */
const KEY_FIELDS: Record<SheetName, readonly string[]> = {
  Customers: ['shortName'],
  SipConnections: ['customerShortName', 'siteName'],
};

/** Widths (characters) of the result columns: a GUID whole, the messages readable. */
export const RESULT_WIDTHS: Record<ResultColumn, number> = {
  Action: 18,
  Status: 11,
  'Customer GUID': 38,
  'Site GUID': 38,
  'Deployment State': 17,
  Messages: 70,
  Error: 50,
  Attempts: 10,
  'Duration (ms)': 14,
};

/** Where a column's values come from: the input row's column `index`, or a result column. */
export type ColumnSource = { kind: 'input'; index: number } | { kind: 'result'; column: ResultColumn };

export interface ResultSheetColumns {
  columns: Array<{ header: string; source: ColumnSource; width: number }>;
  /** Columns kept in view when scrolling right: the row's key. */
  frozen: number;
  /** Columns printed: the key and the outcome. */
  printed: number;
}

/** The input columns (0-based) that hold the row's key, in key order; none on a sheet of another name. */
export function keyColumns(sheet: Pick<ReportSheet, 'sheet' | 'headers'>): number[] {
  const fields = KEY_FIELDS[sheet.sheet as SheetName];
  if (!fields) return [];
  const found: number[] = [];
  for (const path of fields) {
    const index = sheet.headers.findIndex((h) => {
      const meaning = headerMeaning(sheet.sheet as SheetName, h);
      return meaning.kind === 'field' && meaning.field.path === path;
    });
    if (index >= 0) found.push(index);
  }
  return found;
}

/** The column order of one input sheet; `inputWidths[i]` is input column i's width. */
export function resultSheetColumns(
  sheet: Pick<ReportSheet, 'sheet' | 'headers'>,
  inputWidths: readonly number[],
): ResultSheetColumns {
  const keys = keyColumns(sheet);
  const input = (index: number) => ({
    header: sheet.headers[index]!,
    source: { kind: 'input' as const, index },
    width: inputWidths[index] ?? 10,
  });
  const result = (column: ResultColumn) => ({
    header: column,
    source: { kind: 'result' as const, column },
    width: RESULT_WIDTHS[column],
  });
  const rest = sheet.headers.map((_, i) => i).filter((i) => !keys.includes(i));
  return {
    columns: [
      ...keys.map(input),
      ...OUTCOME_COLUMNS.map(result),
      ...rest.map(input),
      ...DETAIL_COLUMNS.map(result),
    ],
    frozen: keys.length,
    printed: keys.length + OUTCOME_COLUMNS.length,
  };
}
