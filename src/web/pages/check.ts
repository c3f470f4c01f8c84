/** Step 2: the check of an upload, as `lpsync validate` reports it, filterable and a page at a time. */
import { basename } from 'node:path';
import type { LoadedWorkbook } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Session } from '../sessions.js';
import type { Checked, Unreadable, UploadEntry } from '../flow.js';
import { notice, pageOf, pager, withQuery } from './parts.js';

type Issue = LoadedWorkbook['issues'][number];

export interface CheckPage {
  session: Session;
  platform: string;
  upload: UploadEntry;
  checked: Checked | Unreadable;
  filter: { sheet?: string; rule?: string; page?: string };
  mask: (text: string) => string;
}

/** The name the person's file had, for a path the loader was given (the upload folder is no one's business). */
function fileName(upload: UploadEntry, path: string): string {
  return upload.files.find((f) => f.path === path)?.name ?? basename(path);
}

function selectOf(name: string, label: string, values: readonly string[], chosen: string | undefined): Html {
  const options = ['', ...values].map(
    (v) =>
      html`<option value="${v}" ${v === (chosen ?? '') ? html` selected` : ''}>
        ${v === '' ? 'All' : v}
      </option>`,
  );
  return html`<div class="field-inline">
    <label for="${name}">${label}</label
    ><select id="${name}" name="${name}">
      ${options}
    </select>
  </div>`;
}

function issueTable(p: CheckPage, issues: readonly Issue[], first: number): Html {
  if (issues.length === 0) return html`<p>No issue matches the filter.</p>`;
  const several = p.upload.files.length > 1;
  const rows = issues.map(
    (i, n) =>
      html`<tr class="issue-${i.severity}">
        <td>${first + n}</td>
        <td class="severity">${i.severity}</td>
        ${several ? html`<td class="file">${fileName(p.upload, i.file)}</td>` : ''}
        <td class="sheet">${i.sheet ?? ''}</td>
        <td class="row">${i.row ?? ''}</td>
        <td class="column">${p.mask(i.column ?? '')}</td>
        <td class="rule"><code>${i.rule}</code></td>
        <td class="message">
          ${p.mask(i.message)}
          ${i.value === undefined ? '' : html`<br /><span class="value">Value: <code>${p.mask(i.value)}</code></span>`}
        </td>
      </tr>`,
  );
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Issues found">
    <table class="issues">
      <caption class="visually-hidden">
        Issues found in the upload
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Severity</th>
          ${several ? html`<th scope="col">File</th>` : ''}
          <th scope="col">Sheet</th>
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Rule</th>
          <th scope="col">What is wrong</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

function columnsRead(p: CheckPage, loaded: LoadedWorkbook): Html {
  const sheets = loaded.sheets.map((s) => {
    const rows = s.columns.map(
      (
        c,
      ) => html`<tr${c.readAs === null ? html` class="not-read"` : ''}><td>${c.letter}</td><td>${p.mask(c.header)}</td>
        <td>${c.readAs ?? html`<strong>not read</strong>`}${c.note ? html` <span class="muted">(${p.mask(c.note)})</span>` : ''}</td></tr>`,
    );
    const unread = s.columns.filter((c) => c.readAs === null).length;
    return html`<details${unread > 0 ? html` open` : ''}><summary>${fileName(p.upload, s.file)} › ${s.sheet}:
      ${s.columns.length - unread} columns read${unread > 0 ? html`, <strong>${unread} not read</strong>` : ''}</summary>
      <div class="table-wrap" tabindex="0" role="region" aria-label="Columns of ${s.sheet}"><table><caption class="visually-hidden">Columns of ${s.sheet}</caption>
      <thead><tr><th scope="col">Column</th><th scope="col">Header in the file</th><th scope="col">Read as</th></tr></thead>
      <tbody>${rows}</tbody></table></div></details>`;
  });
  return html`<section aria-labelledby="columns">
    <h2 id="columns">Which column was read as which field</h2>
    ${sheets}
  </section>`;
}

function verdict(upload: UploadEntry, checked: Checked): Html {
  const counts = html`<p class="counts">
    <strong>${checked.errors}</strong> error${checked.errors === 1 ? '' : 's'},
    <strong>${checked.warnings}</strong> warning${checked.warnings === 1 ? '' : 's'}. Read
    ${checked.loaded.rows.customers.length} valid customer row(s) and ${checked.loaded.rows.sites.length}
    valid SIP connection row(s).
  </p>`;
  if (checked.ok)
    return html`${counts}${notice('ok', html`<p>The workbook can be planned${checked.warnings ? ' (read the warnings below)' : ''}.</p>`)}
      <p><a class="button primary" href="/uploads/${upload.id}/plan">Next: plan the change</a></p>`;
  return html`${counts}${notice(
    'error',
    html`<p>
      Nothing can be applied until the errors are fixed. Fix them in the workbook, then
      <a href="/">upload it again</a>.
    </p>`,
  )}`;
}

export function checkPage(p: CheckPage): Html {
  const title = `Check ${p.upload.files.map((f) => f.name).join(' + ')}`;
  const frame = { title, step: 'validate' as const, session: p.session, platform: p.platform };
  if ('fault' in p.checked)
    return page({
      ...frame,
      body: html`${notice(
          'error',
          html`<p>${p.mask(p.checked.fault.message)}</p>
            ${p.checked.fault.hint ? html`<p>${p.mask(p.checked.fault.hint)}</p>` : ''}`,
        )}
        <p><a href="/">Upload another file</a></p>`,
    });
  const { loaded } = p.checked;
  const issues = [...loaded.issues].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
  const sheets = [...new Set(issues.map((i) => i.sheet ?? ''))].filter((s) => s !== '');
  const rules = [...new Set(issues.map((i) => i.rule as string))].sort();
  const shown = issues.filter(
    (i) => (!p.filter.sheet || i.sheet === p.filter.sheet) && (!p.filter.rule || i.rule === p.filter.rule),
  );
  const at = pageOf(shown, p.filter.page);
  const base = `/uploads/${p.upload.id}/validate`;
  const link = (n: number) => withQuery(base, { sheet: p.filter.sheet, rule: p.filter.rule, page: n });
  const body = html`${verdict(p.upload, p.checked)}
    <section aria-labelledby="issues">
      <h2 id="issues">Issues (${shown.length} of ${issues.length})</h2>
      ${
        issues.length === 0
          ? html`<p>No errors, no warnings.</p>`
          : html`<form method="get" action="${base}" class="filters">
                ${selectOf('sheet', 'Sheet', sheets, p.filter.sheet)}${selectOf('rule', 'Rule', rules, p.filter.rule)}
                <button type="submit">Show</button>
              </form>
              ${issueTable(p, at.items, at.first)}${pager(at, link, 'issues')}`
      }
    </section>
    ${columnsRead(p, loaded)}`;
  return page({ ...frame, body });
}
