/** Who acts when a session plans, approves or applies: its account (with its role), or the server's OS user. */
import type { RunInvocation } from '../run/index.js';
import type { Session } from './sessions.js';

/**
 * The invocation src/run records as "who": with accounts the signed-in account, its role, and the OS user the
 * server runs as beside it; in the token mode the server's OS user (the one person holding the token).
 */
export function actingAs(server: RunInvocation, session: Session): RunInvocation {
  if (!session.user) return server;
  return { ...server, user: session.user.name, role: session.user.role, osUser: server.user };
}
