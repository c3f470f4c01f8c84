/** `lpsync export --out tenant.xlsx`: the tenant as a workbook in the template's format that plans as 0 changes. */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT, exitCodeFor, LpsyncError, RunError } from '../../model/errors.js';
import { createRedactor, type Redactor } from '../../model/redact.js';
import type { SettingName } from '../../model/settings.js';
import * as run from '../../run/index.js';
import type { ConcurrencyBudget, ExportResult, RunEvent } from '../../run/index.js';
import { CONNECTION_HELP, connectionOptions } from '../connection-options.js';
import { programName } from '../invocation.js';
import { printOutcome, type CommandOutcome } from '../outcome.js';
import { createProgressBar, type Progress } from '../progress.js';
import { settingOrigins } from '../setting-origins.js';
import { lpsyncVersion } from '../version.js';

export interface ExportArgs {
  out: string;
  format: 'xlsx' | 'csv';
  only?: string | string[];
  notIn?: string;
  verbose: boolean;
  [key: string]: unknown;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Write the tenant as a workbook in the template format (export, edit, plan, apply)',
  builder: (yargs) =>
    yargs
      .options({
        out: {
          type: 'string',
          demandOption: true,
          describe:
            'The workbook to write (.xlsx); with --format csv, the folder for customers.csv and sip-connections.csv',
        },
        format: {
          choices: ['xlsx', 'csv'] as const,
          default: 'xlsx' as const,
          describe: 'Workbook or CSV files',
        },
        only: {
          type: 'string',
          describe:
            'Only the services whose short name matches: customer:NAME (a glob, e.g. customer:Contoso*); repeat it for several',
        },
        'not-in': {
          type: 'string',
          describe:
            'Only what this workbook (or combined CSV) does not name: the drift, ready to paste into it',
        },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
        ...connectionOptions,
      })
      .example('$0 export --out tenant.xlsx', 'every service and SIP connection, in the template format')
      .example('$0 export --format csv --out tenant-csv', 'the same as customers.csv and sip-connections.csv')
      .example('$0 export --only "customer:Contoso*" --out contoso.xlsx', 'the services named Contoso…')
      .example('$0 export --not-in customers.xlsx --out drift.xlsx', 'what customers.xlsx does not name')
      .epilog(
        `Every field the Live Platform returns is written; passwords, secrets and the fields it never returns are blank, and blank keeps what the platform has (each header note says why). Planned as it is, the file is 0 changes.\n\n${CONNECTION_HELP}\n\nExit codes: 0 written; 2 invalid options; 3 auth refused or Live Platform unreachable.`,
      ) as never,
  handler: async (argv) => printOutcome(await runExport(argv, process.env)),
};

/** The output as typed, checked: an .xlsx file, or a folder for the CSV files. */
function outputOf(args: ExportArgs): { format: 'xlsx' | 'csv'; out: string } {
  const out = args.out.trim();
  const xlsx = /\.xlsx$/i.test(out);
  if (args.format === 'xlsx' && !xlsx)
    throw new RunError('invalid-options', `Invalid option --out ${out}: expected an .xlsx file`, {
      hint: `${programName(process.env)} export --out tenant.xlsx, or --format csv --out FOLDER for the CSV files`,
    });
  if (args.format === 'csv' && (xlsx || /\.csv$/i.test(out)))
    throw new RunError(
      'invalid-options',
      `Invalid option --out ${out}: with --format csv, --out is a folder`,
      {
        hint: `${programName(process.env)} export --format csv --out tenant-csv (writes customers.csv and sip-connections.csv into it)`,
      },
    );
  return { format: args.format, out: resolve(out) };
}

/** On a terminal, a progress bar over the SIP connections read, with the request budget. */
function progressOf(human: boolean) {
  let bar: Progress | undefined;
  let budget: ConcurrencyBudget | undefined;
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'client') budget = event.concurrency;
    if (event.type === 'export-listed' && human && event.sites > 0) {
      bar = createProgressBar({
        stream: process.stderr,
        label: 'export',
        detail: () => (budget ? run.concurrencyProgress(budget.report()) : ''),
      });
      bar.start(event.sites);
    }
    if (event.type === 'export-site') bar?.tick(event.status);
  };
  return { onEvent, stop: () => bar?.stop() };
}

/** Options → export → what it prints and the exit code. */
export async function runExport(args: ExportArgs, env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  const { createRunLogger } = await import('../logging.js');
  const redactor = createRedactor();
  const human = Boolean(process.stderr.isTTY);
  const logger = createRunLogger({ verbose: args.verbose, human, redactor });
  const progress = progressOf(human);
  let sources: Partial<Record<SettingName, string>> | undefined;
  try {
    const { format, out } = outputOf(args);
    const only =
      args.only === undefined
        ? []
        : (Array.isArray(args.only) ? args.only : [args.only]).flatMap((o) => o.split(','));
    const notIn = args.notIn?.trim() ? run.inputSourceFrom({ file: args.notIn.trim() }, 'export') : undefined;
    const connection = (await import('../connection.js')).connectionOrProblem(args, env);
    sources = 'sources' in connection ? connection.sources : undefined;
    const result = await run.exportTenant({
      connection,
      format,
      out,
      only,
      ...(notIn ? { notIn } : {}),
      log: logger,
      redactor,
      lpsyncVersion: lpsyncVersion(),
      now: () => new Date(),
      onEvent: progress.onEvent,
    });
    progress.stop();
    return { exitCode: EXIT.ok, stdout: redactor.text(exportText(result, args.notIn)), stderr: '' };
  } catch (error) {
    progress.stop();
    return failure(error, redactor, sources);
  } finally {
    logger.end();
  }
}

/** What was written, what was left out and why, and the rule of the blank cells. */
export function exportText(result: ExportResult, notIn: string | undefined): string {
  const lines = [
    `Exported ${result.customers} service(s) (Customers) and ${result.sites} further SIP connection(s) (SipConnections): ${result.written.join(', ')}`,
    notIn
      ? `Only what ${notIn} does not name (of ${result.listed.services} service(s) and ${result.listed.sites} SIP connection(s) listed): paste the rows into it.`
      : `The Live Platform listed ${result.listed.services} service(s) and ${result.listed.sites} SIP connection(s).`,
    'Blank cells keep what the Live Platform has: passwords, secrets and the fields it never returns are blank (each header note says which).',
  ];
  for (const left of result.leftOut)
    lines.push(
      `Left out: ${left.customerShortName}${left.siteName ? ` / ${left.siteName}` : ''}: ${left.reason}`,
    );
  if (result.busy)
    lines.push(
      `${result.busy} SIP connection(s) had pending tasks when read (the platform was changing them): export again later for their settled values.`,
    );
  return lines.join('\n');
}

/** A fault that ended the export: its message, hint and where the settings came from; exit 2 or 3. */
function failure(
  error: unknown,
  redactor: Redactor,
  sources: Partial<Record<SettingName, string>> | undefined,
): CommandOutcome {
  const origins = settingOrigins(error, sources);
  const hint = error instanceof LpsyncError ? error.hint : undefined;
  const more = [hint, origins]
    .filter(Boolean)
    .map((l) => `\n${l}`)
    .join('');
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: error instanceof LpsyncError ? exitCodeFor(error.code) : EXIT.fatal,
    stdout: '',
    stderr: redactor.text(`lpsync export: ${message}${more}`),
  };
}
