/**
 * A second person's approval: the plans made here, a plan's own page with Approve, and the approval itself
 * through run.approve (the same call as `lpsync approve --plan`), the signed-in account as who approves.
 * src/run refuses the plan's author and a role that may not approve; the route needs `approve` first.
 */
import type { FastifyInstance } from 'fastify';
import { LpsyncError } from '../../model/errors.js';
import * as run from '../../run/index.js';
import type { PlanApprovals } from '../../run/index.js';
import { mayOpen, permitted } from '../access.js';
import type { Console } from '../console.js';
import type { StoredPlan } from '../flow.js';
import { problemPage } from '../layout.js';
import { planViewPage, plansPage, type ApprovalBox } from '../pages/approval.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { actingAs } from '../who.js';
import { ownPlan } from './plan.js';

/** What the store knows of the plan's approval; null when it cannot be read (the page says so). */
export async function approvalsOf(ctx: Console, sha256: string): Promise<PlanApprovals | null> {
  try {
    return await run.planApprovals({ statePath: ctx.options.statePath, sha256 });
  } catch (error) {
    if (!(error instanceof LpsyncError)) throw error;
    return null;
  }
}

/** The approval section for a plan's page, as this session sees it. */
export async function approvalFor(ctx: Console, session: Session, plan: StoredPlan): Promise<ApprovalBox> {
  return {
    session,
    plan,
    approvals: await approvalsOf(ctx, plan.sha256),
    required: ctx.options.requireApproval === true,
    mayApprove: session.user !== null && permitted(session, 'approve'),
  };
}

export function approvalRoutes(app: FastifyInstance, ctx: Console): void {
  const platform = ctx.options.platform;
  const mask = (text: string) => ctx.options.redactor.text(text);

  app.get('/plans', async (request, reply) => {
    const session = request.session!;
    const mine = [...ctx.flow.plans.values()]
      .filter((plan) => mayOpen(session, plan))
      .sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime());
    const plans = await Promise.all(
      mine.map(async (plan) => ({ plan, approvals: await approvalsOf(ctx, plan.sha256) })),
    );
    const page = (request.query as { page?: string }).page;
    const required = ctx.options.requireApproval === true;
    return sendPage(reply, 200, plansPage({ session, platform, plans, required, ...(page ? { page } : {}) }));
  });

  const showPlan = async (
    session: Session,
    plan: StoredPlan,
    query: Record<string, string | undefined>,
    problem?: string,
  ) =>
    planViewPage({
      box: await approvalFor(ctx, session, plan),
      platform,
      mask,
      mayApply: permitted(session, 'apply'),
      filter: Object.fromEntries(
        (['kind', 'customer', 'page'] as const).filter((k) => query[k]).map((k) => [k, query[k]!]),
      ),
      ...(problem ? { problem } : {}),
    });

  app.get('/plans/:sha', async (request, reply) => {
    const session = request.session!;
    const plan = ownPlan(ctx, session, (request.params as { sha: string }).sha);
    if (!plan) return sendPage(reply, 404, problemPage('Not found', 'No such plan here.', session));
    return sendPage(reply, 200, await showPlan(session, plan, request.query as Record<string, string>));
  });

  app.post('/plans/:sha/approve', { config: { need: 'approve' } }, async (request, reply) => {
    const session = request.session!;
    const plan = ownPlan(ctx, session, (request.params as { sha: string }).sha);
    if (!plan) return sendPage(reply, 404, problemPage('Not found', 'No such plan here.', session));
    try {
      const approved = await run.approve({
        statePath: ctx.options.statePath,
        planFile: plan.planFile,
        by: actingAs(ctx.options.invocation, session),
        now: ctx.options.now,
        program: ctx.options.program,
        redactor: ctx.options.redactor,
      });
      ctx.options.log.info('console approval', { user: session.user?.name, plan: approved.sha256 });
      return reply.redirect(`/plans/${plan.sha256}`, 303);
    } catch (error) {
      if (!(error instanceof LpsyncError)) throw error;
      ctx.options.log.warn('console approval refused', {
        user: session.user?.name,
        plan: plan.sha256,
        code: error.code,
      });
      const status = error.code === 'not-permitted' ? 403 : 409;
      return sendPage(reply, status, await showPlan(session, plan, {}, mask(error.message)));
    }
  });
}
