/** Step 3: the plan form (mode, --only, --limit) and the saved plan: counts, then each action and why. */
import type { PlannedChange } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { csrfField } from '../security.js';
import type { Session } from '../sessions.js';
import type { StoredPlan, UploadEntry } from '../flow.js';
import {
  changesSentence,
  countsTable,
  KIND_LABELS,
  notice,
  pageOf,
  pager,
  withQuery,
  writesOf,
} from './parts.js';

type SavedAction = PlannedChange['saved']['actions'][number];

export interface PlanPage {
  session: Session;
  platform: string;
  upload: UploadEntry;
  plan: StoredPlan | undefined;
  /** What the form was last given (or the plan's own options). */
  form: { mode: string; only: string; limit: string };
  filter: { kind?: string; customer?: string; page?: string };
  /** A plan that could not be made: the reason, said above the form. */
  problem?: { message: string; hint?: string };
  mask: (text: string) => string;
  /** Who made the plan and who approved it, with Approve when this session may (accounts mode). */
  approval?: Html;
  /** This session may plan (the form) and apply (the link to Apply). */
  may: { plan: boolean; apply: boolean };
}

const MODES: Array<[string, string]> = [
  ['upsert', 'Create what is missing and update what differs (upsert)'],
  ['update-only', 'Only update what exists (update-only)'],
  ['create-only', 'Only create what is missing (create-only)'],
];

function planForm(p: PlanPage): Html {
  const modes = MODES.map(
    ([value, label]) =>
      html`<div class="choice">
        <input
          type="radio"
          id="mode-${value}"
          name="mode"
          value="${value}"
          ${p.form.mode === value ? html` checked` : ''}
        /><label for="mode-${value}">${label}</label>
      </div>`,
  );
  return html`<form method="post" action="/uploads/${p.upload.id}/plan" class="plan-form">
    ${csrfField(p.session)}
    <fieldset>
      <legend>Mode</legend>
      ${modes}
    </fieldset>
    <div class="field">
      <label for="only">Only these (optional)</label>
      <p class="hint" id="only-hint">
        As <code>--only</code>: <code>customer:ACME*</code>, <code>row:Customers!2-10</code> or
        <code>action:add-site</code>; several separated by commas.
      </p>
      <input type="text" id="only" name="only" value="${p.form.only}" aria-describedby="only-hint" />
    </div>
    <div class="field">
      <label for="limit">At most this many writes (optional)</label>
      <p class="hint" id="limit-hint">As <code>--limit</code>: a canary of a few rows first.</p>
      <input
        type="number"
        id="limit"
        name="limit"
        min="1"
        step="1"
        value="${p.form.limit}"
        aria-describedby="limit-hint"
      />
    </div>
    <button type="submit" class="${p.plan ? '' : 'primary'}">
      ${p.plan ? 'Plan again' : 'Make the plan'}
    </button>
    <p class="hint">Reading the Live Platform sends nothing that changes it.</p>
  </form>`;
}

function reasonText(r: SavedAction['reasons'][number], mask: (t: string) => string): Html {
  const reason = r;
  if (reason.field && reason.before === 'differs' && reason.after === 'differs')
    return html`<code>${reason.field}</code>: differs (a secret, not shown)
      <span class="muted">— ${mask(reason.message)}</span>`;
  if (reason.field && (reason.before !== undefined || reason.after !== undefined))
    return html`<code>${reason.field}</code>:
      <span class="before">${mask(reason.before ?? '(not set)')}</span> →
      <span class="after">${mask(reason.after ?? '(not set)')}</span>
      <span class="muted">— ${mask(reason.message)}</span>`;
  return html`${mask(reason.message)}`;
}

function actionItem(a: SavedAction, mask: (t: string) => string): Html {
  const target =
    a.target.siteName === null
      ? a.target.customerShortName
      : `${a.target.customerShortName} / ${a.target.siteName}`;
  const rows = a.rows.map((o) => `${o.sheet} row ${o.row}`).join(', ');
  return html`<li class="action action-${a.kind}">
    <h3>
      <span class="kind">${KIND_LABELS[a.kind] ?? a.kind}</span> ${mask(target)}
      <span class="muted">(${rows})</span>
    </h3>
    ${
      a.request
        ? html`<p>Request: <code>${a.request.method} ${mask(a.request.path)}</code></p>
            <details>
              <summary>The request body it will send</summary>
              <pre>${mask(JSON.stringify(a.request.body, null, 2))}</pre>
            </details>`
        : ''
    }
    ${
      a.followUp
        ? html`<details>
            <summary>Then a Modify SIP Connection with the fields the first request cannot carry</summary>
            <pre>${mask(JSON.stringify(a.followUp, null, 2))}</pre>
          </details>`
        : ''
    }
    ${
      a.reasons.length
        ? html`<p class="why">Why:</p>
            <ul class="reasons">
              ${a.reasons.map((r) => html`<li>${reasonText(r, mask)}</li>`)}
            </ul>`
        : ''
    }
    ${a.dependsOn.length ? html`<p class="muted">After ${a.dependsOn.join(', ')} succeeds.</p>` : ''}
  </li>`;
}

/** The plan's actions, filtered and a page at a time; `base` is the page's own address (the filters' links). */
export function actionsSection(p: Pick<PlanPage, 'filter' | 'mask'>, plan: StoredPlan, base: string): Html {
  const all = plan.change.saved.actions;
  const kinds = [...new Set(all.map((a) => a.kind))];
  const customer = (p.filter.customer ?? '').toLowerCase();
  const shown = all.filter(
    (a) =>
      (!p.filter.kind || a.kind === p.filter.kind) &&
      (!customer || a.target.customerShortName.toLowerCase().includes(customer)),
  );
  const at = pageOf(shown, p.filter.page, 50);
  const link = (n: number) => withQuery(base, { kind: p.filter.kind, customer: p.filter.customer, page: n });
  const options = ['', ...kinds].map(
    (k) =>
      html`<option value="${k}" ${k === (p.filter.kind ?? '') ? html` selected` : ''}>
        ${k === '' ? 'All' : (KIND_LABELS[k] ?? k)}
      </option>`,
  );
  return html`<section aria-labelledby="actions">
    <h2 id="actions">Each action (${shown.length} of ${all.length})</h2>
    <form method="get" action="${base}" class="filters">
      <div class="field-inline">
        <label for="kind">Action</label
        ><select id="kind" name="kind">
          ${options}
        </select>
      </div>
      <div class="field-inline">
        <label for="customer">Customer</label
        ><input type="text" id="customer" name="customer" value="${p.filter.customer ?? ''}" />
      </div>
      <button type="submit">Show</button>
    </form>
    ${
      shown.length === 0
        ? html`<p>No action matches the filter.</p>`
        : html`<ol class="actions" start="${at.first}">
            ${at.items.map((a) => actionItem(a, p.mask))}
          </ol>`
    }
    ${pager(at, link, 'actions')}
  </section>`;
}

/** The saved plan: when, its SHA-256, downloads, counts, its approval, and the way on to Apply. */
export function savedPlan(plan: StoredPlan, o: { approval?: Html | undefined; mayApply: boolean }): Html {
  const counts = plan.change.plan.counts;
  const writes = writesOf(counts);
  return html`<section aria-labelledby="saved">
    <h2 id="saved">The plan</h2>
    <p>
      Saved at ${plan.madeAt.toISOString().replace('T', ' ').slice(0, 19)} UTC by ${plan.by}. SHA-256
      <code class="sha">${plan.sha256}</code>
    </p>
    <p class="downloads">
      <a href="/plans/${plan.sha256}/plan.json" download>Download the plan file</a>
      <a href="/plans/${plan.sha256}/review.xlsx" download>Download the review workbook</a>
    </p>
    ${countsTable({
      caption: 'What the plan does',
      headers: ['Action', 'Count'],
      counts: plan.change.plan.counts,
      label: (kind) => KIND_LABELS[kind] ?? kind,
      kinds: true,
    })}
    ${
      writes > 0
        ? html`<p class="lead">Applying it will ${changesSentence(counts)}.</p>`
        : notice(
            'ok',
            html`<p>
              Nothing to change: the Live Platform already matches the workbook for every planned row.
            </p>`,
          )
    }
    ${o.approval ?? ''}
    ${
      o.mayApply
        ? html`<p><a class="button primary" href="/plans/${plan.sha256}/apply">Next: review and apply</a></p>`
        : ''
    }
  </section>`;
}

export function planPage(p: PlanPage): Html {
  const problem = p.problem
    ? notice(
        'error',
        html`<p>${p.mask(p.problem.message)}</p>
          ${p.problem.hint ? html`<p>${p.mask(p.problem.hint)}</p>` : ''}`,
      )
    : '';
  const body = html`<p class="lead">
      lpsync reads the Live Platform and compares it with the workbook. The plan is saved as it is shown, and
      Apply sends exactly it.
    </p>
    ${problem}
    ${
      p.plan
        ? html`${savedPlan(p.plan, { approval: p.approval, mayApply: p.may.apply })}
          ${
            p.may.plan
              ? html`<details class="replan" ${p.problem ? html` open` : ''}>
                  <summary>Plan again with other options (mode, only, at most)</summary>
                  ${planForm(p)}
                </details>`
              : ''
          }
          ${actionsSection(p, p.plan, `/uploads/${p.upload.id}/plan`)}`
        : p.may.plan
          ? planForm(p)
          : notice('info', html`<p>No plan has been made of this upload yet.</p>`)
    }`;
  const title = `Plan ${p.upload.files.map((f) => f.name).join(' + ')}`;
  return page({ title, step: 'plan', session: p.session, platform: p.platform, body });
}
