/** Pieces several pages share: the pager, the writer-lock notice, counts in words, notices. */
import type { LockHolder, Plan } from '../../run/index.js';
import { html, type Html } from '../html.js';

export const PAGE_SIZE = 100;

/** One page of a list, and the links to the others; `query` keeps the filters in the links. */
export function pageOf<T>(items: readonly T[], requested: string | undefined, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const n = Math.min(pages, Math.max(1, Number.parseInt(String(requested ?? '1'), 10) || 1));
  return { items: items.slice((n - 1) * size, n * size), page: n, pages, first: (n - 1) * size + 1 };
}

export function pager(
  at: { page: number; pages: number },
  link: (page: number) => string,
  what: string,
): Html {
  if (at.pages <= 1) return html``;
  return html`<nav class="pager" aria-label="Pages of ${what}">
    ${at.page > 1 ? html`<a href="${link(at.page - 1)}" rel="prev">Previous page</a>` : ''}
    <span>Page ${at.page} of ${at.pages}</span>
    ${at.page < at.pages ? html`<a href="${link(at.page + 1)}" rel="next">Next page</a>` : ''}
  </nav>`;
}

/** `path?a=1&b=2` with the empty values left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * A table of the non-zero counts (a plan's actions, a run's outcomes). With `kinds`, each row carries its key
 * as `data-kind` (the plan's rows: the browser tests read the counts by action kind).
 */
export function countsTable(o: {
  caption: string;
  headers: [string, string];
  counts: Readonly<Record<string, number>>;
  label?: (key: string) => string;
  kinds?: boolean;
}): Html {
  const rows = Object.entries(o.counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => {
      const cells = html`<th scope="row">${o.label ? o.label(key) : key}</th>
        <td>${n}</td>`;
      return o.kinds
        ? html`<tr data-kind="${key}">
            ${cells}
          </tr>`
        : html`<tr>
            ${cells}
          </tr>`;
    });
  return html`<table class="counts-table">
    <caption>
      ${o.caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${o.headers[0]}</th>
        <th scope="col">${o.headers[1]}</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

export function notice(kind: 'info' | 'ok' | 'warn' | 'error', body: Html | string): Html {
  const role = kind === 'error' || kind === 'warn' ? 'alert' : 'status';
  return html`<div class="notice notice-${kind}" role="${role}">${body}</div>`;
}

/** Who writes with the state store now: the console offers no Apply meanwhile. */
export function lockNotice(holder: LockHolder | null): Html {
  if (!holder) return html``;
  return notice(
    'warn',
    html`<p>
      <strong>Another lpsync run is applying now</strong> (process ${holder.pid} on ${holder.host}, since
      ${holder.acquiredAt}, run ${holder.runId}). Only one run may write at a time, so Apply is not offered
      until it ends. Reload this page to check again.
    </p>`,
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "create 8 customers, add 9 SIP connections, modify 1 SIP connection": what an apply will send. */
export function changesSentence(counts: Plan['counts']): string {
  const parts: string[] = [];
  const created = counts['create-customer'];
  const oc = counts['create-oc-service'];
  if (created) parts.push(`create ${plural(created, 'customer', 'customers')}`);
  if (oc) parts.push(`create ${plural(oc, 'OC service', 'OC services')}`);
  if (counts['add-site'])
    parts.push(`add ${plural(counts['add-site'], 'SIP connection', 'SIP connections')}`);
  if (counts['modify-site'])
    parts.push(`modify ${plural(counts['modify-site'], 'SIP connection', 'SIP connections')}`);
  return parts.join(', ');
}

/** The number of actions that send something. */
export function writesOf(counts: Plan['counts']): number {
  return counts['create-customer'] + counts['create-oc-service'] + counts['add-site'] + counts['modify-site'];
}

export const KIND_LABELS: Record<string, string> = {
  'create-customer': 'Create customer',
  'create-oc-service': 'Create OC service',
  'add-site': 'Add SIP connection',
  'modify-site': 'Modify SIP connection',
  unchanged: 'Unchanged',
  busy: 'Busy (left alone this run)',
  conflict: 'Conflict (never sent)',
  excluded: 'Excluded by the mode',
  'not-selected': 'Not selected (--only / --limit)',
};
