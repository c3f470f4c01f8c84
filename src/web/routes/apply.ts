/** Step 4's routes: the confirmation, and the apply itself (then the live page). */
import type { FastifyInstance } from 'fastify';
import * as run from '../../run/index.js';
import type { Console } from '../console.js';
import { problemPage } from '../layout.js';
import { applyPage } from '../pages/apply.js';
import { sendPage } from '../server.js';
import { runUnderWay, startRun } from '../start-run.js';
import { ownPlan } from './plan.js';

export function applyRoutes(app: FastifyInstance, ctx: Console): void {
  app.get('/plans/:sha/apply', async (request, reply) => {
    const session = request.session!;
    const plan = ownPlan(ctx, session, (request.params as { sha: string }).sha);
    if (!plan)
      return sendPage(reply, 404, problemPage('Not found', 'No such plan in this session.', session));
    const holder = await run.writerLock({ statePath: ctx.options.statePath });
    const page = applyPage({
      session,
      platform: ctx.options.platform,
      plan,
      holder,
      running: runUnderWay(ctx),
    });
    return sendPage(reply, 200, page);
  });

  app.post('/plans/:sha/apply', { config: { need: 'apply' } }, async (request, reply) => {
    const session = request.session!;
    const plan = ownPlan(ctx, session, (request.params as { sha: string }).sha);
    if (!plan)
      return sendPage(reply, 404, problemPage('Not found', 'No such plan in this session.', session));
    const holder = await run.writerLock({ statePath: ctx.options.statePath });
    const running = runUnderWay(ctx);
    if (holder || running)
      return sendPage(
        reply,
        409,
        applyPage({ session, platform: ctx.options.platform, plan, holder, running }),
      );
    const live = startRun(ctx, session.id, plan);
    return reply.redirect(`/runs/${live.id}`, 303);
  });
}
