/**
 * The auditor's checks (everyone reads them): `audit verify` as a page and `audit export` as a download,
 * `doctor` as a page, and the drift of the latest plan made here or run recorded (or of a run named).
 */
import type { FastifyInstance } from 'fastify';
import * as run from '../../run/index.js';
import { mayOpen } from '../access.js';
import type { Console } from '../console.js';
import { auditPage, doctorPage, driftPage, type DriftPage } from '../pages/audit.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { orProblem, sendMade } from './history.js';

export function auditRoutes(app: FastifyInstance, ctx: Console): void {
  const { statePath, platform } = ctx.options;

  app.get('/audit', async (request, reply) => {
    const found = await orProblem(ctx, () => run.auditVerify({ statePath }));
    const page = (request.query as { page?: string }).page;
    const session = request.session!;
    return sendPage(
      reply,
      200,
      'problem' in found
        ? auditPage({ session, platform, verdict: null, problem: found.problem })
        : auditPage({ session, platform, verdict: found, page }),
    );
  });

  app.get('/audit/export', async (request, reply) =>
    sendMade(ctx, reply, request.session!, {
      name: 'lpsync-audit.jsonl',
      type: 'application/x-ndjson; charset=utf-8',
      make: (out) => run.auditExport({ statePath, out }),
    }),
  );

  app.get('/doctor', async (request, reply) => {
    const { connection, redactor } = ctx.options;
    if (!('problem' in connection))
      redactor.addSecrets(
        connection.auth.kind === 'token' ? [connection.auth.token] : [connection.auth.clientSecret],
      );
    const report = await run.doctor({
      settings:
        'problem' in connection
          ? {
              problem: connection.problem.message,
              ...(connection.problem.hint ? { hint: connection.problem.hint } : {}),
            }
          : connection,
      statePath,
      logger: ctx.options.log,
      redactor,
      now: () => ctx.options.now().getTime(),
    });
    return sendPage(reply, 200, doctorPage({ session: request.session!, platform, report }));
  });

  app.get('/drift', async (request, reply) => {
    const session = request.session!;
    const query = request.query as DriftPage['query'];
    const shown = await driftOf(ctx, session, query.run);
    const mask = (text: string) => ctx.options.redactor.text(text);
    return sendPage(reply, 200, driftPage({ session, platform, query, mask, ...shown }));
  });
}

/** The drift of run `runId`, else of whichever is newer: the latest plan made here, or the latest run recorded. */
async function driftOf(
  ctx: Console,
  session: Session,
  runId: string | undefined,
): Promise<Pick<DriftPage, 'source' | 'drift' | 'problem'>> {
  const { statePath } = ctx.options;
  if (runId) {
    const detail = await orProblem(ctx, () => run.runDetail({ statePath, runId }));
    if ('problem' in detail) return { source: null, drift: [], problem: detail.problem };
    const r = detail.run;
    return {
      source: { kind: 'run', id: r.runId, href: `/history/${r.runId}`, by: r.ranBy, at: r.startedAt },
      drift: detail.drift ?? [],
      ...(detail.drift ? {} : { problem: 'This run kept no report, so its drift is not known.' }),
    };
  }
  const plan = [...ctx.flow.plans.values()]
    .filter((p) => mayOpen(session, p))
    .sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime())[0];
  const last = await orProblem(ctx, () => run.lastDrift({ statePath }));
  const recorded = last && !('problem' in last) ? last : null;
  if (plan && (!recorded || plan.madeAt.toISOString() >= recorded.startedAt))
    return {
      source: {
        kind: 'plan',
        id: plan.sha256.slice(0, 12),
        href: `/plans/${plan.sha256}`,
        by: plan.by,
        at: plan.madeAt.toISOString(),
      },
      drift: plan.change.plan.drift,
    };
  if (recorded) {
    const by = await orProblem(ctx, () => run.runDetail({ statePath, runId: recorded.runId }));
    return {
      source: {
        kind: 'run',
        id: recorded.runId,
        href: `/history/${recorded.runId}`,
        by: 'problem' in by ? 'unknown' : by.run.ranBy,
        at: recorded.startedAt,
      },
      drift: recorded.drift,
    };
  }
  return { source: null, drift: [] };
}
