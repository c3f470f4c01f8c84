/**
 * A row whose cells are bound to the catalogue: what header binding hands to row validation. A
 * row's field cells are held by the field's place in its sheet's catalogue (`fieldsOf`), not in a
 * map keyed by model path: a row is read once per row of every sheet, and a map a row (built, grown,
 * iterated) was a tenth of the checks' CPU.
 */
import { fieldsOf, type FieldSpec, type SheetName } from './catalogue.js';
import type { CheckedValues } from './checked-values.js';
import type { NumberConvention } from './decimal-comma.js';
import type { Origin } from './types.js';

/** Why a cell's text cannot be used at all, whatever the column. */
export type CellFault = 'date' | 'formula-error' | 'long-number';

/** What a reader tells of a cell beside its text: how it was typed, and a fault when no field takes it. */
export interface CellKind {
  fault?: CellFault;
  /** The cell held a number, not text (Excel drops a leading + or 0 from numbers). */
  typedAsNumber?: boolean;
  /**
   * A number cell (typed or a formula's result): the number itself, as Excel keeps it ("1234"),
   * while `text` is what the cell shows under its number format ("1,234"; see number-cells.ts).
   */
  number?: string;
  /** A number cell whose shown text is not its exact value (rounded, scientific, scaled or hidden). */
  inexact?: true;
  /** A CSV cell written `="…"` (Excel's way to keep leading zeros): `text` is what Excel shows. */
  excelTextFormula?: boolean;
}

/** One non-empty cell: the header as written, its text, and a fault when the cell kind is unusable. */
export interface BoundCell extends CellKind {
  column: string;
  /** A secret as typed, byte for byte; any other value without whitespace at its ends (`valueText`). */
  text: string;
}

/** A custom variable's cell: the key it is sent under, and whether that key names a secret. */
export interface CustomCell extends BoundCell {
  key: string;
  secret: boolean;
}

/** A raw row whose cells are bound to the catalogue: fields by catalogue place, custom variables by key. */
export interface BoundRow {
  origin: Origin;
  /** By the field's index in `fieldsOf(sheet)`; undefined where the row has no value for it. */
  cells: Array<BoundCell | undefined>;
  /** The indexes of the header's field columns, left to right (shared by every row under that header). */
  order: readonly number[];
  customVariables: CustomCell[];
  /** The file's own way of writing numbers (a semicolon CSV's decimal comma), when it has one. */
  numbers?: NumberConvention;
  /** The values of plain cells already checked under the same header (shared by its rows). */
  checked?: CheckedValues;
}

const indexes = new Map<SheetName, Map<string, number>>();

/** The index of a model path in its sheet's catalogue; -1 when the sheet has no such field. */
export function fieldIndex(sheet: SheetName, path: string): number {
  let byPath = indexes.get(sheet);
  if (!byPath) {
    byPath = new Map(fieldsOf(sheet).map((f, i) => [f.path, i]));
    indexes.set(sheet, byPath);
  }
  return byPath.get(path) ?? -1;
}

/** The index of a catalogue field in its sheet's catalogue. */
export function indexOfField(sheet: SheetName, field: FieldSpec): number {
  return fieldIndex(sheet, field.path);
}

/** The row's cell for a field given by its index, if the row has one. */
export function cellAt(row: BoundRow, index: number): BoundCell | undefined {
  return index < 0 ? undefined : row.cells[index];
}
