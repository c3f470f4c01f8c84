/**
 * How much of a file lpsync reads before it refuses it: bounds that keep a hostile or broken
 * file (a zip bomb, a sheet formatted down to row 1,048,576) from running for minutes or
 * exhausting memory. Defaults and checks in one place; tests pass smaller ones.
 */
import { RunError } from '../model/errors.js';

export interface ReadLimits {
  /** Largest inflated size of one part of an .xlsx (a sheet's XML, the shared strings). */
  maxPartBytes: number;
  /** Largest inflated / compressed ratio of a part larger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Parts in the zip (a workbook has a few dozen). */
  maxZipEntries: number;
  /** Rows with a value, per sheet (or CSV file). */
  maxRows: number;
  /** Columns: a value right of this column refuses the file. */
  maxColumns: number;
  /** Cells with a value, per sheet (or CSV file): rows times columns, the work and memory a sheet costs. */
  maxCells: number;
  /** Issues listed per run; past it rows are read but not checked (they count as invalid). */
  maxIssues: number;
  /** Characters of one cell (Excel's own limit is 32,767). */
  maxCellChars: number;
  /** Entries of the shared-string table (every distinct text of the workbook). */
  maxSharedStrings: number;
}

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ReadLimits> = {
  maxPartBytes: 256 * MB,
  maxRatio: 100,
  ratioFloorBytes: 8 * MB,
  maxZipEntries: 10_000,
  maxRows: 150_000,
  maxColumns: 256,
  maxCells: 3_000_000,
  maxIssues: 20_000,
  maxCellChars: 32_767,
  maxSharedStrings: 2_000_000,
};

/** The limits with any given ones in place of the defaults; each must be a whole number above 0. */
export function readLimits(given: Partial<ReadLimits> = {}): ReadLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits))
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new RunError(
        'invalid-options',
        `Invalid read limit ${name}: expected a whole number above 0, got ${String(value)}`,
      );
  return limits;
}
