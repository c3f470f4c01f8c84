/** The login page (accounts mode): name and password, its CSRF token, and why the last attempt was refused. */
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { CSRF_FIELD } from '../security.js';
import { notice } from './parts.js';

export interface LoginPage {
  /** The sign-in form's own CSRF token (bound to its cookie: there is no session yet). */
  token: string;
  /** The page to go back to once signed in (a path of this console). */
  next: string;
  /** The name as typed last time (never the password). */
  name: string;
  /** Why the last attempt was refused, or what happened before (signed out, session ended). */
  problem?: string;
  info?: string;
  /** "5 wrong passwords lock an account for 15 minutes": the limits this console keeps. */
  limits: string;
}

export function loginPage(p: LoginPage): Html {
  const body = html`${p.info ? notice('info', html`<p>${p.info}</p>`) : ''}
    ${p.problem ? notice('error', html`<p>${p.problem}</p>`) : ''}
    <form method="post" action="/login" class="login">
      <input type="hidden" name="${CSRF_FIELD}" value="${p.token}" />
      <input type="hidden" name="next" value="${p.next}" />
      <div class="field">
        <label for="name">Name</label>
        <input
          type="text"
          id="name"
          name="name"
          value="${p.name}"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
        />
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
      </div>
      <button type="submit" class="primary">Sign in</button>
    </form>
    <p class="hint">
      Accounts are made on the server with
      <code>lpsync users add NAME --role operator|approver|auditor</code>. ${p.limits}
    </p>`;
  return page({ title: 'Sign in', body });
}
