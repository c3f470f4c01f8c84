/**
 * Step 4's routes: the confirmation, and the apply itself (then the live page). Under `--require-approval`
 * a plan no one but its author approved gets a page that says who planned it and that it waits (403 to
 * the POST); src/run checks the approval again before it sends anything.
 */
import type { FastifyInstance } from 'fastify';
import * as run from '../../run/index.js';
import { permitted } from '../access.js';
import type { Console } from '../console.js';
import type { StoredPlan } from '../flow.js';
import { problemPage } from '../layout.js';
import { applyPage } from '../pages/apply.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { runUnderWay, startRun } from '../start-run.js';
import { approvalFor } from './approval.js';
import { ownPlan } from './plan.js';

async function confirmation(ctx: Console, session: Session, plan: StoredPlan) {
  const holder = await run.writerLock({ statePath: ctx.options.statePath });
  const approval = session.user ? await approvalFor(ctx, session, plan) : undefined;
  const waiting = ctx.options.requireApproval === true && !(approval?.approvals?.approvedByAnother ?? false);
  return {
    page: applyPage({
      session,
      platform: ctx.options.platform,
      plan,
      holder,
      running: runUnderWay(ctx),
      mayApply: permitted(session, 'apply'),
      ...(approval ? { approval } : {}),
      waiting,
    }),
    blocked: holder !== null || runUnderWay(ctx) !== undefined,
    waiting,
  };
}

export function applyRoutes(app: FastifyInstance, ctx: Console): void {
  app.get('/plans/:sha/apply', async (request, reply) => {
    const session = request.session!;
    const plan = ownPlan(ctx, session, (request.params as { sha: string }).sha);
    if (!plan) return sendPage(reply, 404, problemPage('Not found', 'No such plan here.', session));
    return sendPage(reply, 200, (await confirmation(ctx, session, plan)).page);
  });

  app.post('/plans/:sha/apply', { config: { need: 'apply' } }, async (request, reply) => {
    const session = request.session!;
    const plan = ownPlan(ctx, session, (request.params as { sha: string }).sha);
    if (!plan) return sendPage(reply, 404, problemPage('Not found', 'No such plan here.', session));
    const shown = await confirmation(ctx, session, plan);
    if (shown.waiting) {
      ctx.options.log.warn('console apply refused: the plan waits for approval', {
        user: session.user?.name,
        plan: plan.sha256,
      });
      return sendPage(reply, 403, shown.page);
    }
    if (shown.blocked) return sendPage(reply, 409, shown.page);
    // A second press may have started a run while this one read the lock: checked again with no await before startRun.
    if (runUnderWay(ctx)) return sendPage(reply, 409, (await confirmation(ctx, session, plan)).page);
    const live = startRun(ctx, session, plan);
    return reply.redirect(`/runs/${live.id}`, 303);
  });
}
