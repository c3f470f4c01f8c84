/**
 * What a session may do, decided in one place for every route: each route names what it needs (a
 * permission of src/model/roles.ts, or only a session), and the doors ask `permitted` before it runs. In the
 * token mode the one person holding the token may do everything; with accounts the role's permissions decide.
 */
import { may, type Permission } from '../model/roles.js';
import type { Session } from './sessions.js';

/** A permission of the roles table, or `session`: anyone signed in (sign out, end the session). */
export type Need = Permission | 'session';

/** Whether the session may do what the route needs. */
export function permitted(session: Session, need: Need): boolean {
  if (need === 'session') return true;
  // The token mode: no user, the token's holder may do all.
  return session.user === null ? true : may(session.user.role, need);
}

/** What the console keeps that someone made: an upload, a plan, a run. */
export interface Owned {
  sessionId: string;
  /** The account that made it (accounts mode); null in the token mode. */
  owner: string | null;
}

/**
 * Whether a session may open what a session made. With accounts everything is the team's: anyone signed in
 * reads it (an approver opens an operator's plan, an auditor every run), and what they may change is the
 * route's need. In the token mode a session sees only its own.
 */
export function mayOpen(session: Session, made: Owned): boolean {
  return session.user !== null || session.id === made.sessionId;
}

/** Whether it is this person's own: their account's (accounts) or this session's (token mode). */
export function isOwn(session: Session, made: Owned): boolean {
  return session.user !== null ? made.owner === session.user.name : made.sessionId === session.id;
}
