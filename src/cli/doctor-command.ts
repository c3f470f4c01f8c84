import { RunError } from '../model/errors.js';
import { createRedactor } from '../model/redact.js';
import { runDoctor, type DoctorInput } from '../run/doctor.js';
import { resolveConnection } from './connection.js';
import { doctorJson, doctorText } from './doctor-view.js';
import { createRunLogger } from './logging.js';

export interface DoctorArgs {
  state: string;
  format: 'text' | 'json';
  verbose: boolean;
  [key: string]: unknown;
}

/** What `lpsync doctor` prints and its exit code; the handler only writes it out. */
export async function doctor(
  args: DoctorArgs,
  env: NodeJS.ProcessEnv,
): Promise<{ exitCode: number; stdout: string }> {
  const redactor = createRedactor();
  const logger = createRunLogger({
    verbose: args.verbose,
    human: Boolean(process.stderr.isTTY),
    redactor,
    quiet: !args.verbose,
  });
  try {
    let settings: DoctorInput['settings'];
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
    const report = await runDoctor({ settings, statePath: args.state, logger, redactor, now: Date.now });
    const baseUrl = 'problem' in settings ? null : redactor.text(settings.baseUrl);
    return {
      exitCode: report.exitCode,
      stdout: redactor.text(args.format === 'json' ? doctorJson(report) : doctorText(report, baseUrl)),
    };
  } finally {
    logger.end();
  }
}

/** `lpsync doctor`, loaded only when the command runs. */
export async function handleDoctor(argv: DoctorArgs): Promise<void> {
  const outcome = await doctor(argv, process.env);
  console.log(outcome.stdout);
  process.exitCode = outcome.exitCode;
}
