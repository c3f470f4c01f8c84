/**
 * Where the input comes from: a workbook, a combined CSV, or one CSV per sheet, from the file and
 * `--customers` / `--sites` a face was given. Light: the readers load only when the input is read.
 */
import { extname } from 'node:path';
import { RunError } from '../model/errors.js';

export type InputSource =
  { kind: 'xlsx'; path: string } | { kind: 'csv'; customers?: string; sites?: string; combined?: string }; // one file per sheet, or one with a Type column

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
