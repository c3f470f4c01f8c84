/** The frame of every console page: its title, the six steps with the current one marked, and the content. */
import { html, type Html } from './html.js';
import type { Session } from './sessions.js';

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
  /** The signed-in session: the page then offers "End session" (a form, with its CSRF token). */
  session?: Session;
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

function endSessionForm(session: Session | undefined): Html {
  if (!session) return html``;
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
