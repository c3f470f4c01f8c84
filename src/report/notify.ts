/**
 * `--notify URL`: the run's outcome posted when the run ends — as JSON, a Teams incoming-webhook
 * card (Adaptive Card), or Slack blocks. Deciding and building are pure; the post is given by the
 * caller. A failed notification is reported back, never thrown: it must not change the run's outcome.
 */
import type { Redactor } from '../model/redact.js';
import { NOTIFY_FORMATS, NOTIFY_ON, type NotifyFormat, type NotifyOn } from './notify-options.js';

export { NOTIFY_FORMATS, NOTIFY_ON, type NotifyFormat, type NotifyOn };
import { changesMade, outcomeWord, type RunOutcome } from './run-outcome.js';
import { summaryLine } from './summary.js';

/** failure: the run did not end 0; change: it changed something on the Live Platform, or failed; always. */
export function shouldNotify(on: NotifyOn, outcome: RunOutcome): boolean {
  const failed = outcome.exitCode !== 0;
  if (on === 'always') return true;
  if (on === 'failure') return failed;
  return failed || changesMade(outcome.summary) > 0;
}

/** The title line: `lpsync reconcile on cron-host: rows need a look (exit 1)`. */
export function notificationTitle(outcome: RunOutcome): string {
  return `lpsync ${outcome.command} on ${outcome.host}: ${outcomeWord(outcome.exitCode)} (exit ${outcome.exitCode})`;
}

/** The facts every format shows, in order; empty ones left out. */
function facts(outcome: RunOutcome): Array<[string, string]> {
  const s = outcome.summary;
  const out: Array<[string, string | null | undefined]> = [
    ['Outcome', s ? summaryLine(s, capitalised(outcome.command)) : null],
    ['Stopped', outcome.error ?? s?.fatalError],
    [
      'Drift',
      s && s.drift > 0 ? `${s.drift} service(s)/site(s) on the Live Platform are not in the sheet` : null,
    ],
    ['Run', s ? s.runId : null],
    ['Started', outcome.startedAt],
    ['Ended', outcome.endedAt],
    ['Live Platform', s?.baseUrl],
    ['Report', s?.reportPath],
    ['To finish this run', s?.resumeCommand],
    ['lpsync', outcome.lpsyncVersion],
  ];
  return out.filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '');
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The body to post, masked with `redactor`. */
export function notificationBody(format: NotifyFormat, outcome: RunOutcome, redactor: Redactor): unknown {
  const masked = redactor.value(outcome);
  const title = notificationTitle(masked);
  const list = facts(masked);
  switch (format) {
    case 'json':
      return {
        event: 'lpsync-run-end',
        title,
        outcome: outcomeWord(masked.exitCode),
        changes: changesMade(masked.summary),
        ...masked,
      };
    case 'teams':
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                {
                  type: 'TextBlock',
                  size: 'Medium',
                  weight: 'Bolder',
                  wrap: true,
                  color: masked.exitCode === 0 ? 'Good' : 'Attention',
                  text: title,
                },
                { type: 'FactSet', facts: list.map(([t, value]) => ({ title: t, value })) },
              ],
            },
          },
        ],
      };
    case 'slack':
      return {
        // The fallback text for notifications and clients without blocks.
        text: slackText(title),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: list.map(([t, v]) => `*${slackText(t)}:* ${slackText(v)}`).join('\n'),
            },
          },
        ],
      };
  }
}

/** Slack's mrkdwn reads &, < and > as markup: they are escaped as its docs say. */
function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** How one post went; `where` is the URL's origin only (a webhook URL is itself a credential). */
export type NotifyResult =
  { where: string; ok: true; status: number } | { where: string; ok: false; problem: string };

export type Post = (url: string, body: string) => Promise<{ status: number } | { error: string }>;

/** Posts to every URL at once; each failure is a result, never an exception. */
export async function sendNotifications(
  urls: readonly string[],
  format: NotifyFormat,
  outcome: RunOutcome,
  redactor: Redactor,
  post: Post,
): Promise<NotifyResult[]> {
  const body = JSON.stringify(notificationBody(format, outcome, redactor));
  return Promise.all(
    urls.map(async (url): Promise<NotifyResult> => {
      const where = originOf(url);
      try {
        const answer = await post(url, body);
        if ('error' in answer) return { where, ok: false, problem: redactor.text(answer.error) };
        if (answer.status >= 200 && answer.status < 300) return { where, ok: true, status: answer.status };
        return { where, ok: false, problem: `it answered HTTP ${answer.status}` };
      } catch (error) {
        return {
          where,
          ok: false,
          problem: redactor.text(error instanceof Error ? error.message : String(error)),
        };
      }
    }),
  );
}

/** `https://hooks.slack.com` of a webhook URL: enough to say where, nothing of its secret path. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}
