/**
 * A run started from the console: `apply --plan` of a saved plan (or its `--resume`) through
 * run.apply, the same call the CLI makes; its events move the live view, Stop aborts its signal
 * as Ctrl-C does.
 */
import { randomBytes } from 'node:crypto';
import * as run from '../run/index.js';
import type { ApplyCommandResult } from '../run/index.js';
import type { Console } from './console.js';
import type { StoredPlan } from './flow.js';
import { createLiveRun, type LiveRun } from './live-run.js';
import type { Session } from './sessions.js';
import { inputArgsOf } from './uploads.js';
import { actingAs } from './who.js';

export function newRunPageId(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Starts the run and returns at once; `live.settled` resolves when it has ended. The session's account is
 * who applies (the audit trail's "who", the Summary's "Applied by"); under `--require-approval` src/run
 * checks the approval again before anything is sent.
 */
export function startRun(
  ctx: Console,
  session: Session,
  plan: StoredPlan,
  resume?: { runId: string | null },
): LiveRun {
  const { options } = ctx;
  const live = createLiveRun(
    {
      id: newRunPageId(),
      sessionId: session.id,
      owner: session.user?.name ?? null,
      planSha: plan.sha256,
      uploadId: plan.uploadId,
      now: options.now(),
    },
    (text) => options.redactor.text(text),
  );
  ctx.flow.runs.set(live.id, live);
  const upload = ctx.flow.uploads.get(plan.uploadId);
  const saved = plan.change.saved.options;
  const request =
    'problem' in options.connection
      ? options.connection
      : {
          connection: options.connection,
          ...(upload ? { source: run.inputSourceFrom(inputArgsOf(upload), 'apply') } : {}),
          ...(resume ? { resume: resume.runId ?? (true as const) } : {}),
          statePath: options.statePath,
          reportsDir: options.reportsDir,
          dryRun: false,
          adopt: saved.adopt,
          skipInvalid: false,
          ignoreUnreadSheets: false,
          shape: run.planShape({
            mode: saved.mode,
            only: saved.only,
            ...(saved.limit === null ? {} : { limit: saved.limit }),
          }),
          planFile: plan.planFile,
          ...(options.requireApproval ? { requireApproval: true } : {}),
        };
  live.settled = run
    .apply({
      command: 'apply',
      request,
      runEnd: { notify: [], notifyFormat: 'json', notifyOn: 'failure' },
      log: options.log,
      redactor: options.redactor,
      signal: live.controller.signal,
      pid: options.pid,
      host: options.hostName,
      invocation: actingAs(options.invocation, session),
      lpsyncVersion: options.lpsyncVersion,
      program: options.program,
      paper: options.paper,
      now: options.now,
      onEvent: (event) => live.take(event),
    })
    .catch((error: unknown): ApplyCommandResult => ({ kind: 'failed', error, exitCode: 3, events: [] }))
    .then((result) => live.finish(result));
  return live;
}

/** A console run that has not ended, if any: the console applies one plan at a time. */
export function runUnderWay(ctx: Console): LiveRun | undefined {
  return [...ctx.flow.runs.values()].find((r) => r.result === undefined);
}
