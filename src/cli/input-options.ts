import type { Argv } from 'yargs';

/** The input of validate, plan, apply and reconcile: a workbook or combined CSV, or one CSV per sheet. Declared once. */
export function withInputOptions<T>(yargs: Argv<T>) {
  return yargs
    .positional('file', { type: 'string', describe: 'Workbook (.xlsx) or combined CSV with a Type column' })
    .option('customers', { type: 'string', describe: 'Customers CSV file (instead of a workbook)' })
    .option('sites', { type: 'string', describe: 'SipConnections CSV file (instead of a workbook)' });
}
