/**
 * Reading the input: where it comes from (`inputSourceFrom`) and what it holds
 * (`loadWorkbook`: raw rows, valid rows, every issue). The contract the planner,
 * apply and report code against.
 */
import type { InputIssue } from '../model/issues.js';
import type { Origin, WorkbookRows } from '../model/types.js';

export type { InputSource } from './input-source.js';

export interface RawSheet {
  file: string;
  sheet: 'Customers' | 'SipConnections';
  headers: string[];
  rows: RawRow[];
}

/** A row as typed: values keyed by header as written (the report writes the input rows "as they were"). */
export interface RawRow {
  origin: Origin;
  values: Record<string, string>;
}

export interface LoadedWorkbook {
  /** Every input file read. */
  files: string[];
  /** The raw rows, in file order (for the results workbook). */
  sheets: RawSheet[];
  /** Valid rows only. */
  rows: WorkbookRows;
  /** Every error and warning. */
  issues: InputIssue[];
  /** Rows that failed validation. */
  invalidRows: Origin[];
  /** Rows read that Excel hides (by hand or filtered out by an AutoFilter): each also has a warning. */
  hiddenRows: Origin[];
  /** Every secret value read (passwords, application secrets) so the run's redactor can mask them. */
  secrets: string[];
}

export { inputSourceFrom } from './input-source.js';
export { loadWorkbook } from './load.js';
