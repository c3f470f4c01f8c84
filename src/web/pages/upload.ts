/** Step 1: the upload form (drag and drop, or pick), the templates, and this session's earlier uploads. */
import type { LockHolder } from '../../run/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { csrfField } from '../security.js';
import type { Session } from '../sessions.js';
import type { UploadEntry } from '../flow.js';
import { lockNotice } from './parts.js';

export interface UploadPage {
  session: Session;
  platform: string;
  maxUploadBytes: number;
  uploads: UploadEntry[];
  holder: LockHolder | null;
  /** A refusal of the last upload, said above the form. */
  problem?: string;
}

function fileInput(name: string, label: string, hint: string, accept: string): Html {
  return html`<div class="field">
    <label for="${name}">${label}</label>
    <p class="hint" id="${name}-hint">${hint}</p>
    <div class="dropzone" data-dropzone>
      <input type="file" id="${name}" name="${name}" accept="${accept}" aria-describedby="${name}-hint" />
      <p class="dropzone-text" aria-hidden="true">or drop the file here</p>
    </div>
  </div>`;
}

function earlier(uploads: readonly UploadEntry[]): Html {
  if (uploads.length === 0) return html``;
  const items = uploads.map(
    (u) =>
      html`<li>
        <a href="/uploads/${u.id}/validate">${u.files.map((f) => f.name).join(' + ')}</a>
        <span class="muted">uploaded ${u.at.toISOString().slice(11, 19)} UTC</span>
      </li>`,
  );
  return html`<section aria-labelledby="earlier">
    <h2 id="earlier">Uploaded in this session</h2>
    <ul>
      ${items}
    </ul>
  </section>`;
}

export function uploadPage(p: UploadPage): Html {
  const mb = Math.round(p.maxUploadBytes / (1 << 20));
  const body = html` <p class="lead">
      Upload the workbook that lists your customers and SIP connections. lpsync checks every row, then shows
      exactly what it would change on the Live Platform. Nothing is changed until you confirm.
    </p>
    ${lockNotice(p.holder)}
    ${p.problem ? html`<div class="notice notice-error" role="alert"><p>${p.problem}</p></div>` : ''}
    <form
      method="post"
      action="/uploads"
      enctype="multipart/form-data"
      class="upload"
      data-max-bytes="${p.maxUploadBytes}"
    >
      ${csrfField(p.session)}
      <fieldset>
        <legend>A workbook</legend>
        ${fileInput('workbook', 'Workbook (.xlsx), or one CSV file with a Type column', `At most ${mb} MB.`, '.xlsx,.csv,.tsv')}
      </fieldset>
      <fieldset>
        <legend>Or two CSV files</legend>
        ${fileInput('customers', 'Customers (.csv)', 'One row per customer.', '.csv,.tsv')}
        ${fileInput('sites', 'SIP connections (.csv)', 'One row per further SIP connection.', '.csv,.tsv')}
      </fieldset>
      <p class="form-problem" role="alert" data-form-problem></p>
      <button type="submit" class="primary">Upload and check</button>
    </form>
    <section aria-labelledby="templates">
      <h2 id="templates">Templates to fill in</h2>
      <p>The same files <code>lpsync template</code> writes: each column has a note saying what it takes.</p>
      <ul>
        <li>
          <a href="/templates/lpsync-template.xlsx" download>Workbook template (lpsync-template.xlsx)</a>
        </li>
        <li><a href="/templates/customers.csv" download>Customers CSV template (customers.csv)</a></li>
        <li>
          <a href="/templates/sip-connections.csv" download
            >SIP connections CSV template (sip-connections.csv)</a
          >
        </li>
      </ul>
    </section>
    ${earlier(p.uploads)}`;
  return page({ title: 'Upload a workbook', step: 'upload', session: p.session, platform: p.platform, body });
}
