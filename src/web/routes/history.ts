/**
 * The auditor's pages of the runs (everyone reads them): the runs list (run.history), one run's records and
 * requests (run.runDetail) with its results workbook rebuilt from the store (run.report), and the search
 * for one customer or SIP connection (run.history with a customer). Each reads the store without the lock.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LpsyncError } from '../../model/errors.js';
import * as run from '../../run/index.js';
import type { Console } from '../console.js';
import { problemPage } from '../layout.js';
import { runsPage, searchPage } from '../pages/history.js';
import { historyRunPage } from '../pages/history-run.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';

/** A read of the store that may find none yet, or no such run: the reason, masked. */
export async function orProblem<T>(ctx: Console, read: () => Promise<T>): Promise<T | { problem: string }> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof LpsyncError)) throw error;
    const text = error.hint ? `${error.message} ${error.hint}` : error.message;
    return { problem: ctx.options.redactor.text(text) };
  }
}

/** A file made in a folder of its own, sent as a download, and deleted; what could not be made, a 404 page. */
export async function sendMade(
  ctx: Console,
  reply: FastifyReply,
  session: Session,
  o: { name: string; type: string; make: (path: string) => Promise<unknown> },
) {
  const folder = mkdtempSync(join(ctx.options.tempDir ?? tmpdir(), 'lpsync-console-download-'));
  try {
    const path = join(folder, o.name);
    const fault = await orProblem(ctx, async () => {
      await o.make(path);
      return null;
    });
    if (fault) return sendPage(reply, 404, problemPage('Not found', fault.problem, session));
    const body = readFileSync(path);
    reply.header('Content-Disposition', `attachment; filename="${o.name}"`);
    return reply.type(o.type).send(body);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function historyRoutes(app: FastifyInstance, ctx: Console): void {
  const { statePath, platform } = ctx.options;
  const mask = (text: string) => ctx.options.redactor.text(text);
  const missing = (reply: FastifyReply, session: Session, text: string) =>
    sendPage(reply, 404, problemPage('Not found', text, session));

  app.get('/history', async (request, reply) => {
    const found = await orProblem(ctx, () => run.history({ statePath }));
    const runs = 'problem' in found || found.kind !== 'runs' ? [] : found.runs;
    const problem = 'problem' in found ? found.problem : undefined;
    const page = (request.query as { page?: string }).page;
    return sendPage(reply, 200, runsPage({ session: request.session!, platform, runs, page, problem }));
  });

  app.get('/history/:runId', async (request, reply) => {
    const session = request.session!;
    const runId = (request.params as { runId: string }).runId;
    const detail = await orProblem(ctx, () =>
      run.runDetail({ statePath, runId, program: ctx.options.program }),
    );
    if ('problem' in detail) return missing(reply, session, detail.problem);
    const q = request.query as { page?: string; rpage?: string };
    return sendPage(reply, 200, historyRunPage({ session, platform, detail, query: q, mask }));
  });

  app.get('/history/:runId/report.xlsx', async (request, reply) => {
    const session = request.session!;
    const runId = (request.params as { runId: string }).runId;
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(runId)) return missing(reply, session, `There is no run ${runId}.`);
    return sendMade(ctx, reply, session, {
      name: `${runId}.results.xlsx`,
      type: XLSX,
      make: (path) =>
        run.report({
          statePath,
          runId,
          out: () => path,
          paper: ctx.options.paper,
          program: ctx.options.program,
        }),
    });
  });

  app.get('/search', async (request, reply) => {
    const session = request.session!;
    const q = request.query as { customer?: string; site?: string; page?: string };
    const customer = q.customer?.trim() ?? '';
    const site = q.site?.trim().toLowerCase() ?? '';
    if (customer === '')
      return sendPage(reply, 200, searchPage({ session, platform, query: q, changes: null, mask }));
    const found = await orProblem(ctx, () => run.history({ statePath, customer }));
    if ('problem' in found)
      return sendPage(
        reply,
        200,
        searchPage({ session, platform, query: q, changes: [], mask, problem: found.problem }),
      );
    const all = found.kind === 'customer' ? found.changes : [];
    const changes = site === '' ? all : all.filter((c) => (c.siteName ?? '').trim().toLowerCase() === site);
    return sendPage(reply, 200, searchPage({ session, platform, query: q, changes, mask }));
  });
}
