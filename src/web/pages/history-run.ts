/**
 * One recorded run, for an auditor: who ran it, how and on what; each action's record; each request sent
 * with its status and duration; its report rebuilt from the store as a download. Lists a page at a time.
 */
import { basename } from 'node:path';
import type { ActionRecord, RunDetail, SentRequest } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Session } from '../sessions.js';
import { outcomes, when } from './history.js';
import { KIND_LABELS, notice, pageOf, pager, withQuery } from './parts.js';

export interface HistoryRunPage {
  session: Session;
  platform: string;
  detail: RunDetail;
  query: { page?: string | undefined; rpage?: string | undefined };
  mask: (text: string) => string;
}

const target = (r: Pick<ActionRecord, 'customerShortName' | 'siteName'>) =>
  r.siteName === null ? r.customerShortName : `${r.customerShortName} / ${r.siteName}`;

function facts(p: HistoryRunPage): Html {
  const { run } = p.detail;
  return html`<dl class="facts">
    <dt>Run</dt>
    <dd><code>${run.runId}</code> (${run.command}, ${run.status})</dd>
    <dt>Who</dt>
    <dd>${run.ranBy}</dd>
    <dt>Started</dt>
    <dd>${when(run.startedAt)}</dd>
    <dt>Ended</dt>
    <dd>${when(run.endedAt)}</dd>
    <dt>Command</dt>
    <dd><code>${p.mask(run.commandLine)}</code></dd>
    <dt>Live Platform</dt>
    <dd><code>${p.mask(run.baseUrl)}</code></dd>
    <dt>Input</dt>
    <dd>
      ${run.inputFiles.map(
        (f, i) =>
          html`${i ? html`<br />` : ''}${basename(f.file)}, SHA-256 <code class="sha">${f.sha256}</code>`,
      )}
    </dd>
    <dt>Plan</dt>
    <dd>
      ${
        run.plan
          ? html`${basename(run.plan.file)}, SHA-256 <code class="sha">${run.plan.sha256}</code>`
          : 'none (planned as it ran)'
      }
    </dd>
    <dt>Rows</dt>
    <dd>${run.rows ?? '–'}: ${outcomes(run.byStatus)}</dd>
    <dt>Exit code</dt>
    <dd>${run.exitCode ?? '–'}</dd>
    ${
      run.resumes.length
        ? html`<dt>Resumed</dt>
            <dd>${run.resumes.map((r, i) => html`${i ? html`<br />` : ''}${when(r.at)} by ${r.by}`)}</dd>`
        : ''
    }
  </dl>`;
}

function recordsTable(p: HistoryRunPage): Html {
  const at = pageOf(p.detail.records, p.query.page, 100);
  const link = (n: number) => withQuery(`/history/${p.detail.run.runId}`, { page: n, rpage: p.query.rpage });
  const rows = at.items.map(
    (r) =>
      html`<tr>
        <td>${KIND_LABELS[r.kind] ?? r.kind}</td>
        <td class="soft">${p.mask(target(r))}</td>
        <td class="soft">${r.rows.map((o) => `${o.sheet} row ${o.row}`).join(', ')}</td>
        <td>${r.status}</td>
        <td class="num">${r.attempts}</td>
        <td class="num">${r.durationMs}</td>
        <td class="wrap">${p.mask(r.error ?? r.messages.at(-1) ?? '')}</td>
      </tr>`,
  );
  return html`<section aria-labelledby="records">
    <h2 id="records">Actions (${p.detail.records.length})</h2>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="records">
      <table class="list">
        <caption class="visually-hidden">
          Each action's latest record
        </caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Customer / SIP connection</th>
            <th scope="col">Rows</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Duration (ms)</th>
            <th scope="col">Error or last message</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    ${pager(at, link, 'actions')}
  </section>`;
}

function requestsTable(p: HistoryRunPage): Html {
  const at = pageOf(p.detail.requests, p.query.rpage, 100);
  const link = (n: number) => withQuery(`/history/${p.detail.run.runId}`, { page: p.query.page, rpage: n });
  const targets = new Map(p.detail.records.map((r) => [r.actionId, target(r)]));
  const row = (r: SentRequest) =>
    html`<tr>
      <td>${when(r.at)}</td>
      <td>${r.method}</td>
      <td class="wrap"><code>${p.mask(r.path)}</code></td>
      <td class="${typeof r.status === 'number' && r.status < 400 ? '' : 'status-bad'}">${r.status}</td>
      <td class="num">${r.attempt}</td>
      <td class="num">${r.durationMs}</td>
      <td class="soft">${r.actionId ? p.mask(targets.get(r.actionId) ?? r.actionId) : 'reading'}</td>
    </tr>`;
  return html`<section aria-labelledby="requests">
    <h2 id="requests">Requests sent (${p.detail.requests.length})</h2>
    ${
      p.detail.requests.length === 0
        ? html`<p>None recorded.</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="requests">
              <table class="list">
                <caption class="visually-hidden">
                  Each request with its status and duration
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Sent</th>
                    <th scope="col">Method</th>
                    <th scope="col">Path</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempt</th>
                    <th scope="col">Duration (ms)</th>
                    <th scope="col">For</th>
                  </tr>
                </thead>
                <tbody>
                  ${at.items.map(row)}
                </tbody>
              </table>
            </div>
            ${pager(at, link, 'requests')}`
    }
  </section>`;
}

export function historyRunPage(p: HistoryRunPage): Html {
  const { run, drift } = p.detail;
  const body = html`${facts(p)}
    <p class="downloads">
      ${
        drift === null
          ? html`<span class="muted">This run kept no report (it ended before writing one).</span>`
          : html`<a class="button primary" href="/history/${run.runId}/report.xlsx" download
                >Download its results workbook (rebuilt from the state store)</a
              >
              <a href="/drift?run=${run.runId}">Its drift (${drift.length})</a>`
      }
    </p>
    ${run.adopted ? notice('info', html`<p>Recorded before the audit trail existed: who and how are not known.</p>`) : ''}
    ${recordsTable(p)} ${requestsTable(p)}`;
  return page({
    title: `Run ${run.runId}`,
    section: '/history',
    session: p.session,
    platform: p.platform,
    body,
  });
}
