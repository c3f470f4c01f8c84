/** Steps 5 and 6: the live run and its event stream, Stop and Resume, the results and their workbook. */
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Console } from '../console.js';
import { problemPage } from '../layout.js';
import type { LiveRun } from '../live-run.js';
import { mayOpen } from '../access.js';
import { resultsPage } from '../pages/results.js';
import { runPage, stateText } from '../pages/run.js';
import { securityHeaders } from '../security.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { runUnderWay, startRun } from '../start-run.js';

/** What an applied run's summary says, among it where its workbooks are. */
type AppliedSummary = Extract<NonNullable<LiveRun['result']>, { kind: 'applied' }>['summary'];

function liveOf(ctx: Console, session: Session, id: string): LiveRun | undefined {
  const live = ctx.flow.runs.get(id);
  return live && mayOpen(session, live) ? live : undefined;
}

export function runRoutes(app: FastifyInstance, ctx: Console): void {
  const mask = (text: string) => ctx.options.redactor.text(text);
  const platform = ctx.options.platform;
  const missing = (reply: FastifyReply, session: Session) =>
    sendPage(reply, 404, problemPage('Not found', 'No such run here.', session));

  app.get('/runs/:id', async (request, reply) => {
    const session = request.session!;
    const live = liveOf(ctx, session, (request.params as { id: string }).id);
    if (!live) return missing(reply, session);
    return sendPage(reply, 200, runPage({ session, platform, live, mask }));
  });

  app.get('/runs/:id/events', async (request, reply) => {
    const live = liveOf(ctx, request.session!, (request.params as { id: string }).id);
    if (!live) return missing(reply, request.session!);
    streamRun(reply, live);
  });

  app.post('/runs/:id/stop', { config: { need: 'apply' } }, async (request, reply) => {
    const live = liveOf(ctx, request.session!, (request.params as { id: string }).id);
    if (!live) return missing(reply, request.session!);
    if (live.view.state === 'running') {
      live.view.state = 'stopping';
      // What Ctrl-C does: stop dispatching; the requests in flight finish and are recorded.
      live.controller.abort('SIGINT');
    }
    return reply.redirect(`/runs/${live.id}`, 303);
  });

  app.post('/runs/:id/resume', { config: { need: 'apply' } }, async (request, reply) => {
    const session = request.session!;
    const live = liveOf(ctx, session, (request.params as { id: string }).id);
    const plan = live && ctx.flow.plans.get(live.planSha);
    if (!live || !plan) return missing(reply, session);
    if (live.view.state !== 'interrupted' || runUnderWay(ctx)) return reply.redirect(`/runs/${live.id}`, 303);
    const next = startRun(ctx, session, plan, { runId: live.view.runId });
    return reply.redirect(`/runs/${next.id}`, 303);
  });

  app.get('/runs/:id/results', async (request, reply) => {
    const session = request.session!;
    const live = liveOf(ctx, session, (request.params as { id: string }).id);
    if (!live) return missing(reply, session);
    return sendPage(reply, 200, resultsPage({ session, platform, live, mask }));
  });

  // The results workbook, and the before-image beside it (a run that modified something): apply it to back out.
  for (const [suffix, pathOf] of [
    ['results.xlsx', (s: AppliedSummary) => s.reportPath],
    ['before.xlsx', (s: AppliedSummary) => s.beforeImage],
  ] as const) {
    app.get(`/runs/:id/${suffix}`, async (request, reply) => {
      const session = request.session!;
      const live = liveOf(ctx, session, (request.params as { id: string }).id);
      const path = live?.result?.kind === 'applied' ? pathOf(live.result.summary) : null;
      if (!live || !path || !existsSync(path)) return missing(reply, session);
      reply.header('Content-Disposition', `attachment; filename="${basename(path)}"`);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(createReadStream(path));
    });
  }
}

/** Server-sent events: the whole view at once (masked already), at most every 150 ms, then `end`. */
function streamRun(reply: FastifyReply, live: LiveRun): void {
  securityHeaders(reply);
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  const send = (event: string) =>
    out.write(
      `event: ${event}\ndata: ${JSON.stringify({ ...live.view, stateText: stateText(live.view) })}\n\n`,
    );
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    clearTimeout(timer);
    clearInterval(beat);
    unsubscribe();
    if (!out.writableEnded) {
      send('end');
      out.end();
    }
  };
  const unsubscribe = live.onChange(() => {
    if (live.result) return end();
    timer ??= setTimeout(() => {
      timer = undefined;
      send('state');
    }, 150);
  });
  const beat = setInterval(() => out.write(': still here\n\n'), 15_000);
  out.on('close', () => {
    clearTimeout(timer);
    clearInterval(beat);
    unsubscribe();
  });
  if (live.result) end();
  else send('state');
}
