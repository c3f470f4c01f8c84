/**
 * What an auditor reads (everyone may): the runs the state store recorded (`lpsync history`), and every
 * change made to one customer or SIP connection (`history --customer`), each a page at a time.
 */
import { basename } from 'node:path';
import type { CustomerChange, RunHistoryItem } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Session } from '../sessions.js';
import { KIND_LABELS, notice, pageOf, pager, withQuery } from './parts.js';

export const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 19)} UTC` : '–');
export const short = (sha: string) => `${sha.slice(0, 12)}…`;

/** "17 succeeded, 1 failed": the outcomes that happened. */
export function outcomes(byStatus: Record<string, number>): string {
  const parts = Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return parts.length ? parts.join(', ') : '–';
}

function exitCell(run: RunHistoryItem): Html {
  if (run.exitCode === null) return html`<td>${run.status}</td>`;
  return html`<td class="${run.exitCode === 0 ? 'status-good' : 'status-bad'}">${run.exitCode}</td>`;
}

function runRow(run: RunHistoryItem): Html {
  return html`<tr>
    <td>
      <a href="/history/${run.runId}"><code>${run.runId}</code></a>
    </td>
    <td>${run.ranBy}</td>
    <td class="soft">${when(run.startedAt)}</td>
    <td>${run.command}</td>
    <td class="wrap">
      ${run.inputFiles.map(
        (f, i) =>
          html`${i ? html`<br />` : ''}${basename(f.file)}
            <code title="SHA-256 ${f.sha256}">${short(f.sha256)}</code>`,
      )}
    </td>
    <td>
      ${run.plan ? html`<code title="SHA-256 ${run.plan.sha256}">${short(run.plan.sha256)}</code>` : '–'}
    </td>
    <td class="wrap">${outcomes(run.byStatus)}</td>
    ${exitCell(run)}
  </tr>`;
}

export interface RunsPage {
  session: Session;
  platform: string;
  runs: RunHistoryItem[];
  page?: string | undefined;
  /** The store could not be read (none yet): the reason. */
  problem?: string | undefined;
}

export function runsPage(p: RunsPage): Html {
  const at = pageOf(p.runs, p.page, 50);
  const body = html`<p class="lead">
      Every run the state store recorded, newest first: who ran it, when, how, on which input and plan (their
      SHA-256), and how it ended. The CLI's runs are here too (<code>lpsync history</code>).
    </p>
    ${p.problem ? notice('info', html`<p>${p.problem}</p>`) : ''}
    ${
      p.runs.length === 0
        ? p.problem
          ? ''
          : notice('info', html`<p>No run is recorded yet.</p>`)
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Runs">
              <table class="list runs">
                <caption class="visually-hidden">
                  Runs, newest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Who</th>
                    <th scope="col">When</th>
                    <th scope="col">Command</th>
                    <th scope="col">Input (SHA-256)</th>
                    <th scope="col">Plan (SHA-256)</th>
                    <th scope="col">Rows</th>
                    <th scope="col">Exit</th>
                  </tr>
                </thead>
                <tbody>
                  ${at.items.map(runRow)}
                </tbody>
              </table>
            </div>
            ${pager(at, (n) => withQuery('/history', { page: n }), 'runs')}`
    }`;
  return page({ title: 'Runs', section: '/history', session: p.session, platform: p.platform, body });
}

export interface SearchPage {
  session: Session;
  platform: string;
  query: { customer?: string | undefined; site?: string | undefined; page?: string | undefined };
  /** Null before a search. */
  changes: CustomerChange[] | null;
  mask: (text: string) => string;
  problem?: string | undefined;
}

function changeRow(c: CustomerChange, mask: (t: string) => string): Html {
  const target = c.siteName === null ? c.customerShortName : `${c.customerShortName} / ${c.siteName}`;
  return html`<tr>
    <td class="soft">${when(c.at)}</td>
    <td>
      <a href="/history/${c.runId}"><code>${c.runId}</code></a>
    </td>
    <td class="soft">${c.ranBy}</td>
    <td class="soft">${KIND_LABELS[c.kind] ?? c.kind}</td>
    <td class="soft">${mask(target)}</td>
    <td>${c.status}</td>
    <td class="wrap fields">
      <ul class="changes">
        ${c.changes.map(
          (f) =>
            html`<li>
              <code>${f.field}</code>: <span class="before">${mask(f.before ?? '(none)')}</span> →
              <span class="after">${mask(f.after ?? '(not set)')}</span>
            </li>`,
        )}
      </ul>
    </td>
  </tr>`;
}

function searchForm(q: SearchPage['query']): Html {
  return html`<form method="get" action="/search" class="filters search-form">
    <div class="field-inline">
      <label for="customer">Customer (short name)</label>
      <input type="text" id="customer" name="customer" value="${q.customer ?? ''}" required />
    </div>
    <div class="field-inline">
      <label for="site">SIP connection (site name, optional)</label>
      <input type="text" id="site" name="site" value="${q.site ?? ''}" />
    </div>
    <button type="submit">Search</button>
  </form>`;
}

export function searchPage(p: SearchPage): Html {
  const changes = p.changes ?? [];
  const at = pageOf(changes, p.query.page, 50);
  const link = (n: number) =>
    withQuery('/search', { customer: p.query.customer, site: p.query.site, page: n });
  const results =
    p.changes === null
      ? ''
      : changes.length === 0
        ? notice(
            'info',
            html`<p>
              No change to ${p.query.customer}${p.query.site ? ` / ${p.query.site}` : ''} is recorded.
            </p>`,
          )
        : html`<h2 id="found">${changes.length} change(s), oldest first</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="found">
              <table class="list">
                <caption class="visually-hidden">
                  Changes found
                </caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Run</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">Customer / SIP connection</th>
                    <th scope="col">Status</th>
                    <th scope="col">Field: before → after</th>
                  </tr>
                </thead>
                <tbody>
                  ${at.items.map((c) => changeRow(c, p.mask))}
                </tbody>
              </table>
            </div>
            ${pager(at, link, 'changes')}`;
  const body = html`<p class="lead">
      Every change lpsync made (or was sent to make) to one customer and its SIP connections, from the audit
      trail: each field before → after, the run, and who ran it (<code>lpsync history --customer</code>).
    </p>
    ${searchForm(p.query)} ${p.problem ? notice('info', html`<p>${p.problem}</p>`) : ''} ${results}`;
  return page({
    title: 'Search the changes',
    section: '/search',
    session: p.session,
    platform: p.platform,
    body,
  });
}
