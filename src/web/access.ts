/**
 * What a session may do, decided in one place for every route. In the token mode the one person holding
 * the token may do everything; the accounts of a later issue give each route's need to the user's role here.
 */
import type { Session } from './sessions.js';

/** What a route asks of its caller: to read (every page), to change (upload, plan, end a session), to apply. */
export type Need = 'read' | 'change' | 'apply';

/** Whether the session may do what the route needs. */
export function permitted(session: Session, _need: Need): boolean {
  // The token mode: no user, the token's holder may do all. Accounts (issue 24) decide by `session.user.role`.
  return session.user === null;
}

/** Whether a session may see what another (or the same) session made: an upload, a plan, a run. */
export function mayOpen(session: Session, owner: { sessionId: string }): boolean {
  return session.user === null ? session.id === owner.sessionId : false;
}
