/**
 * The audit trail's check (`lpsync audit verify`: its result and head hash, with the export to download),
 * doctor's checks as a page, and the Live Platform's drift (what the sheet does not name) as its own page.
 */
import type { AuditVerdict, DoctorReport, DriftItem } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Session } from '../sessions.js';
import { when } from './history.js';
import { notice, pageOf, pager, withQuery } from './parts.js';

interface Frame {
  session: Session;
  platform: string;
}

export function auditPage(
  p: Frame & { verdict: AuditVerdict | null; problem?: string | undefined; page?: string | undefined },
): Html {
  const v = p.verdict;
  const at = pageOf(v?.problems ?? [], p.page, 100);
  const body = !v
    ? notice('info', html`<p>${p.problem ?? 'No audit trail yet.'}</p>`)
    : html`${
          v.ok
            ? notice(
                'ok',
                html`<p>
                  <strong>Intact.</strong> Every entry links to the one before it, and every row of runs,
                  journal, applied state, report snapshots, plans and approvals matches the chain.
                </p>`,
              )
            : notice(
                'error',
                html`<p>
                  <strong>Broken:</strong> ${v.problems.length} problem(s), the first broken place first.
                </p>`,
              )
        }
        <dl class="facts">
          <dt>Head hash</dt>
          <dd>
            ${v.head ? html`<code class="sha" data-field="head">${v.head.hash}</code> (entry ${v.head.seq})` : 'no entries'}
          </dd>
          <dt>Entries</dt>
          <dd>
            ${v.entries}${v.first !== null && v.first > 1 ? ` (from entry ${v.first}: older ones pruned)` : ''}
          </dd>
          <dt>Runs</dt>
          <dd>${v.runs}</dd>
        </dl>
        ${
          v.problems.length
            ? html`<section aria-labelledby="problems">
                <h2 id="problems">Problems</h2>
                <ol class="problems" start="${at.first}">
                  ${at.items.map((x) => html`<li>${x.message}</li>`)}
                </ol>
                ${pager(at, (n) => withQuery('/audit', { page: n }), 'problems')}
              </section>`
            : ''
        }
        <p>
          <a class="button primary" href="/audit/export" download>Download the audit trail (JSON lines)</a>
        </p>
        <p class="hint">
          As <code>lpsync audit export</code>: each entry's content exactly as hashed, with its links. Keep
          the head hash somewhere else: <code>lpsync audit verify --head HASH</code> later tells whether the
          chain still holds it.
        </p>`;
  const lead = html`<p class="lead">
    The state store keeps a hash-chained trail of every run, action, request, plan and approval; this is
    <code>lpsync audit verify</code> of it now.
  </p>`;
  return page({
    title: 'Audit trail',
    section: '/audit',
    session: p.session,
    platform: p.platform,
    body: html`${lead}${body}`,
  });
}

const MARKS: Record<string, string> = {
  ok: '✓ ok',
  warn: '! warning',
  fail: '✗ failed',
  skip: '– not tried',
};

export function doctorPage(p: Frame & { report: DoctorReport }): Html {
  const { checks, exitCode } = p.report;
  const verdict =
    exitCode === 0
      ? notice('ok', html`<p>All checks passed: lpsync can work from here.</p>`)
      : exitCode === 1
        ? notice('warn', html`<p>lpsync can work, with warnings to look at.</p>`)
        : notice('error', html`<p>lpsync cannot work from here: see the failed checks.</p>`);
  const rows = checks.map(
    (c) =>
      html`<tr>
        <td class="${c.status === 'fail' ? 'status-bad' : c.status === 'ok' ? 'status-good' : ''}">
          ${MARKS[c.status]}
        </td>
        <th scope="row">${c.title}</th>
        <td class="wrap">${c.detail}</td>
        <td class="wrap">${c.hint && c.status !== 'ok' && c.status !== 'skip' ? c.hint : ''}</td>
      </tr>`,
  );
  const body = html`<p class="lead">
      <code>lpsync doctor</code> from this server: the settings, the network path to the Live Platform, the
      API with the console's credentials (read only), and the state store. Reload to check again.
    </p>
    ${verdict}
    <div class="table-wrap" tabindex="0" role="region" aria-label="Checks">
      <table class="list">
        <caption class="visually-hidden">
          Doctor's checks
        </caption>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Check</th>
            <th scope="col">Found</th>
            <th scope="col">What to do</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`;
  return page({ title: 'Doctor', section: '/doctor', session: p.session, platform: p.platform, body });
}

export interface DriftPage extends Frame {
  /** Whose drift: a plan made here or a recorded run; null when there is none yet. */
  source: { kind: 'plan' | 'run'; id: string; href: string; by: string; at: string } | null;
  drift: DriftItem[];
  query: { run?: string | undefined; page?: string | undefined };
  mask: (text: string) => string;
  problem?: string | undefined;
}

export function driftPage(p: DriftPage): Html {
  const at = pageOf(p.drift, p.query.page, 100);
  const rows = at.items.map(
    (d) =>
      html`<tr>
        <td>${d.kind === 'service' ? 'Service' : 'SIP connection'}</td>
        <td>${p.mask(d.customerShortName)}</td>
        <td>${d.siteName === undefined ? '–' : p.mask(d.siteName)}</td>
        <td><code>${d.kind === 'service' ? d.customerGuid : (d.siteId ?? '')}</code></td>
        <td class="wrap">${p.mask(d.message)}</td>
      </tr>`,
  );
  const src = p.source;
  const body = html`<p class="lead">
      Services and SIP connections the Live Platform has and the workbook does not name. lpsync never deletes
      them: they are listed here (and on the results workbook's Drift sheet) for someone to decide.
    </p>
    ${p.problem ? notice('info', html`<p>${p.problem}</p>`) : ''}
    ${
      src
        ? html`<p>
            Drift of the ${src.kind} <a href="${src.href}"><code>${src.id}</code></a
            >, by ${src.by} at ${when(src.at)}: <strong>${p.drift.length}</strong> item(s).
          </p>`
        : p.problem
          ? ''
          : notice('info', html`<p>No plan or run yet: plan a workbook first.</p>`)
    }
    ${
      src && p.drift.length === 0
        ? notice('ok', html`<p>No drift: the workbook names everything the Live Platform has.</p>`)
        : p.drift.length
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Drift">
                <table class="list">
                  <caption class="visually-hidden">
                    Drift
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">What</th>
                      <th scope="col">Customer</th>
                      <th scope="col">SIP connection</th>
                      <th scope="col">Id on the platform</th>
                      <th scope="col">Why it is listed</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows}
                  </tbody>
                </table>
              </div>
              ${pager(at, (n) => withQuery('/drift', { run: p.query.run, page: n }), 'drift')}`
          : ''
    }`;
  return page({ title: 'Drift', section: '/drift', session: p.session, platform: p.platform, body });
}
