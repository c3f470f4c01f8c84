import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { ApiError } from '../../api/index.js';
import { inputSourceFrom, loadWorkbook } from '../../input/index.js';
import { EXIT, RunError, exitCodeFor } from '../../model/errors.js';
import { formatIssueTable } from '../../model/issue-table.js';
import { createRedactor } from '../../model/redact.js';
import { planToJson, renderPlan } from '../../plan/index.js';
import { makePlan } from '../../run/plan.js';
import { DEFAULT_STATE_PATH, openStateStore } from '../../state/index.js';
import {
  CONNECTION_HELP,
  connectionOptions,
  createClientFromSettings,
  resolveConnection,
} from '../connection.js';
import { createRunLogger } from '../logging.js';
import { withInputOptions } from '../input-options.js';

export interface PlanArgs {
  file?: string;
  customers?: string;
  sites?: string;
  out?: string;
  strict: boolean;
  adopt: boolean;
  state: string;
  all: boolean;
  verbose: boolean;
  [key: string]: unknown;
}

/** What `lpsync plan` prints and its exit code; the handler only writes it out. */
export interface PlanOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * load → (invalid: the issue table, exit 2) → open the store → observe → plan → show,
 * `--out` the masked JSON → exit 0, or 1 with `--strict` when there are conflicts.
 */
export async function runPlan(args: PlanArgs, env: NodeJS.ProcessEnv): Promise<PlanOutcome> {
  const redactor = createRedactor();
  const logger = createRunLogger({ verbose: args.verbose, human: Boolean(process.stderr.isTTY), redactor });
  let close = (): void => undefined;
  try {
    const loaded = await loadWorkbook(inputSourceFrom(args, 'plan'));
    redactor.addSecrets(loaded.secrets);
    const issues = loaded.issues.length ? redactor.text(formatIssueTable(loaded.issues)) : '';
    if (loaded.issues.some((i) => i.severity === 'error')) {
      return {
        exitCode: EXIT.invalid,
        stdout: '',
        stderr: `${issues}\nThe input is invalid: no plan was made.`,
      };
    }
    const settings = resolveConnection(args, env);
    const store = openStateStore(args.state);
    const client = createClientFromSettings(settings, logger, redactor);
    close = () => {
      client.close();
      store.close();
    };
    const { plan } = await makePlan({
      rows: loaded.rows,
      client,
      applied: store.loadApplied(),
      concurrency: settings.concurrency,
      baseUrl: redactor.text(settings.baseUrl),
      adopt: args.adopt,
    });
    const lines = [redactor.text(renderPlan(plan, { showUnchanged: args.all }))];
    if (args.out) {
      const out = resolve(args.out);
      try {
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, planToJson(plan, redactor));
      } catch (error) {
        throw new RunError('invalid-options', `Cannot write --out ${out}: ${(error as Error).message}`, {
          hint: 'Name a file in a folder you can write to.',
        });
      }
      lines.push(`Plan written to ${out} (secrets masked).`);
    }
    const conflicts = plan.counts.conflict;
    return {
      exitCode: args.strict && conflicts > 0 ? EXIT.rowsFailed : EXIT.ok,
      stdout: lines.join('\n'),
      stderr: issues,
    };
  } catch (error) {
    if (error instanceof RunError) {
      return {
        exitCode: exitCodeFor(error.code),
        stdout: '',
        stderr: redactor.text(`lpsync plan: ${error.message}${error.hint ? `\n${error.hint}` : ''}`),
      };
    }
    // A read that failed after its retries (e.g. the Live Platform kept answering 500) ends the run: no plan.
    return { exitCode: EXIT.fatal, stdout: '', stderr: redactor.text(readFailure(error)) };
  } finally {
    close();
    logger.end();
  }
}

/** The message for a read that ended the plan (an unreachable platform is a RunError from makePlan). */
function readFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof ApiError && error.hint && !message.includes(error.hint) ? `\n${error.hint}` : '';
  return `lpsync plan failed: ${message}${hint}`;
}

/** `lpsync plan <file>`: what apply would do, row by row, and why; sends nothing. */
export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan [file]',
  describe: 'Compare a workbook with the Live Platform and show what apply would do, and why',
  builder: (yargs) =>
    withInputOptions(yargs)
      .options({
        out: { type: 'string', describe: 'Also write the plan as JSON (secrets masked) to this file' },
        strict: { type: 'boolean', default: false, describe: 'Exit 1 when the plan has conflicts' },
        adopt: {
          type: 'boolean',
          default: false,
          describe: "Plan to record the sheet's values for sites lpsync never applied, without sending",
        },
        state: {
          type: 'string',
          default: DEFAULT_STATE_PATH,
          describe: 'State store (SQLite) of what lpsync last applied',
        },
        all: { type: 'boolean', default: false, describe: 'Also list the rows that are unchanged' },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
        ...connectionOptions,
      })
      .example('$0 plan samples/customers.xlsx', 'what would change, and why')
      .example('$0 plan samples/customers.xlsx --out plan.json --strict', '')
      .epilog(
        `--out writes the plan as JSON (secrets masked); --strict exits 1 when a row conflicts.\n\n${CONNECTION_HELP}\n\nExit codes: 0 planned; 1 --strict and conflicts; 2 invalid input or options; 3 auth refused or Live Platform unreachable.`,
      ) as never,
  handler: async (argv) => {
    const outcome = await runPlan(argv, process.env);
    if (outcome.stderr) console.error(outcome.stderr);
    if (outcome.stdout) console.log(outcome.stdout);
    process.exitCode = outcome.exitCode;
  },
};
