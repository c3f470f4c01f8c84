/**
 * The run's log: four levels to the console (human lines on a terminal, JSON lines otherwise) and, with
 * --log-file, JSON lines to a file. Written here rather than with winston: loading winston and its
 * format pipeline cost a run about 40 ms, and each line 30–60 µs more than this (apply writes one a
 * row). The lines are the ones winston wrote: `level: message` (the level coloured), or JSON with sorted
 * keys and a `timestamp`.
 */
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Log, LogFields } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import { logJson } from './log-json.js';

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
  /** Where console lines go; standard error by default. */
  console?: { write(text: string): unknown };
  /**
   * JSON lines held until the event loop turns and written together (apply, which logs a line a row; it
   * flushes before printing anything itself); by default each is written as it is made.
   */
  holdLines?: boolean;
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

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
/** The colours winston's colorize gave each level (ANSI foreground, reset with 39). */
const COLOUR: Record<LogLevel, number> = { error: 31, warn: 33, info: 32, debug: 34 };

export interface RunLogger extends Log {
  /** Lines above this level are dropped. */
  level: LogLevel;
  log(level: LogLevel, message: string, fields?: LogFields): void;
  isDebugEnabled(): boolean;
  /** Writes the JSON lines held for this turn of the event loop now (before writing to stderr directly). */
  flush(): void;
  /** Closes the log file; 'finish' follows when it is written. */
  end(): void;
  on(event: 'finish', listener: () => void): this;
}

type Line = (level: LogLevel, message: string, fields: LogFields & { [SHOWN_BY_PROGRESS]?: true }) => void;

class RunLog extends EventEmitter implements RunLogger {
  constructor(
    public level: LogLevel,
    private readonly write: Line,
    readonly flush: () => void,
    private readonly close: () => void,
  ) {
    super();
  }
  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (RANK[level] <= RANK[this.level]) this.write(level, message, fields);
  }
  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }
  isDebugEnabled(): boolean {
    return this.level === 'debug';
  }
  end(): void {
    this.close();
    setImmediate(() => this.emit('finish'));
  }
}

/** One logger per run; every line passes through the run's redactor, whatever it is written to. */
export function createRunLogger(options: LoggingOptions): RunLogger {
  const { redactor } = options;
  const sinks: Line[] = [];
  const held: HeldLines[] = [];
  const hold = (to: (text: string) => unknown): Line => {
    if (options.holdLines !== true) return (_level, _message, fields) => to(`${logJson(fields)}\n`);
    const lines = new HeldLines(to);
    held.push(lines);
    return (_level, _message, fields) => lines.add(`${logJson(fields)}\n`);
  };
  if (!options.quiet) sinks.push(options.human ? humanSink(options) : hold(consoleOf(options)));
  let fd: number | undefined;
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const file = openSync(options.logFile, 'a');
    fd = file;
    sinks.push(hold((text) => writeSync(file, text)));
  }
  const flush = (): void => {
    for (const lines of held) lines.flush();
  };

  const write: Line = (level, message, fields) => {
    // Masked by key and by value (the message too); the symbol, not a JSON member, is put back after.
    const masked: LogFields = redactor.value({ ...fields, level, message });
    masked.timestamp = new Date().toISOString();
    const entry = fields[SHOWN_BY_PROGRESS] ? { ...masked, [SHOWN_BY_PROGRESS]: true as const } : masked;
    for (const sink of sinks) sink(level, masked.message as string, entry);
  };
  const close = (): void => {
    flush();
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return new RunLog(options.verbose ? 'debug' : 'info', write, flush, close);
}

/**
 * JSON lines held until the event loop turns, then written at once: apply logs a line a row, and a
 * write (a system call) each cost more than making the line. What a person watches is not held.
 */
class HeldLines {
  private text = '';
  private scheduled = false;
  constructor(private readonly to: (text: string) => unknown) {}
  add(line: string): void {
    this.text += line;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
  flush(): void {
    this.scheduled = false;
    if (this.text === '') return;
    const text = this.text;
    this.text = '';
    this.to(text);
  }
}

function consoleOf(options: LoggingOptions): (text: string) => unknown {
  const out = options.console ?? process.stderr;
  return (text) => out.write(text);
}

/** The console for a person: `level: message`, the level coloured, lines a progress bar shows left out. */
function humanSink(options: LoggingOptions): Line {
  const out = options.console ?? process.stderr;
  const colour = process.env.NO_COLOR === undefined;
  const hooks = options.consoleHooks;
  return (level, message, fields) => {
    if (fields[SHOWN_BY_PROGRESS]) return;
    const shown = colour ? `\x1b[${COLOUR[level]}m${level}\x1b[39m` : level;
    hooks?.before();
    try {
      out.write(`${shown}: ${message}\n`);
    } finally {
      hooks?.after();
    }
  };
}

/** A logger that drops everything: for library callers and tests that do not look at logs. */
export function silentLogger(): RunLogger {
  const nothing = (): void => undefined;
  return new RunLog('info', nothing, nothing, nothing);
}
