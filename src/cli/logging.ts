import winston from 'winston';
import type { Redactor } from '../model/redact.js';

export interface LoggingOptions {
  verbose: boolean;
  /** Also write JSON lines to this file. */
  logFile?: string;
  /** Human-readable lines (a TTY) or JSON lines (cron, CI). */
  human: boolean;
  redactor: Redactor;
  /** Silence the console (tests, `--format json`). */
  quiet?: boolean;
}

/** One logger per run; every line passes through the run's redactor, whatever transport it goes to. */
export function createRunLogger(options: LoggingOptions): winston.Logger {
  const { redactor } = options;
  const mask = winston.format((info) => {
    const masked = redactor.value({ ...info });
    for (const key of Object.keys(masked)) (info as Record<string, unknown>)[key] = masked[key];
    if (typeof info.message === 'string') info.message = redactor.text(info.message);
    return info;
  });
  const transports: winston.transport[] = [];
  if (!options.quiet) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'debug'],
        format: options.human
          ? winston.format.combine(
              winston.format.colorize(),
              winston.format.printf(({ level, message }) => `${level}: ${String(message)}`),
            )
          : winston.format.json(),
      }),
    );
  }
  if (options.logFile) {
    transports.push(
      new winston.transports.File({ filename: options.logFile, format: winston.format.json() }),
    );
  }
  return winston.createLogger({
    level: options.verbose ? 'debug' : 'info',
    format: winston.format.combine(mask(), winston.format.timestamp()),
    transports: transports.length ? transports : [new winston.transports.Console({ silent: true })],
  });
}

/** A logger that drops everything: for library callers and tests that do not look at logs. */
export function silentLogger(): winston.Logger {
  return winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
}
