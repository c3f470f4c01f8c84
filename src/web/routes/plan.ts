/** Step 3's routes: make (and save) a plan of an upload, show it, download the plan file and review workbook. */
import { createReadStream } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LpsyncError } from '../../model/errors.js';
import * as run from '../../run/index.js';
import { mayOpen, permitted } from '../access.js';
import type { Console } from '../console.js';
import type { StoredPlan, UploadEntry } from '../flow.js';
import { problemPage } from '../layout.js';
import { planPage, type PlanPage } from '../pages/plan.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { inputArgsOf } from '../uploads.js';
import { actingAs } from '../who.js';
import { approvalBox } from '../pages/approval.js';
import { approvalFor } from './approval.js';
import { checkUpload, noSuchUpload, ownUpload } from './check.js';

type PlanForm = PlanPage['form'];

export function planRoutes(app: FastifyInstance, ctx: Console): void {
  app.get('/uploads/:id/plan', async (request, reply) => {
    const session = request.session!;
    const upload = ownUpload(ctx, session, (request.params as { id: string }).id);
    if (!upload) return noSuchUpload(reply, session);
    const plan = upload.latestPlan ? ctx.flow.plans.get(upload.latestPlan) : undefined;
    const q = request.query as Record<string, string | undefined>;
    const filter = Object.fromEntries(
      (['kind', 'customer', 'page'] as const).filter((k) => q[k]).map((k) => [k, q[k]!]),
    );
    return sendPage(reply, 200, await render(ctx, session, upload, plan, formOf(plan), filter));
  });

  app.post('/uploads/:id/plan', { config: { need: 'plan' } }, async (request, reply) => {
    const session = request.session!;
    const upload = ownUpload(ctx, session, (request.params as { id: string }).id);
    if (!upload) return noSuchUpload(reply, session);
    const body = request.body as Record<string, string | undefined>;
    const form: PlanForm = { mode: body.mode ?? 'upsert', only: body.only ?? '', limit: body.limit ?? '' };
    const checked = await checkUpload(ctx, upload);
    if ('fault' in checked || !checked.ok) return reply.redirect(`/uploads/${upload.id}/validate`, 303);
    try {
      const plan = await makePlan(ctx, session, upload, form);
      ctx.flow.plans.set(plan.sha256, plan);
      upload.latestPlan = plan.sha256;
      return reply.redirect(`/uploads/${upload.id}/plan`, 303);
    } catch (error) {
      if (!(error instanceof LpsyncError)) throw error;
      const problem = { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      const latest = upload.latestPlan ? ctx.flow.plans.get(upload.latestPlan) : undefined;
      return sendPage(reply, 400, await render(ctx, session, upload, latest, form, {}, problem));
    }
  });

  app.get('/plans/:sha/:file', async (request, reply) => {
    const session = request.session!;
    const { sha, file } = request.params as { sha: string; file: string };
    const plan = ownPlan(ctx, session, sha);
    const path =
      plan && (file === 'plan.json' ? plan.planFile : file === 'review.xlsx' ? plan.reviewFile : undefined);
    if (!path) return sendPage(reply, 404, problemPage('Not found', 'No such plan here.', session));
    reply.header('Content-Disposition', `attachment; filename="${basename(path)}"`);
    return reply
      .type(
        file === 'plan.json'
          ? 'application/json'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      .send(createReadStream(path));
  });
}

/** The plan of this session with that SHA-256, or undefined. */
export function ownPlan(ctx: Console, session: Session, sha: string): StoredPlan | undefined {
  const plan = ctx.flow.plans.get(sha);
  return plan && mayOpen(session, plan) ? plan : undefined;
}

function formOf(plan: StoredPlan | undefined): PlanForm {
  const options = plan?.change.saved.options;
  return {
    mode: options?.mode ?? 'upsert',
    only: options?.only.join(', ') ?? '',
    limit: options?.limit == null ? '' : String(options.limit),
  };
}

async function render(
  ctx: Console,
  session: Session,
  upload: UploadEntry,
  plan: StoredPlan | undefined,
  form: PlanForm,
  filter: PlanPage['filter'],
  problem?: PlanPage['problem'],
) {
  // With accounts the plan's page says who made it and who approved it, with Approve for an approver.
  const approval = plan && session.user ? approvalBox(await approvalFor(ctx, session, plan)) : undefined;
  return planPage({
    session,
    platform: ctx.options.platform,
    upload,
    plan,
    form,
    filter,
    ...(problem ? { problem } : {}),
    ...(approval ? { approval } : {}),
    may: { plan: permitted(session, 'plan'), apply: permitted(session, 'apply') },
    mask: (text) => ctx.options.redactor.text(text),
  });
}

/** `lpsync plan --out … --out ….review.xlsx`, into the upload's folder; the shape as the form gave it. */
async function makePlan(
  ctx: Console,
  session: Session,
  upload: UploadEntry,
  form: PlanForm,
): Promise<StoredPlan> {
  const limit = form.limit.trim() === '' ? undefined : Number(form.limit);
  const shape = run.planShape({
    mode: form.mode,
    only: form.only
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    ...(limit === undefined ? {} : { limit }),
  });
  const now = ctx.options.now();
  const by = actingAs(ctx.options.invocation, session);
  const first = upload.files[0]!;
  const stem = `${basename(first.name, extname(first.name))}-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
  const planFile = join(upload.folder, `${stem}.plan.json`);
  const reviewFile = join(upload.folder, `${stem}.review.xlsx`);
  const result = await run.plan({
    source: run.inputSourceFrom(inputArgsOf(upload), 'plan'),
    connection: ctx.options.connection,
    statePath: ctx.options.statePath,
    shape,
    adopt: false,
    outputs: [
      { path: planFile, what: 'plan file' },
      { path: reviewFile, what: 'review workbook' },
    ],
    log: ctx.options.log,
    redactor: ctx.options.redactor,
    lpsyncVersion: ctx.options.lpsyncVersion,
    now: () => now,
    paper: ctx.options.paper,
    // Recorded as the plan's author: an approval must come from someone else.
    by,
  });
  if (result.kind === 'invalid')
    throw new LpsyncError('invalid-input', 'The workbook has errors: fix them first.');
  return {
    sha256: result.change.sha256,
    sessionId: session.id,
    owner: session.user?.name ?? null,
    by: by.user,
    uploadId: upload.id,
    change: result.change,
    planFile,
    reviewFile,
    madeAt: now,
  };
}
