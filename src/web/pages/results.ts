/** Step 6: the run's summary, its results workbook, and the rows that failed. */
import type { ApplyCommandResult } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { LiveRun } from '../live-run.js';
import type { Session } from '../sessions.js';
import { countsTable, KIND_LABELS, notice } from './parts.js';

type Applied = Extract<ApplyCommandResult, { kind: 'applied' }>;

export interface ResultsPage {
  session: Session;
  platform: string;
  live: LiveRun;
  mask: (text: string) => string;
}

function failedRows(applied: Applied, mask: (t: string) => string): Html {
  const failed = applied.result.records.filter((r) => r.status === 'failed' || r.status === 'unknown');
  if (failed.length === 0) return html`<p>No row failed.</p>`;
  const rows = failed.map(
    (r) =>
      html`<tr>
        <td>${r.rows.map((o) => `${o.sheet} row ${o.row}`).join(', ')}</td>
        <td>${mask(r.siteName === null ? r.customerShortName : `${r.customerShortName} / ${r.siteName}`)}</td>
        <td>${KIND_LABELS[r.kind] ?? r.kind}</td>
        <td>${r.status}</td>
        <td>${mask(r.error ?? '')}</td>
      </tr>`,
  );
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Rows that failed">
    <table>
      <caption class="visually-hidden">
        Rows that failed
      </caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Customer / SIP connection</th>
          <th scope="col">Action</th>
          <th scope="col">Status</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

export function resultsPage(p: ResultsPage): Html {
  const result = p.live.result;
  const frame = { title: 'Results', step: 'results' as const, session: p.session, platform: p.platform };
  if (!result || result.kind !== 'applied')
    return page({
      ...frame,
      body: html`${notice('info', html`<p>This run has no results${result ? '' : ' yet'}.</p>`)}
        <p><a href="/runs/${p.live.id}">Back to the run</a></p>`,
    });
  const { summary } = result;
  const failed = (summary.byStatus.failed ?? 0) + (summary.byStatus.unknown ?? 0);
  const body = html` ${
      failed > 0
        ? notice(
            'error',
            html`<p>${failed} row(s) failed. Their errors are below and in the results workbook.</p>`,
          )
        : notice('ok', html`<p>Every row ended without an error.</p>`)
    }
    <dl class="facts">
      <dt>Run</dt>
      <dd><code>${summary.runId}</code></dd>
      <dt>Started</dt>
      <dd>${summary.startedAt}</dd>
      <dt>Ended</dt>
      <dd>${summary.endedAt}</dd>
      <dt>Rows</dt>
      <dd>${summary.rows}</dd>
      ${
        summary.plan
          ? html`<dt>Plan applied</dt>
              <dd>SHA-256 <code class="sha">${summary.plan.sha256}</code></dd>`
          : ''
      }
    </dl>
    ${summary.reportPath ? html`<p><a class="button primary" href="/runs/${p.live.id}/results.xlsx" download>Download the results workbook</a></p>` : ''}
    ${summary.beforeImage ? html`<p><a href="/runs/${p.live.id}/before.xlsx" download>Download the before-image</a>: what the changed services and SIP connections held before this run, in the template format; apply it to back the change out.</p>` : ''}
    ${countsTable({ caption: 'Rows by outcome', headers: ['Outcome', 'Rows'], counts: result.summary.byStatus })}
    <section aria-labelledby="failed">
      <h2 id="failed">Rows that failed</h2>
      ${failedRows(result, p.mask)}
    </section>
    <p><a href="/">Upload another workbook</a></p>`;
  return page({ ...frame, body });
}
