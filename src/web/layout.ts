/**
 * The frame of every console page: its title, the console's sections (the flow, plans, and what an auditor
 * reads), who is signed in, the six steps with the current one marked, and the content.
 */
import { permitted } from './access.js';
import { html, type Html } from './html.js';
import type { Session } from './sessions.js';

/** The console's sections: the flow's start for those who upload, then what everyone reads. */
const SECTIONS = [
  { href: '/', name: 'Upload', upload: true },
  { href: '/plans', name: 'Plans', upload: false },
  { href: '/history', name: 'Runs', upload: false },
  { href: '/search', name: 'Search', upload: false },
  { href: '/audit', name: 'Audit', upload: false },
  { href: '/doctor', name: 'Doctor', upload: false },
  { href: '/drift', name: 'Drift', upload: false },
] as const;

export const STEPS = [
  { id: 'upload', name: 'Upload' },
  { id: 'validate', name: 'Check' },
  { id: 'plan', name: 'Plan' },
  { id: 'apply', name: 'Apply' },
  { id: 'run', name: 'Progress' },
  { id: 'results', name: 'Results' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

export interface PageFrame {
  /** The page's own title (also the browser tab's, after "lpsync"). */
  title: string;
  /** The step of the flow this page is, when it is one. */
  step?: StepId;
  /** The signed-in session: the page then offers "End session" or "Sign out" (a form, with its CSRF token). */
  session?: Session;
  /** The section this page belongs to (its link in the header is marked). */
  section?: string;
  /** Where the console applies to, masked (shown in the header). */
  platform?: string;
  /** Without script, reload the page this often (a run's progress then moves without the event stream). */
  refreshSeconds?: number;
  body: Html;
}

function stepList(current: StepId | undefined): Html {
  if (!current) return html``;
  const at = STEPS.findIndex((s) => s.id === current);
  const items = STEPS.map((s, i) => {
    const state = i < at ? 'done' : i === at ? 'current' : 'todo';
    const label = html`<span class="step-number">${i + 1}</span> ${s.name}`;
    return i === at
      ? html`<li class="step step-current" aria-current="step">${label}</li>`
      : html`<li class="step step-${state}">
          ${label}${i < at ? html`<span class="visually-hidden"> (done)</span>` : ''}
        </li>`;
  });
  return html`<nav class="steps" aria-label="Steps">
    <ol>
      ${items}
    </ol>
  </nav>`;
}

function sections(session: Session | undefined, current: string | undefined): Html {
  if (!session) return html``;
  const links = SECTIONS.filter((s) => !s.upload || permitted(session, 'upload')).map((s) =>
    s.href === current
      ? html`<li><a href="${s.href}" aria-current="page">${s.name}</a></li>`
      : html`<li><a href="${s.href}">${s.name}</a></li>`,
  );
  return html`<nav class="sections" aria-label="Console">
    <ul>
      ${links}
    </ul>
  </nav>`;
}

/** "End session" in the token mode; with accounts, who is signed in and "Sign out". */
function endSessionForm(session: Session | undefined): Html {
  if (!session) return html``;
  if (session.user)
    return html`<form method="post" action="/logout" class="end-session">
      <span class="who">${session.user.name} (${session.user.role})</span>
      <input type="hidden" name="_csrf" value="${session.csrfToken}" />
      <button type="submit" class="link-button">Sign out</button>
    </form>`;
  return html`<form method="post" action="/session/end" class="end-session">
    <input type="hidden" name="_csrf" value="${session.csrfToken}" />
    <button type="submit" class="link-button">End session</button>
  </form>`;
}

/** A whole page, as the browser gets it: no inline script or style (the CSP forbids both). */
export function page(frame: PageFrame): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · lpsync console</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer></script>
        ${frame.refreshSeconds ? html`<noscript><meta http-equiv="refresh" content="${frame.refreshSeconds}" /></noscript>` : ''}
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to the content</a>
        <header class="top">
          <a class="brand" href="/">lpsync console</a>
          ${sections(frame.session, frame.section ?? (frame.step ? '/' : undefined))}
          ${frame.platform ? html`<span class="platform">Live Platform: <code>${frame.platform}</code></span>` : ''}
          ${endSessionForm(frame.session)}
        </header>
        ${stepList(frame.step)}
        <main id="main" tabindex="-1">
          <h1>${frame.title}</h1>
          ${frame.body}
        </main>
      </body>
    </html> `;
}

/** A page that says why a request was refused and what to do: 401, 403, 404, 413, 421, 500. */
export function problemPage(title: string, lines: Html | string, session?: Session): Html {
  return page({
    title,
    ...(session ? { session } : {}),
    body: html`<div class="notice notice-error" role="alert"><p>${lines}</p></div>
      ${session ? html`<p><a href="/">Back to the start</a></p>` : ''}`,
  });
}
