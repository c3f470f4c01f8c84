/** Step 2's route: the upload checked by `validate` (once, then kept), shown a page at a time. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LpsyncError } from '../../model/errors.js';
import * as run from '../../run/index.js';
import { mayOpen } from '../access.js';
import type { Console } from '../console.js';
import type { Checked, Unreadable, UploadEntry } from '../flow.js';
import { problemPage } from '../layout.js';
import { checkPage } from '../pages/check.js';
import { sendPage } from '../server.js';
import type { Session } from '../sessions.js';
import { inputArgsOf } from '../uploads.js';

export function checkRoutes(app: FastifyInstance, ctx: Console): void {
  app.get('/uploads/:id/validate', async (request, reply) => {
    const session = request.session!;
    const upload = ownUpload(ctx, session, (request.params as { id: string }).id);
    if (!upload) return noSuchUpload(reply, session);
    const checked = await checkUpload(ctx, upload);
    const query = request.query as Record<string, string | undefined>;
    return sendPage(
      reply,
      200,
      checkPage({
        session,
        platform: ctx.options.platform,
        upload,
        checked,
        filter: { ...pick(query, 'sheet'), ...pick(query, 'rule'), ...pick(query, 'page') },
        mask: (text) => ctx.options.redactor.text(text),
      }),
    );
  });
}

function pick(query: Record<string, string | undefined>, key: string): Record<string, string> {
  const value = query[key];
  return typeof value === 'string' && value !== '' ? { [key]: value } : {};
}

/** The upload with that id, when this session may open it; else undefined. */
/** The page for an upload that is not (or no longer) this session's to open. */
export function noSuchUpload(reply: FastifyReply, session: Session) {
  return sendPage(
    reply,
    404,
    problemPage('Not found', 'No such upload here (an upload goes when its session ends).', session),
  );
}

export function ownUpload(ctx: Console, session: Session, id: string): UploadEntry | undefined {
  const upload = ctx.flow.uploads.get(id);
  return upload && mayOpen(session, upload) ? upload : undefined;
}

/** `validate` of the upload, made once and kept. An input that cannot be read at all is Unreadable. */
export function checkUpload(ctx: Console, upload: UploadEntry): Promise<Checked | Unreadable> {
  upload.checked ??= (async () => {
    try {
      const source = run.inputSourceFrom(inputArgsOf(upload), 'validate');
      const { loaded, document } = await run.validate({ source, redactor: ctx.options.redactor });
      return { loaded, ok: document.ok, errors: document.errors, warnings: document.warnings };
    } catch (error) {
      if (!(error instanceof LpsyncError)) throw error;
      return { fault: { message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
    }
  })();
  return upload.checked;
}
