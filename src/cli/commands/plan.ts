/** `lpsync plan <file>`: what apply would do, row by row, and why; sends nothing. */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT, exitCodeFor, LpsyncError, RunError } from '../../model/errors.js';
import { formatIssueTable } from '../../model/issue-table.js';
import { createRedactor, type Redactor } from '../../model/redact.js';
import type { SettingName } from '../../model/settings.js';
import * as run from '../../run/index.js';
import type { PlanOutput, PlanResult } from '../../run/index.js';
import { CONNECTION_HELP, connectionOptions } from '../connection-options.js';
import { actingUser, identityOptions } from '../identity.js';
import { inputFrom, withInputOptions } from '../input-options.js';
import { programName, samplePath } from '../invocation.js';
import { printOutcome, type CommandOutcome } from '../outcome.js';
import { paperFromLocale } from '../paper.js';
import { scopeFrom, scopeOptions } from '../scope-options.js';
import { settingOrigins } from '../setting-origins.js';
import { lpsyncVersion } from '../version.js';

export interface PlanArgs {
  file?: string;
  customers?: string;
  sites?: string;
  out?: string | string[];
  mode?: string;
  only?: string[];
  limit?: number;
  strict: boolean;
  adopt: boolean;
  state: string;
  all: boolean;
  verbose: boolean;
  as?: string;
  users?: string;
  [key: string]: unknown;
}

export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan [file]',
  describe: 'Compare a workbook with the Live Platform and show what apply would do, and why',
  builder: (yargs) =>
    withInputOptions(yargs)
      .options({
        out: {
          type: 'string',
          describe:
            'Also write the plan: a .json plan file (what apply --plan sends, exactly) or an .xlsx review workbook; repeat it for both',
        },
        ...scopeOptions,
        strict: { type: 'boolean', default: false, describe: 'Exit 1 when the plan has conflicts' },
        adopt: {
          type: 'boolean',
          default: false,
          describe: "Plan to record the sheet's values for sites lpsync never applied, without sending",
        },
        state: {
          type: 'string',
          default: run.DEFAULT_STATE_PATH,
          describe: 'State store (SQLite) of what lpsync last applied',
        },
        all: { type: 'boolean', default: false, describe: 'Also list the rows that are unchanged' },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
        ...identityOptions,
        ...connectionOptions,
      })
      .example(`$0 plan ${samplePath('customers.xlsx', process.cwd())}`, 'what would change, and why')
      .example(
        `$0 plan ${samplePath('customers.xlsx', process.cwd())} --out cr42.plan.json --out cr42.review.xlsx`,
        'a plan file for apply --plan and a review workbook for the change board',
      )
      .example(
        `$0 plan ${samplePath('customers.xlsx', process.cwd())} --mode update-only --only "customer:Brad*"`,
        'a wave that creates nothing',
      )
      .epilog(
        `--out writes the plan file (.json, secrets masked; its SHA-256 is printed, and the state store records who made it: you, or the account of --as) or a review workbook (.xlsx); --strict exits 1 when a row conflicts.\n\n${CONNECTION_HELP}\n\nExit codes: 0 planned; 1 --strict and conflicts; 2 invalid input or options; 3 auth refused or Live Platform unreachable.`,
      ) as never,
  handler: async (argv) => printOutcome(await runPlan(argv, process.env)),
};

/** `--out` by extension: `.json` the plan file `apply --plan` takes, `.xlsx` a review workbook for the change board. */
function outputOf(path: string): PlanOutput {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return { path: resolve(path), what: 'plan file' };
  if (lower.endsWith('.xlsx')) return { path: resolve(path), what: 'review workbook' };
  throw new RunError(
    'invalid-options',
    `Invalid option --out ${path}: expected a .json plan file or an .xlsx review workbook`,
    {
      hint: `${programName(process.env)} plan customers.xlsx --out change-42.plan.json --out change-42.review.xlsx`,
    },
  );
}

/** Options → plan → what it prints: the plan (and what was written), the issue table, the exit code. */
export async function runPlan(args: PlanArgs, env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  const { createRunLogger } = await import('../logging.js');
  const redactor = createRedactor();
  const logger = createRunLogger({ verbose: args.verbose, human: Boolean(process.stderr.isTTY), redactor });
  let sources: Partial<Record<SettingName, string>> | undefined;
  try {
    const shape = scopeFrom(args);
    const outputs = (Array.isArray(args.out) ? args.out : args.out === undefined ? [] : [args.out]).map(
      outputOf,
    );
    const by = await actingUser(args, env, 'plan');
    const connection = (await import('../connection.js')).connectionOrProblem(args, env);
    sources = 'sources' in connection ? connection.sources : undefined;
    const result = await run.plan({
      source: inputFrom(args, 'plan'),
      connection,
      statePath: args.state,
      shape,
      adopt: args.adopt,
      outputs,
      log: logger,
      redactor,
      lpsyncVersion: lpsyncVersion(),
      now: () => new Date(),
      paper: paperFromLocale(env),
      by,
    });
    return planOutcome(result, args, redactor);
  } catch (error) {
    return failure(error, redactor, sources);
  } finally {
    logger.end();
  }
}

function planOutcome(result: PlanResult, args: PlanArgs, redactor: Redactor): CommandOutcome {
  const { loaded } = result;
  const issues = loaded.issues.length ? redactor.text(formatIssueTable(loaded.issues)) : '';
  if (result.kind === 'invalid')
    return {
      exitCode: EXIT.invalid,
      stdout: '',
      stderr: `${issues}\nThe input is invalid: no plan was made.`,
    };
  const { plan, sha256 } = result.change;
  const lines = [
    redactor.text(run.renderPlan(plan, { showUnchanged: args.all, hiddenRows: loaded.hiddenRows })),
  ];
  const kept = run.blankKeptText(result.kept);
  if (kept) lines.push(redactor.text(kept));
  for (const out of result.written)
    lines.push(
      out.what === 'plan file'
        ? `Plan written to ${out.path} (secrets masked). SHA-256: ${sha256}${result.author ? `\nMade by ${result.author.by}: a user other than ${result.author.by} approves it with ${programName(process.env)} approve --plan ${out.path}` : ''}`
        : `Review workbook written to ${out.path} (plan SHA-256 ${sha256}).`,
    );
  return {
    exitCode: args.strict && plan.counts.conflict > 0 ? EXIT.rowsFailed : EXIT.ok,
    stdout: lines.join('\n'),
    stderr: issues,
  };
}

/** A fault that ended the plan: its message and hint; a read that failed after its retries is exit 3. */
function failure(
  error: unknown,
  redactor: Redactor,
  sources: Partial<Record<SettingName, string>> | undefined,
): CommandOutcome {
  const origins = settingOrigins(error, sources);
  const more = (hint: string | undefined) =>
    [hint, origins]
      .filter(Boolean)
      .map((l) => `\n${l}`)
      .join('');
  if (error instanceof RunError)
    return {
      exitCode: exitCodeFor(error.code),
      stdout: '',
      stderr: redactor.text(`lpsync plan: ${error.message}${more(error.hint)}`),
    };
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof LpsyncError ? error.hint : undefined;
  return {
    exitCode: EXIT.fatal,
    stdout: '',
    stderr: redactor.text(`lpsync plan failed: ${message}${more(hint)}`),
  };
}
