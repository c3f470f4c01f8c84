/** Step 5: the live run (progress, counts, budget, failures as they happen, Stop), or how it ended (Resume). */
import { LpsyncError } from '../../model/errors.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { LiveRun, RunView } from '../live-run.js';
import { csrfField } from '../security.js';
import type { Session } from '../sessions.js';
import { notice } from './parts.js';

export interface RunPage {
  session: Session;
  platform: string;
  live: LiveRun;
  mask: (text: string) => string;
}

const STATUS_WORDS: Record<string, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Outcome unknown',
  unchanged: 'Unchanged',
  skipped: 'Skipped',
  'not-run': 'Not run',
  'not-selected': 'Not selected',
};

export function stateText(view: RunView): string {
  switch (view.state) {
    case 'running':
      return view.total > 0
        ? `Applying: ${view.done} of ${view.total} actions done`
        : `Starting: ${view.stage}`;
    case 'stopping':
      return `Stopping: the requests already sent finish, nothing new is sent (${view.done} of ${view.total} done)`;
    case 'done':
      return `Done: ${view.done} of ${view.total} actions done`;
    case 'interrupted':
      return `Stopped: ${view.done} of ${view.total} actions done, ${view.total - view.done} not run; Resume finishes them`;
    case 'failed':
      return 'The run could not go on';
  }
}

function counts(view: RunView): Html {
  const items = Object.keys(STATUS_WORDS).map(
    (s) =>
      html`<div class="count count-${s}">
        <dt>${STATUS_WORDS[s]}</dt>
        <dd data-count="${s}">${view.byStatus[s] ?? 0}</dd>
      </div>`,
  );
  return html`<dl class="run-counts">${items}</dl>`;
}

function failures(view: RunView): Html {
  const items = view.failures.map(
    (f) => html`<li><strong>${f.target}</strong> <span class="muted">(${f.rows})</span>: ${f.message}</li>`,
  );
  return html`<section aria-labelledby="failures">
    <h2 id="failures">Failures (<span data-field="failureCount">${view.failureCount}</span>)</h2>
    <ul class="failures" data-field="failures" aria-live="polite">
      ${items}
    </ul>
    <p class="muted" data-field="noFailures" ${view.failureCount > 0 ? html` hidden` : ''}>
      ${view.state === 'running' || view.state === 'stopping' ? 'None so far.' : 'None.'}
    </p>
  </section>`;
}

/** How the run ended, when it did: results, Resume, or the refusal with each difference. */
function ending(p: RunPage): Html {
  const { live } = p;
  const result = live.result;
  if (!result) return html``;
  if (live.view.state === 'failed' && result.kind === 'failed') {
    const error = result.error;
    const message = p.mask(error instanceof Error ? error.message : String(error));
    const [head, ...rest] = message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const hint = error instanceof LpsyncError && error.hint ? p.mask(error.hint) : undefined;
    const title =
      error instanceof LpsyncError && error.code === 'plan-refused'
        ? 'The plan was refused'
        : 'The run did not start';
    return notice(
      'error',
      html`<h2>${title}</h2>
        <p>${head ?? ''}</p>
        ${
          rest.length
            ? html`<ul class="differences">
                ${rest.map((l) => html`<li>${l.replace(/^…\s*/, '… ')}</li>`)}
              </ul>`
            : ''
        }
        ${hint ? html`<p>${hint}</p>` : ''}
        <p><a href="/uploads/${live.uploadId}/plan">Make a new plan</a></p>`,
    );
  }
  if (live.view.state === 'interrupted')
    return html`${notice('warn', html`<p>The run was stopped. What was sent is recorded; Resume reads back what was in flight and sends the rest, never a create twice.</p>`)}
      <form method="post" action="/runs/${live.id}/resume">
        ${csrfField(p.session)}<button type="submit" class="primary">Resume</button>
      </form>
      <p><a href="/runs/${live.id}/results">See the results so far</a></p>`;
  return html`${notice('ok', html`<p>The run has ended.</p>`)}
    <p><a class="button primary" href="/runs/${live.id}/results">See the results</a></p>`;
}

export function runPage(p: RunPage): Html {
  const { view } = p.live;
  const running = view.state === 'running' || view.state === 'stopping';
  const body = html` <div class="live" ${running ? html`data-events="/runs/${p.live.id}/events"` : ''}>
      <p class="run-state" data-field="stateText" role="status">${stateText(view)}</p>
      <label for="progress" class="visually-hidden">Actions done</label>
      <progress id="progress" data-field="progress" max="${Math.max(view.total, 1)}" value="${view.done}">
        ${view.ended} of ${view.total}
      </progress>
      ${counts(view)}
      <p class="budget">
        Requests in flight allowed now: <strong data-field="concurrency">${view.concurrency ?? '–'}</strong>.
        Throttled answers (429/503): <strong data-field="throttled">${view.throttled}</strong>.
      </p>
      ${
        running
          ? html`<form method="post" action="/runs/${p.live.id}/stop">
              ${csrfField(p.session)}
              <button
                type="submit"
                class="danger"
                data-field="stop"
                ${view.state === 'stopping' ? html` disabled` : ''}
              >
                Stop
              </button>
              <span class="hint">As Ctrl-C: requests already sent finish, nothing new is sent.</span>
            </form>`
          : ''
      }
      ${failures(view)}
      ${
        view.warnings.length
          ? html`<section aria-labelledby="warnings">
              <h2 id="warnings">Warnings</h2>
              <ul>
                ${view.warnings.map((w) => html`<li>${w}</li>`)}
              </ul>
            </section>`
          : ''
      }
    </div>
    ${ending(p)}`;
  const title = running
    ? 'Applying the plan'
    : view.state === 'failed'
      ? 'The run could not go on'
      : view.state === 'interrupted'
        ? 'The run was stopped'
        : 'The run has ended';
  const frame = { title, step: 'run' as const, session: p.session, platform: p.platform, body };
  return page(running ? { ...frame, refreshSeconds: 3 } : frame);
}
