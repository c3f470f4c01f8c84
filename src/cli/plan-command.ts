import { resolve } from 'node:path';
import { paperFromLocale } from './paper.js';
import type { Paper } from '../report/layout.js';
import { invocation, programName } from './invocation.js';
import { ApiError } from '../api/index.js';
import { concurrencyCeiling } from '../api/concurrency-setting.js';
import { inputSourceFrom, loadWorkbook } from '../input/index.js';
import { EXIT, RunError, exitCodeFor } from '../model/errors.js';
import { formatIssueTable } from '../model/issue-table.js';
import { createRedactor } from '../model/redact.js';
import { renderPlan } from '../plan/index.js';
import { planChange, type PlannedChange } from '../run/plan.js';
import { writeFileAtomically } from '../report/atomic-file.js';
import { writeReviewWorkbook } from '../report/review-workbook.js';
import { scopeFrom } from './scope.js';
import { lpsyncVersion } from './version.js';
import { openStateStore } from '../state/index.js';
import { createClientFromSettings, resolveConnection } from './connection.js';
import { createRunLogger } from './logging.js';

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
    const shape = scopeFrom(args);
    const outputs = (Array.isArray(args.out) ? args.out : args.out === undefined ? [] : [args.out]).map(
      outputOf,
    );
    const loaded = await loadWorkbook(inputSourceFrom(args, 'plan', invocation(process.env, process.cwd())));
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
    const change = await planChange({
      loaded,
      client,
      store,
      concurrency: concurrencyCeiling(settings.concurrency),
      baseUrl: redactor.text(settings.baseUrl),
      shape,
      adopt: args.adopt,
      redactor,
      lpsyncVersion: lpsyncVersion(),
      createdAt: new Date().toISOString(),
    });
    const { plan } = change;
    const lines = [
      redactor.text(renderPlan(plan, { showUnchanged: args.all, hiddenRows: loaded.hiddenRows })),
    ];
    for (const out of outputs) lines.push(await writeOutput(out, change, paperFromLocale(env)));
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

type Output = { path: string; what: 'plan file' | 'review workbook' };

/** `--out` by extension: `.json` the plan file `apply --plan` takes, `.xlsx` a review workbook for the change board. */
function outputOf(path: string): Output {
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

async function writeOutput(out: Output, change: PlannedChange, paper: Paper): Promise<string> {
  try {
    // A plan half written must not be approved: whole or not at all.
    if (out.what === 'plan file') writeFileAtomically(out.path, change.text);
    else
      await writeReviewWorkbook(out.path, {
        saved: change.saved,
        sha256: change.sha256,
        paper,
      });
  } catch (error) {
    throw new RunError('invalid-options', `Cannot write --out ${out.path}: ${(error as Error).message}`, {
      hint: 'Name a file in a folder you can write to.',
    });
  }
  return out.what === 'plan file'
    ? `Plan written to ${out.path} (secrets masked). SHA-256: ${change.sha256}`
    : `Review workbook written to ${out.path} (plan SHA-256 ${change.sha256}).`;
}

/** The message for a read that ended the plan (an unreachable platform is a RunError from makePlan). */
function readFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof ApiError && error.hint && !message.includes(error.hint) ? `\n${error.hint}` : '';
  return `lpsync plan failed: ${message}${hint}`;
}

/** `lpsync plan`, loaded only when the command runs. */
export async function handlePlan(argv: PlanArgs): Promise<void> {
  const outcome = await runPlan(argv, process.env);
  if (outcome.stderr) console.error(outcome.stderr);
  if (outcome.stdout) console.log(outcome.stdout);
  process.exitCode = outcome.exitCode;
}
