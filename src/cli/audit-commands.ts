/** history, audit verify/export, report --run: what each prints and its exit code, loaded when one runs. */
import { programName } from './invocation.js';
import { paperFromLocale } from './paper.js';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, RunError, exitCodeFor } from '../model/errors.js';
import { textOf } from '../model/text.js';
import { customerHistory, listRuns } from '../run/history.js';
import { exportAudit, pruneHistory, rebuildReport } from '../run/audit-files.js';
import { openAuditReader } from '../state/audit-read.js';
import { customerText, pruneText, runsText, verifyText } from './audit-view.js';
import { runInvocation } from './who.js';

/** What an audit command prints and its exit code; the handler only writes it out. */
export interface CommandOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A run-level fault as a command outcome: the message and its hint on stderr. */
export function faultOutcome(error: unknown): CommandOutcome {
  if (!(error instanceof RunError)) throw error;
  return {
    exitCode: exitCodeFor(error.code),
    stdout: '',
    stderr: `${error.message}${error.hint ? `\n  ${error.hint}` : ''}`,
  };
}

export function printOutcome(outcome: CommandOutcome): void {
  if (outcome.stdout) console.log(outcome.stdout);
  if (outcome.stderr) console.error(outcome.stderr);
  process.exitCode = outcome.exitCode;
}

/** `--since` / `--until`: a date (the whole day, UTC) or a time, as an ISO time; a clear error otherwise. */
export function timeOption(name: string, value: unknown, end: 'start' | 'end'): string | undefined {
  if (value === undefined) return undefined;
  const text = textOf(value).trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const parsed = Date.parse(
    dateOnly ? `${text}T${end === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : text,
  );
  if (!Number.isFinite(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(text))
    throw new RunError(
      'invalid-options',
      `Invalid option ${name}: expected a date (2026-11-27) or a time (2026-11-27T02:15:00Z), got ${text}`,
    );
  return new Date(parsed).toISOString();
}

export interface HistoryArgs {
  state: string;
  format: 'text' | 'json';
  since?: string | undefined;
  until?: string | undefined;
  customer?: string | undefined;
  [key: string]: unknown;
}

/** `lpsync history`: the runs, newest first, or `--customer NAME`'s every change. Reads only. */
export function history(args: HistoryArgs): CommandOutcome {
  try {
    const since = timeOption('--since', args.since, 'start');
    const until = timeOption('--until', args.until, 'end');
    const reader = openAuditReader(args.state);
    try {
      if (args.customer !== undefined) {
        const changes = customerHistory(reader, String(args.customer)).filter(
          (c) => (since === undefined || c.at >= since) && (until === undefined || c.at <= until),
        );
        return {
          exitCode: EXIT.ok,
          stdout:
            args.format === 'json'
              ? JSON.stringify({ customer: args.customer, changes }, null, 2)
              : customerText(String(args.customer), changes, args.state),
          stderr: '',
        };
      }
      const runs = listRuns(reader, { ...(since ? { since } : {}), ...(until ? { until } : {}) });
      return {
        exitCode: EXIT.ok,
        stdout: args.format === 'json' ? JSON.stringify(runs, null, 2) : runsText(runs, args.state),
        stderr: '',
      };
    } finally {
      reader.close();
    }
  } catch (error) {
    return faultOutcome(error);
  }
}

export interface PruneArgs {
  state: string;
  keepDays: number;
  [key: string]: unknown;
}

/** `lpsync history prune --keep-days N`: under the writer lock, like a run. */
export function prune(
  args: PruneArgs,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  now: Date,
): CommandOutcome {
  try {
    const days = args.keepDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0)
      throw new RunError(
        'invalid-options',
        `Invalid option --keep-days: expected a whole number of 0 or more, got ${String(days)}`,
      );
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    const who = runInvocation(argv, env);
    const result = pruneHistory({
      statePath: args.state,
      keepDays: days,
      cutoff,
      lockOwner: { pid: process.pid, host: hostname() },
      by: { user: who.user, host: who.host, pid: who.pid, commandLine: who.commandLine.join(' ') },
    });
    return { exitCode: EXIT.ok, stdout: pruneText(result, days, args.state), stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}

export interface VerifyArgs {
  state: string;
  head?: string | undefined;
  format: 'text' | 'json';
  [key: string]: unknown;
}

/** `lpsync audit verify`: exit 0 intact, 1 not (naming the first broken entry). Reads only. */
export function verify(args: VerifyArgs): CommandOutcome {
  try {
    const reader = openAuditReader(args.state);
    try {
      const verdict = reader.verify(
        args.head === undefined ? undefined : String(args.head).trim().toLowerCase(),
      );
      return {
        exitCode: verdict.ok ? EXIT.ok : EXIT.rowsFailed,
        stdout: args.format === 'json' ? JSON.stringify(verdict, null, 2) : verifyText(verdict, args.state),
        stderr: '',
      };
    } finally {
      reader.close();
    }
  } catch (error) {
    return faultOutcome(error);
  }
}

export interface ExportArgs {
  state: string;
  out: string;
  [key: string]: unknown;
}

/** `lpsync audit export --out trail.jsonl`: the chain as JSON lines; prints the head hash to keep. */
export function exportTrail(args: ExportArgs): CommandOutcome {
  try {
    const out = resolve(args.out);
    const r = exportAudit({ statePath: args.state, out });
    const lines = [
      `Exported ${r.entries} audit entries${r.first !== null && r.head ? ` (${r.first}–${r.head.seq})` : ''} to ${args.out}`,
      `Head: ${r.head?.hash ?? 'none (empty chain)'}`,
      `Keep the head hash somewhere else (a ticket, an e-mail): \`${programName(process.env)} audit verify --head HASH\` and the procedure in the README check against it.`,
    ];
    if (!r.verdict.ok)
      lines.push(
        `Warning: the store fails its own check: ${r.verdict.problems[0]?.message ?? ''} (${programName(process.env)} audit verify)`,
      );
    return { exitCode: r.verdict.ok ? EXIT.ok : EXIT.rowsFailed, stdout: lines.join('\n'), stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}

export interface ReportArgs {
  state: string;
  run: string;
  out?: string | undefined;
  reportsDir: string;
  [key: string]: unknown;
}

/** `<reports-dir>/<run id>.rebuilt.results.xlsx`, never over an earlier file. */
function rebuiltPath(dir: string, runId: string): string {
  let path = join(dir, `${runId}.rebuilt.results.xlsx`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${runId}.rebuilt-${i}.results.xlsx`);
  return path;
}

/** `lpsync report --run ID`: the run's results workbook again, from the store alone. */
export async function report(args: ReportArgs): Promise<CommandOutcome> {
  try {
    const r = await rebuildReport({
      statePath: args.state,
      runId: String(args.run),
      out: (runId) => args.out ?? rebuiltPath(args.reportsDir, runId),
      paper: paperFromLocale(process.env),
      program: programName(process.env),
    });
    return {
      exitCode: EXIT.ok,
      stdout: `Report of run ${r.runId} rebuilt from ${args.state} (snapshot entry ${r.snapshotEntry}, ${r.rows} rows): ${r.path}`,
      stderr: '',
    };
  } catch (error) {
    return faultOutcome(error);
  }
}
