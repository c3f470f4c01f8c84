/** Step 1's routes: the form, the upload itself (then the check), and the templates to download. */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as run from '../../run/index.js';
import { isOwn, permitted } from '../access.js';
import type { Console } from '../console.js';
import { problemPage } from '../layout.js';
import { uploadPage } from '../pages/upload.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { receiveUpload, UploadRefused } from '../uploads.js';

const TEMPLATES: Record<string, string> = {
  'lpsync-template.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'customers.csv': 'text/csv; charset=utf-8',
  'sip-connections.csv': 'text/csv; charset=utf-8',
};

/** Room for the form's other parts around the files. */
const OVERHEAD = 64 << 10;

export function uploadRoutes(app: FastifyInstance, ctx: Console): void {
  app.get('/', async (request, reply) => {
    const session = request.session!;
    // An auditor uploads nothing: their first page is the runs.
    if (!permitted(session, 'upload')) return reply.redirect('/history', 303);
    return sendPage(reply, 200, await uploadForm(ctx, session));
  });

  app.post('/uploads', { config: { csrfInBody: true, need: 'upload' } }, async (request, reply) => {
    const session = request.session!;
    const cap = ctx.options.maxUploadBytes;
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > cap + OVERHEAD) return tooLarge(ctx, request, reply, session);
    try {
      const folder = ctx.teamFolder ?? ctx.sessions.folderOf(session);
      const upload = await receiveUpload(request, session, folder);
      ctx.flow.uploads.set(upload.id, { ...upload, owner: session.user?.name ?? null });
      return reply.redirect(`/uploads/${upload.id}/validate`, 303);
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        return tooLarge(ctx, request, reply, session);
      if (!(error instanceof UploadRefused)) throw error;
      await drain(request, cap + OVERHEAD);
      return sendPage(reply, error.status, await uploadForm(ctx, session, error.message));
    }
  });

  app.get('/templates/:name', async (request, reply) => {
    const name = (request.params as { name: string }).name;
    const type = TEMPLATES[name];
    if (!type) return sendPage(reply, 404, problemPage('Not found', 'No such template.', request.session));
    reply.header('Content-Disposition', `attachment; filename="${name}"`);
    return reply.type(type).send(createReadStream(join(ctx.templates, name)));
  });
}

async function uploadForm(ctx: Console, session: Session, problem?: string) {
  return uploadPage({
    session,
    platform: ctx.options.platform,
    maxUploadBytes: ctx.options.maxUploadBytes,
    uploads: [...ctx.flow.uploads.values()].filter((u) => isOwn(session, u)),
    holder: await run.writerLock({ statePath: ctx.options.statePath }),
    ...(problem ? { problem } : {}),
  });
}

async function tooLarge(ctx: Console, request: FastifyRequest, reply: FastifyReply, session: Session) {
  const mb = Math.round(ctx.options.maxUploadBytes / (1 << 20));
  // The browser shows an answer only once it has sent its request: what is left is read and dropped.
  await drain(request, 4 * (ctx.options.maxUploadBytes + OVERHEAD));
  reply.header('Connection', 'close');
  return sendPage(
    reply,
    413,
    problemPage(
      'Upload too large',
      `That upload is larger than this console takes (${mb} MB). Split the workbook into smaller ones, or start lpsync serve with a larger --max-upload-mb. Nothing was kept.`,
      session,
    ),
  );
}

/** Reads what is left of the request and drops it, up to `limit` bytes; past that the connection is cut. */
function drain(request: FastifyRequest, limit: number): Promise<void> {
  const raw = request.raw;
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    raw.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        raw.destroy();
        resolve();
      }
    });
    raw.on('end', () => resolve());
    raw.on('error', () => resolve());
    raw.on('close', () => resolve());
    raw.resume();
  });
}
