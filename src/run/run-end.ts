/**
 * What apply and reconcile do for cron once a run has ended, whatever its outcome: post the
 * notifications (`--notify`) and write the metrics file (`--metrics-file`). Neither changes the
 * run's outcome: a failure is told as a warning and the exit code stays the run's.
 */
import { resolve } from 'node:path';
import type { ClientStats } from '../api/client.js';
import type { ProxyRules } from '../api/proxy.js';
import { createTransport } from '../api/transport.js';
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
import type { RunEvent } from './events.js';

/** Where the end of a run is announced; checked by the face (a webhook URL is http(s), and a secret). */
export interface RunEndSettings {
  notify: string[];
  notifyFormat: NotifyFormat;
  notifyOn: NotifyOn;
  /** Absolute. */
  metricsFile?: string;
  /** The webhooks go through the same proxy as the platform. */
  proxy?: ProxyRules;
  /** Per notification (default 10 s). */
  timeoutMs?: number;
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
  emit: (event: RunEvent) => void;
  redactor: Redactor;
  lpsyncVersion: string;
  host: string;
  now: () => Date;
}

/** Notifications and the metrics file for a run that has ended; never throws. */
export async function reportRunEnd(settings: RunEndSettings, end: RunEnd, ctx: RunEndContext): Promise<void> {
  const say = (level: 'info' | 'warn' | 'debug', message: string) =>
    ctx.emit({ type: 'message', level, message });
  // A webhook card is read on another machine, a metrics file by a collector: the report's full path.
  const summary =
    end.summary === null || end.summary.reportPath === null
      ? end.summary
      : { ...end.summary, reportPath: resolve(end.summary.reportPath) };
  const outcome: RunOutcome = {
    command: end.command,
    exitCode: end.exitCode,
    startedAt: summary?.startedAt ?? end.startedAt.toISOString(),
    endedAt: summary?.endedAt ?? ctx.now().toISOString(),
    lpsyncVersion: ctx.lpsyncVersion,
    host: ctx.host,
    summary,
    error: end.error === null ? null : ctx.redactor.text(end.error),
  };
  if (settings.metricsFile) {
    try {
      writeMetricsFile(settings.metricsFile, metricsText(outcome, end.stats));
      say('debug', `Metrics written to ${settings.metricsFile}`);
    } catch (error) {
      say(
        'warn',
        `The metrics file ${settings.metricsFile} could not be written: ${(error as Error).message}`,
      );
    }
  }
  if (settings.notify.length === 0 || !shouldNotify(settings.notifyOn, outcome)) return;
  await notify(settings, outcome, ctx.redactor, say);
}

async function notify(
  settings: RunEndSettings,
  outcome: RunOutcome,
  redactor: Redactor,
  say: (level: 'info' | 'warn', message: string) => void,
): Promise<void> {
  const transport = createTransport({
    maxSockets: 2,
    timeoutMs: settings.timeoutMs ?? 10_000,
    ...(settings.proxy ? { proxy: settings.proxy } : {}),
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
    const results = await sendNotifications(settings.notify, settings.notifyFormat, outcome, redactor, post);
    for (const r of results) {
      if (r.ok) say('info', `Notification sent to ${r.where} (HTTP ${r.status})`);
      else
        say('warn', `The notification to ${r.where} failed: ${r.problem}; the run's outcome is unchanged.`);
    }
  } finally {
    transport.close();
  }
}
