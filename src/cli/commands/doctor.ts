/** `lpsync doctor`: can lpsync work from here? Read-only: one token, one listing, one read-back. */
import type { CommandModule, Options } from 'yargs';
import { RunError } from '../../model/errors.js';
import { createRedactor } from '../../model/redact.js';
import * as run from '../../run/index.js';
import type { Check, DoctorReport } from '../../run/index.js';
import { CONNECTION_HELP, connectionOptions } from '../connection-options.js';

// Doctor writes nothing, so it takes every connection flag but the HTTP trace.
const { 'trace-http': _trace, ...doctorConnectionOptions } = connectionOptions;

export interface DoctorArgs {
  state: string;
  format: 'text' | 'json';
  verbose: boolean;
  [key: string]: unknown;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check settings, network, TLS, token, the Live Platform API and the state store; changes nothing',
  builder: (yargs) =>
    yargs
      .options({
        state: {
          type: 'string',
          default: run.DEFAULT_STATE_PATH,
          describe: 'State store (SQLite) to look at (read only; not created)',
        },
        format: {
          choices: ['text', 'json'] as const,
          default: 'text' as const,
          describe: 'One line per check, or JSON',
        },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging (one line per request)' },
        ...(doctorConnectionOptions satisfies { [name: string]: Options }),
      })
      .example('$0 doctor', 'check everything with the settings from the environment')
      .example('$0 doctor --config lpsync.json --state state.db --format json', '')
      .epilog(
        `${CONNECTION_HELP}\n\nExit codes: 0 all checks passed; 1 warnings (lpsync can work); 3 lpsync cannot work from here. Nothing is written, the state store is not created.`,
      ),
  handler: async (argv) => {
    const outcome = await doctor(argv, process.env);
    console.log(outcome.stdout);
    process.exitCode = outcome.exitCode;
  },
};

/** What `lpsync doctor` prints and its exit code; the handler only writes it out. */
export async function doctor(
  args: DoctorArgs,
  env: NodeJS.ProcessEnv,
): Promise<{ exitCode: number; stdout: string }> {
  const { resolveConnection } = await import('../connection.js');
  const { createRunLogger } = await import('../logging.js');
  const redactor = createRedactor();
  const logger = createRunLogger({
    verbose: args.verbose,
    human: Boolean(process.stderr.isTTY),
    redactor,
    quiet: !args.verbose,
  });
  try {
    let settings: run.DoctorInput['settings'];
    try {
      const resolved = resolveConnection(args, env);
      redactor.addSecrets(
        resolved.auth.kind === 'token' ? [resolved.auth.token] : [resolved.auth.clientSecret],
      );
      settings = resolved;
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      settings = { problem: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    }
    const report = await run.doctor({ settings, statePath: args.state, logger, redactor, now: Date.now });
    const baseUrl = 'problem' in settings ? null : redactor.text(settings.baseUrl);
    return {
      exitCode: report.exitCode,
      stdout: redactor.text(args.format === 'json' ? doctorJson(report) : doctorText(report, baseUrl)),
    };
  } finally {
    logger.end();
  }
}

const MARK: Record<Check['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };

/** `✓ Title: detail`, and for a warning or failure ` → what to do`; then one closing line. */
export function doctorText(report: DoctorReport, baseUrl: string | null): string {
  const lines = [`lpsync doctor${baseUrl ? `: ${baseUrl}` : ''}`];
  for (const c of report.checks)
    lines.push(
      `${MARK[c.status]} ${c.title}: ${c.detail}${c.hint && c.status !== 'ok' && c.status !== 'skip' ? ` → ${c.hint}` : ''}`,
    );
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    fails
      ? `lpsync cannot work from here: ${fails} check(s) failed (✗)${warns ? `, ${warns} warning(s) (!)` : ''}.`
      : warns
        ? `lpsync can work, with ${warns} warning(s) (!) to look at.`
        : `All checks passed: lpsync can work from here.`,
  );
  return lines.join('\n');
}

export function doctorJson(report: DoctorReport): string {
  return JSON.stringify(
    { ok: report.exitCode === 0, exitCode: report.exitCode, checks: report.checks },
    null,
    2,
  );
}
