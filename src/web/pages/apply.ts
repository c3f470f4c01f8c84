/** Step 4: the confirmation that names what the apply will send, or why it cannot start now. */
import type { LockHolder } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { csrfField } from '../security.js';
import type { Session } from '../sessions.js';
import type { StoredPlan } from '../flow.js';
import type { LiveRun } from '../live-run.js';
import { approvalBox, type ApprovalBox } from './approval.js';
import { changesSentence, KIND_LABELS, lockNotice, notice, writesOf } from './parts.js';

export interface ApplyPage {
  session: Session;
  platform: string;
  plan: StoredPlan;
  holder: LockHolder | null;
  running: LiveRun | undefined;
  /** The session's role may apply. */
  mayApply: boolean;
  /** Who planned and approved it (accounts mode). */
  approval?: ApprovalBox;
  /** `--require-approval` and no user but its author approved it: no Apply. */
  waiting: boolean;
}

/** Why there is no Apply: the plan waits for a second person, or this role may not apply. */
function withheld(p: ApplyPage): Html {
  if (p.waiting) {
    const author = p.approval?.approvals?.plan;
    return notice(
      'warn',
      html`<h2>This plan waits for approval</h2>
        <p>
          ${author ? html`It was planned by <strong>${author.by}</strong>${author.role ? ` (${author.role})` : ''} at ${author.at.replace('T', ' ').slice(0, 19)} UTC. ` : ''}This
          console applies a plan only once a user other than its author approved it. Ask an approver to open
          <a href="/plans/${p.plan.sha256}">the plan</a> and approve it; then reload this page.
        </p>`,
    );
  }
  if (!p.mayApply)
    return notice('info', html`<p>Your role (${p.session.user?.role ?? ''}) does not apply plans.</p>`);
  return html``;
}

function untouched(plan: StoredPlan): Html {
  const counts = plan.change.plan.counts;
  const rest = (['unchanged', 'busy', 'conflict', 'excluded', 'not-selected'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${KIND_LABELS[k]!.toLowerCase()}`);
  return rest.length ? html`<p>Left alone: ${rest.join(', ')}.</p>` : html``;
}

export function applyPage(p: ApplyPage): Html {
  const { plan } = p;
  const counts = plan.change.plan.counts;
  const sentence = changesSentence(counts);
  const options = plan.change.saved.options;
  const blocked = p.holder !== null || p.running !== undefined || p.waiting || !p.mayApply;
  const button =
    writesOf(counts) === 0
      ? `Apply: nothing to change (${counts.unchanged} unchanged)`
      : `Apply: ${sentence}`;
  const body = html` <p class="lead">
      Applying sends exactly the saved plan below. If the workbook or the Live Platform changed since it was
      made, lpsync refuses it and says what differs; nothing is sent then.
    </p>
    ${lockNotice(p.holder)} ${withheld(p)}
    ${p.running ? notice('warn', html`<p>A run started here is still going. <a href="/runs/${p.running.id}">Watch it</a>; one run writes at a time.</p>`) : ''}
    <dl class="facts">
      <dt>Live Platform</dt>
      <dd><code>${p.platform}</code></dd>
      <dt>Plan</dt>
      <dd>SHA-256 <code class="sha">${plan.sha256}</code></dd>
      <dt>Made</dt>
      <dd>
        ${plan.madeAt.toISOString().replace('T', ' ').slice(0, 19)} UTC, mode
        ${options.mode}${
          options.only.length ? `, only ${options.only.join(', ')}` : ''
        }${options.limit === null ? '' : `, at most ${options.limit} writes`}
      </dd>
    </dl>
    ${
      writesOf(counts) === 0
        ? notice(
            'ok',
            html`<p>
              This plan sends nothing: everything it covers is already as the workbook says. Applying it
              records a run that says so.
            </p>`,
          )
        : html`<p class="lead">This will <strong>${sentence}</strong>.</p>`
    }
    ${untouched(plan)} ${p.approval ? approvalBox(p.approval) : ''}
    ${
      blocked
        ? ''
        : html`<form method="post" action="/plans/${plan.sha256}/apply">
            ${csrfField(p.session)} <button type="submit" class="primary danger">${button}</button>
          </form>`
    }
    <p><a href="/uploads/${plan.uploadId}/plan">Back to the plan</a></p>`;
  const title = p.waiting ? 'The plan waits for approval' : 'Apply the plan';
  return page({ title, step: 'apply', session: p.session, platform: p.platform, body });
}
