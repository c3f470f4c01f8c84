/**
 * Reading the input: where it comes from (`inputSourceFrom`) and what it holds
 * (`loadWorkbook`: raw rows, valid rows, every issue). The contract the planner,
 * apply and report code against.
 */
import { extname } from 'node:path';
import { RunError } from '../model/errors.js';
import type { InputIssue } from '../model/issues.js';
import type { Origin, WorkbookRows } from '../model/types.js';

export type InputSource =
  { kind: 'xlsx'; path: string } | { kind: 'csv'; customers?: string; sites?: string; combined?: string }; // one file per sheet, or one with a Type column

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

const CSV_EXTENSIONS = new Set(['.csv', '.tsv']);

function isCsv(path: string): boolean {
  return CSV_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * From the CLI's positional file / --customers / --sites; throws RunError('invalid-options') when unusable.
 * `command` names the verb in the hints, so `lpsync apply` is not told to run `lpsync validate`.
 */
export function inputSourceFrom(
  args: { file?: string | undefined; customers?: string | undefined; sites?: string | undefined },
  command = 'validate',
  /** How the person runs lpsync and names the samples from where they are (the CLI knows; default as from the checkout). */
  how: { program: string; sample: (name: string) => string } = {
    program: 'lpsync',
    sample: (n) => `samples/${n}`,
  },
): InputSource {
  const run = `${how.program} ${command}`;
  const example = `${run} ${how.sample('customers.xlsx')}  or  ${run} --customers ${how.sample('customers.csv')} --sites ${how.sample('sip-connections.csv')}`;
  const file = args.file?.trim() || undefined;
  const customers = args.customers?.trim() || undefined;
  const sites = args.sites?.trim() || undefined;
  if (file && (customers || sites))
    throw new RunError(
      'invalid-options',
      'Give either a workbook file or --customers/--sites CSV files, not both.',
      {
        hint: example,
      },
    );
  if (file) return isCsv(file) ? { kind: 'csv', combined: file } : { kind: 'xlsx', path: file };
  if (!customers && !sites)
    throw new RunError(
      'invalid-options',
      'No input: name a workbook (.xlsx or .csv) or pass --customers/--sites.',
      {
        hint: example,
      },
    );
  for (const [flag, path] of [
    ['--customers', customers],
    ['--sites', sites],
  ] as const) {
    if (path && !isCsv(path))
      throw new RunError('invalid-options', `${flag} takes a .csv file; got ${path}.`, {
        hint: `A workbook is given as the positional file: ${run} ${path}`,
      });
  }
  return { kind: 'csv', ...(customers ? { customers } : {}), ...(sites ? { sites } : {}) };
}

export { loadWorkbook } from './load.js';
