/**
 * A second person's approval in the console: who made a plan and who approved it, with Approve for an
 * approver who did not make it; the plans made here with where each stands; a plan's own page.
 */
import type { PlanApprovals } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { csrfField } from '../security.js';
import type { Session } from '../sessions.js';
import type { StoredPlan } from '../flow.js';
import { actionsSection, savedPlan } from './plan.js';
import { changesSentence, notice, pageOf, pager, withQuery, writesOf } from './parts.js';

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;

const who = (r: { by: string; role: string | null }) => (r.role ? `${r.by} (${r.role})` : r.by);

/** Where a plan stands: applied, approved by another user, or waiting (for whom). */
export function approvalState(a: PlanApprovals | null): 'applied' | 'approved' | 'waiting' | 'unknown' {
  if (!a?.plan) return 'unknown';
  if (a.appliedBy) return 'applied';
  return a.approvedByAnother ? 'approved' : 'waiting';
}

export interface ApprovalBox {
  session: Session;
  plan: StoredPlan;
  approvals: PlanApprovals | null;
  /** `serve --require-approval`: Apply waits for it. */
  required: boolean;
  /** This session may approve (its role), whoever made the plan. */
  mayApprove: boolean;
}

function approveForm(p: ApprovalBox): Html {
  const a = p.approvals;
  const me = p.session.user?.name;
  if (!p.mayApprove || !me || !a?.plan || a.appliedBy) return html``;
  if (a.plan.by === me)
    return html`<p class="muted">You made this plan: a user other than you approves it.</p>`;
  if (a.approvals.some((x) => x.by === me)) return html`<p>You approved this plan.</p>`;
  return html`<form method="post" action="/plans/${p.plan.sha256}/approve" class="approve">
    ${csrfField(p.session)}
    <button type="submit" class="primary">Approve this plan</button>
    <span class="hint">Your name, role and the time are recorded with the plan's SHA-256.</span>
  </form>`;
}

/** The approval section of a plan's page. */
export function approvalBox(p: ApprovalBox): Html {
  const a = p.approvals;
  if (!a?.plan)
    return notice('warn', html`<p>The state store has no author for this plan: it cannot be approved.</p>`);
  const state = approvalState(a);
  const approvals = a.approvals.map(
    (x) =>
      html`<li>
        Approved by <strong>${who(x)}</strong> at
        ${when(x.at)}${x.by === a.plan?.by ? ' (its author: does not count)' : ''}
      </li>`,
  );
  const status =
    state === 'applied'
      ? notice(
          'info',
          html`<p>Applied by run <a href="/history/${a.appliedBy!.runId}">${a.appliedBy!.runId}</a>.</p>`,
        )
      : state === 'approved'
        ? notice('ok', html`<p>Approved by a user other than its author: it can be applied.</p>`)
        : notice(
            p.required ? 'warn' : 'info',
            html`<p>
              ${p.required ? 'Waits for approval' : 'Not approved'}: a user other than ${a.plan.by} approves
              it${p.required ? ' before it can be applied' : ''}.
            </p>`,
          );
  return html`<section aria-labelledby="approval" class="approval">
    <h2 id="approval">Approval</h2>
    <p>Planned by <strong>${who(a.plan)}</strong> at ${when(a.plan.at)}.</p>
    ${
      approvals.length
        ? html`<ul>
            ${approvals}
          </ul>`
        : ''
    }
    ${status} ${approveForm(p)}
  </section>`;
}

export interface PlanViewPage {
  box: ApprovalBox;
  platform: string;
  filter: { kind?: string; customer?: string; page?: string };
  mask: (text: string) => string;
  mayApply: boolean;
  problem?: string;
}

/** A plan's own page (`/plans/<sha256>`): what the approver reads before Approve. */
export function planViewPage(p: PlanViewPage): Html {
  const { plan } = p.box;
  const body = html`${p.problem ? notice('error', html`<p>${p.problem}</p>`) : ''}
  ${savedPlan(plan, { approval: approvalBox(p.box), mayApply: p.mayApply })}
  ${actionsSection(p, plan, `/plans/${plan.sha256}`)}`;
  return page({
    title: `Plan ${plan.sha256.slice(0, 12)}…`,
    session: p.box.session,
    platform: p.platform,
    body,
  });
}

export interface PlansPage {
  session: Session;
  platform: string;
  plans: Array<{ plan: StoredPlan; approvals: PlanApprovals | null }>;
  required: boolean;
  page?: string;
}

const STATE_WORDS = { applied: 'Applied', approved: 'Approved', waiting: 'Waits for approval', unknown: '–' };

/** The plans made in this console, newest first, with where each stands. */
export function plansPage(p: PlansPage): Html {
  const at = pageOf(p.plans, p.page, 50);
  const rows = at.items.map(({ plan, approvals }) => {
    const counts = plan.change.plan.counts;
    const state = approvalState(approvals);
    return html`<tr>
      <td>
        <a href="/plans/${plan.sha256}"><code>${plan.sha256.slice(0, 12)}…</code></a>
      </td>
      <td>${plan.by}</td>
      <td>${when(plan.madeAt.toISOString())}</td>
      <td>
        ${writesOf(counts) ? changesSentence(counts) : `nothing to change (${counts.unchanged} unchanged)`}
      </td>
      <td class="state-${state}">${STATE_WORDS[state]}</td>
      <td>
        ${
          approvals?.approvals
            .filter((x) => x.by !== approvals.plan?.by)
            .map((x) => x.by)
            .join(', ') || '–'
        }
      </td>
    </tr>`;
  });
  const body = html`<p class="lead">
      The plans made in this console, newest
      first.${p.required ? ' Each is applied only once a user other than its author approved it.' : ''}
    </p>
    ${
      p.plans.length === 0
        ? notice('info', html`<p>No plan has been made here yet.</p>`)
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Plans">
              <table class="list">
                <caption class="visually-hidden">
                  Plans made in this console
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Plan (SHA-256)</th>
                    <th scope="col">Planned by</th>
                    <th scope="col">When</th>
                    <th scope="col">What it changes</th>
                    <th scope="col">State</th>
                    <th scope="col">Approved by</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>
            ${pager(at, (n) => withQuery('/plans', { page: n }), 'plans')}`
    }`;
  return page({ title: 'Plans', session: p.session, platform: p.platform, body });
}
