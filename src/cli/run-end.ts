/**
 * What apply and reconcile do for cron once a run has ended, whatever its outcome: post the
 * notifications (`--notify`) and write the metrics file (`--metrics-file`). Neither changes the
 * run's outcome: a failure is logged as a warning and the exit code stays the run's.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type winston from 'winston';
import type { ClientStats } from '../api/client.js';
import { resolveProxyRules, type ProxyRules } from '../api/proxy.js';
import { createTransport } from '../api/transport.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { metricsText, writeMetricsFile } from '../report/metrics.js';
import {
  sendNotifications,
  shouldNotify,
  type NotifyFormat,
  type NotifyOn,
  type Post,
} from '../report/notify.js';
import type { RunOutcome } from '../report/run-outcome.js';
import type { RunSummary } from '../report/types.js';
import { lpsyncVersion } from './version.js';
import path from 'node:path';

export interface RunEndSettings {
  notify: string[];
  notifyFormat: NotifyFormat;
  notifyOn: NotifyOn;
  metricsFile?: string;
}

/** Checks the flags before the run starts: a webhook URL that is not http(s) is RunError('invalid-options'). */
export function runEndSettings(argv: Record<string, unknown>, redactor: Redactor): RunEndSettings {
  const given = argv.notify;
  const notify = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
  // A webhook URL is a credential (its path is the secret): masked wherever it could be shown.
  redactor.addSecrets(notify);
  for (const url of notify) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new RunError(
        'invalid-options',
        `--notify: expected an http(s) webhook URL, got "${redactor.text(url)}"`,
      );
  }
  const metrics = argv.metricsFile ?? argv['metrics-file'];
  return {
    notify,
    notifyFormat: (argv.notifyFormat ?? argv['notify-format'] ?? 'json') as NotifyFormat,
    notifyOn: (argv.notifyOn ?? argv['notify-on'] ?? 'failure') as NotifyOn,
    ...(typeof metrics === 'string' && metrics !== '' ? { metricsFile: path.resolve(metrics) } : {}),
  };
}

export interface RunEnd {
  command: string;
  startedAt: Date;
  exitCode: number;
  summary: RunSummary | null;
  error: string | null;
  stats: ClientStats | null;
}

export interface RunEndContext {
  logger: winston.Logger;
  redactor: Redactor;
  proxy?: ProxyRules;
  /** Per notification (default 10 s). */
  timeoutMs?: number;
}

/** Notifications and the metrics file for a run that has ended; never throws. */
export async function reportRunEnd(settings: RunEndSettings, end: RunEnd, ctx: RunEndContext): Promise<void> {
  const outcome: RunOutcome = {
    command: end.command,
    exitCode: end.exitCode,
    startedAt: end.summary?.startedAt ?? end.startedAt.toISOString(),
    endedAt: end.summary?.endedAt ?? new Date().toISOString(),
    lpsyncVersion: lpsyncVersion(),
    host: hostname(),
    summary: end.summary,
    error: end.error === null ? null : ctx.redactor.text(end.error),
  };
  if (settings.metricsFile) {
    try {
      writeMetricsFile(settings.metricsFile, metricsText(outcome, end.stats));
      ctx.logger.debug(`Metrics written to ${settings.metricsFile}`);
    } catch (error) {
      ctx.logger.warn(
        `The metrics file ${settings.metricsFile} could not be written: ${(error as Error).message}`,
      );
    }
  }
  if (settings.notify.length === 0 || !shouldNotify(settings.notifyOn, outcome)) return;
  const transport = createTransport({
    maxSockets: 2,
    timeoutMs: ctx.timeoutMs ?? 10_000,
    ...(ctx.proxy ? { proxy: ctx.proxy } : {}),
  });
  const post: Post = async (url, body) => {
    const answer = await transport.send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
    });
    return answer.kind === 'response' ? { status: answer.status } : { error: answer.message };
  };
  try {
    const results = await sendNotifications(
      settings.notify,
      settings.notifyFormat,
      outcome,
      ctx.redactor,
      post,
    );
    for (const r of results) {
      if (r.ok) ctx.logger.info(`Notification sent to ${r.where} (HTTP ${r.status})`);
      else
        ctx.logger.warn(
          `The notification to ${r.where} failed: ${r.problem}; the run's outcome is unchanged.`,
        );
    }
  } finally {
    transport.close();
  }
}

/**
 * The few calls apply and reconcile make so that notifications and metrics see the run:
 * `start` (checks the flags, before anything is read or sent), `watch` (the client, for its
 * HTTP counts), `summary` or `failed`, then `finish` with the exit code.
 */
export interface RunEndWatch {
  start(argv: Record<string, unknown>, redactor: Redactor, env: NodeJS.ProcessEnv): void;
  watch(client: { stats(): ClientStats }): void;
  summary(summary: RunSummary): void;
  failed(error: unknown): void;
  finish(exitCode: number, logger: winston.Logger): Promise<void>;
}

export function createRunEnd(command: string): RunEndWatch {
  const startedAt = new Date();
  let settings: RunEndSettings | undefined;
  let redactor: Redactor | undefined;
  let proxy: ProxyRules | undefined;
  let client: { stats(): ClientStats } | undefined;
  let summary: RunSummary | null = null;
  let error: string | null = null;
  return {
    start: (argv, r, env) => {
      redactor = r;
      settings = runEndSettings(argv, r);
      // Webhooks go through the same proxy as the platform (flag, then environment).
      const flagProxy = typeof argv.proxy === 'string' && argv.proxy !== '' ? argv.proxy : undefined;
      proxy = resolveProxyRules({
        ...(flagProxy ? { explicit: { value: flagProxy, source: '--proxy' } } : {}),
        env,
      });
    },
    watch: (c) => {
      client = c;
    },
    summary: (s) => {
      // A webhook card is read on another machine, a metrics file by a collector: the report's full path.
      summary = s.reportPath === null ? s : { ...s, reportPath: resolve(s.reportPath) };
    },
    failed: (e) => {
      error = e instanceof Error ? e.message : String(e);
    },
    finish: async (exitCode, logger) => {
      if (!settings || !redactor) return;
      await reportRunEnd(
        settings,
        { command, startedAt, exitCode, summary, error, stats: client?.stats() ?? null },
        { logger, redactor, ...(proxy ? { proxy } : {}) },
      );
    },
  };
}
