/**
 * The values of plain text cells already checked under one header: a column of dropdown values
 * (License, OVOC Customer Type, TRUE/FALSE, a profile every row shares) is checked once per distinct
 * text, not once per row; a cell object a reader hands on again (a number cell too) once per object.
 * Only a cell that passed with nothing to say is remembered (its check depends on its content alone),
 * and only a value that cannot be changed: lists are built for each row.
 */
import type { BoundCell } from './bound-row.js';

/** Distinct texts remembered per column: a column of names or ids stops being remembered past it. */
const MAX_TEXTS = 256;

export interface CheckedValues {
  /** By catalogue index: the texts seen and their values; null once the column has too many. */
  readonly byField: Array<Map<string, string | number | boolean> | null | undefined>;
  /** By catalogue index: the bound cell last found here and its value (a repeated cell is one object). */
  readonly lastCell: Array<BoundCell | undefined>;
  readonly lastValue: unknown[];
}

export function checkedValues(): CheckedValues {
  return { byField: [], lastCell: [], lastValue: [] };
}

/** A cell whose check depends on its text alone: typed as text, no number, fault or formula behind it. */
function plainCell(cell: BoundCell): boolean {
  return (
    cell.fault === undefined &&
    cell.number === undefined &&
    cell.typedAsNumber !== true &&
    cell.excelTextFormula !== true &&
    cell.inexact === undefined
  );
}

/**
 * The value this column gave the cell before, if it passed with nothing to say: by the cell itself
 * (readers hand on one object for a repeated cell, number cells included), else by a plain cell's text.
 */
export function knownValue(values: CheckedValues, field: number, cell: BoundCell): unknown {
  if (values.lastCell[field] === cell) return values.lastValue[field];
  if (!plainCell(cell)) return undefined;
  const value = values.byField[field]?.get(cell.text);
  if (value !== undefined) {
    values.lastCell[field] = cell;
    values.lastValue[field] = value;
  }
  return value;
}

/** Keeps the value of a cell that passed with no issue; a list or object is not kept. */
export function remember(values: CheckedValues, field: number, cell: BoundCell, value: unknown): void {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
  values.lastCell[field] = cell;
  values.lastValue[field] = value;
  if (!plainCell(cell)) return;
  let texts = values.byField[field];
  if (texts === null) return;
  if (texts === undefined) values.byField[field] = texts = new Map();
  if (texts.size >= MAX_TEXTS) values.byField[field] = null;
  else texts.set(cell.text, value);
}
