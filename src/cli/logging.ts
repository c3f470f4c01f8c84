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
  /** Called around each human console line, so a progress bar can step aside and come back below it. */
  consoleHooks?: ConsoleHooks;
}

export interface ConsoleHooks {
  before(): void;
  after(): void;
}

/**
 * Set on a log entry that a progress bar already shows (one action done): kept out of the human
 * console, still in JSON lines and the log file.
 */
export const SHOWN_BY_PROGRESS = Symbol.for('lpsync.shownByProgress');

/** The console transport, letting a progress bar clear its line before each log line and redraw after. */
class HookedConsole extends winston.transports.Console {
  constructor(
    options: winston.transports.ConsoleTransportOptions,
    private readonly hooks: ConsoleHooks,
  ) {
    super(options);
  }

  override log(info: unknown, next: () => void): void {
    this.hooks.before();
    try {
      super.log?.(info, next);
    } finally {
      this.hooks.after();
    }
  }
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
    const consoleOptions: winston.transports.ConsoleTransportOptions = {
      stderrLevels: ['error', 'warn', 'info', 'debug'],
      format: options.human
        ? winston.format.combine(
            winston.format((info) => ((info as Record<symbol, unknown>)[SHOWN_BY_PROGRESS] ? false : info))(),
            winston.format.colorize(),
            winston.format.printf(({ level, message }) => `${level}: ${String(message)}`),
          )
        : winston.format.json(),
    };
    transports.push(
      options.human && options.consoleHooks
        ? new HookedConsole(consoleOptions, options.consoleHooks)
        : new winston.transports.Console(consoleOptions),
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
