/** Notifications: when they are sent, what each format carries, and that nothing secret is in them. */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/model/redact.js';
import {
  notificationBody,
  originOf,
  sendNotifications,
  shouldNotify,
  type NotifyOn,
} from '../../src/report/notify.js';
import { outcomeOf, summaryOf } from './run-end-fixtures.js';

const unchangedRun = outcomeOf({
  exitCode: 0,
  summary: summaryOf({ byStatus: { unchanged: 20 }, byActionStatus: { unchanged: { unchanged: 20 } } }),
});
const changedRun = outcomeOf({
  exitCode: 0,
  summary: summaryOf({
    byStatus: { succeeded: 1, unchanged: 19 },
    byActionStatus: { 'add-site': { succeeded: 1 } },
  }),
});
const failedRun = outcomeOf({
  exitCode: 3,
  summary: null,
  error: 'The Live Platform at https://lp.example.com/tenantui is unreachable',
});

describe('--notify-on', () => {
  it.each<[NotifyOn, boolean, boolean, boolean]>([
    ['failure', false, false, true],
    ['change', false, true, true],
    ['always', true, true, true],
  ])('%s: unchanged %s, changed %s, failed %s', (on, unchanged, changed, failed) => {
    expect(shouldNotify(on, unchangedRun)).toBe(unchanged);
    expect(shouldNotify(on, changedRun)).toBe(changed);
    expect(shouldNotify(on, failedRun)).toBe(failed);
  });
});

describe('notification formats', () => {
  const redactor = createRedactor(['CarrierPw-77x']);
  const secretRun = outcomeOf({
    error: 'POST /api/v2/customer failed: Bearer eyJabc.def.ghi and CarrierPw-77x',
  });

  it('json: the whole outcome, with a title and the count of changes', () => {
    const body = notificationBody('json', outcomeOf(), redactor) as Record<string, unknown>;
    expect(body).toMatchObject({
      event: 'lpsync-run-end',
      title: 'lpsync reconcile on cron-1: rows need a look (exit 1)',
      outcome: 'rows need a look',
      changes: 3,
      exitCode: 1,
      summary: { runId: 'run-20261130T021500-0a1b2c3d', drift: 4 },
    });
  });

  it('teams: an Adaptive Card in a message, coloured by outcome, one fact per line', () => {
    const body = notificationBody('teams', outcomeOf(), redactor) as {
      type: string;
      attachments: Array<{
        contentType: string;
        content: { type: string; version: string; body: Array<Record<string, unknown>> };
      }>;
    };
    expect(body.type).toBe('message');
    const card = body.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body[0]).toMatchObject({
      type: 'TextBlock',
      color: 'Attention',
      text: 'lpsync reconcile on cron-1: rows need a look (exit 1)',
    });
    const facts = card.content.body[1]!.facts as Array<{ title: string; value: string }>;
    expect(facts.map((f) => f.title)).toEqual([
      'Outcome',
      'Drift',
      'Run',
      'Started',
      'Ended',
      'Live Platform',
      'Report',
      'lpsync',
    ]);
    expect(facts[0]!.value).toBe(
      'Reconcile: 2 created, 1 added, 0 modified, 2 failed, 15 unchanged (20 rows)',
    );
    const ok = notificationBody('teams', changedRun, redactor) as typeof body;
    expect(ok.attachments[0]!.content.body[0]).toMatchObject({ color: 'Good' });
  });

  it("slack: a header and a mrkdwn section, with &, < and > escaped as Slack's docs say", () => {
    const body = notificationBody('slack', outcomeOf({ host: 'cron<1>&co' }), redactor) as {
      text: string;
      blocks: Array<{ type: string; text: { type: string; text: string } }>;
    };
    expect(body.text).toBe('lpsync reconcile on cron&lt;1&gt;&amp;co: rows need a look (exit 1)');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(body.blocks[0]!.text.type).toBe('plain_text');
    expect(body.blocks[1]!.text.text).toContain('*Outcome:* Reconcile: 2 created');
  });

  it.each(['json', 'teams', 'slack'] as const)('%s: secrets in the outcome are masked', (format) => {
    const text = JSON.stringify(notificationBody(format, secretRun, redactor));
    expect(text).toContain('***');
    expect(text).not.toContain('CarrierPw-77x');
    expect(text).not.toContain('eyJabc');
  });
});

describe('sending', () => {
  it('each failure is a result naming only the origin; the others are still sent', async () => {
    const secretUrl = 'https://hooks.example.com/services/T000/B000/XXXXsecretXXXX';
    const redactor = createRedactor([secretUrl]);
    const posted: string[] = [];
    const results = await sendNotifications(
      [secretUrl, 'https://teams.example.com/webhook/abc', 'https://down.example.com/x'],
      'json',
      failedRun,
      redactor,
      (url) => {
        posted.push(url);
        if (url.startsWith('https://teams')) return Promise.resolve({ status: 500 });
        if (url.startsWith('https://down'))
          return Promise.reject(new Error(`request to ${secretUrl} failed`));
        return Promise.resolve({ status: 200 });
      },
    );
    expect(posted).toHaveLength(3);
    expect(results).toEqual([
      { where: 'https://hooks.example.com', ok: true, status: 200 },
      { where: 'https://teams.example.com', ok: false, problem: 'it answered HTTP 500' },
      { where: 'https://down.example.com', ok: false, problem: 'request to *** failed' },
    ]);
    expect(originOf('not a url')).toBe('(not a URL)');
  });
});
