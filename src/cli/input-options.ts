/** The input of validate, plan, apply and reconcile: a workbook or combined CSV, or one CSV per sheet. Declared once. */
import type { Argv } from 'yargs';
import { inputSourceFrom, type InputSource } from '../run/index.js';
import { invocation } from './invocation.js';

export function withInputOptions<T>(yargs: Argv<T>) {
  return yargs
    .positional('file', { type: 'string', describe: 'Workbook (.xlsx) or combined CSV with a Type column' })
    .option('customers', { type: 'string', describe: 'Customers CSV file (instead of a workbook)' })
    .option('sites', { type: 'string', describe: 'SipConnections CSV file (instead of a workbook)' });
}

/** The input as given, checked; the hints name `command` and the samples as they can be typed from here. */
export function inputFrom(
  args: { file?: string | undefined; customers?: string | undefined; sites?: string | undefined },
  command: string,
): InputSource {
  return inputSourceFrom(
    { file: args.file, customers: args.customers, sites: args.sites },
    command,
    invocation(process.env, process.cwd()),
  );
}
