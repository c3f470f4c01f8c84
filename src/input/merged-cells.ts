/**
 * Merged cells: Excel keeps a merged range's value in its top-left cell only, so a range merged
 * down several data rows leaves the rows below it empty in that column. The sheet reader
 * collects them as they pass (they come after the rows, so they are reported at the end of the sheet).
 */

export interface MergedRange {
  /** As Excel writes it, e.g. `B3:B6`. */
  ref: string;
  firstColumn: number;
  firstRow: number;
  lastRow: number;
}
