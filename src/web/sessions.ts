/**
 * Sessions of the console, in memory and per server process: a random id (the cookie's value), a CSRF
 * token of its own, and a private folder for its uploads that goes when the session ends. `user` is
 * null in the token mode; with accounts a session is made at login for that account (and its role).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../model/roles.js';

/** Who a session belongs to with accounts; null while the console runs on its token. */
export interface SessionUser {
  name: string;
  role: Role;
}

export interface Session {
  readonly id: string;
  /** Required on every state-changing request of this session (a form field or the x-csrf-token header). */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  user: SessionUser | null;
  /** The session's own folder (mode 0700) under the OS temp folder, made at its first upload. */
  folder: string | null;
}

export interface SessionStore {
  /** A new session: the token's holder (null), or the account just signed in. */
  create(user?: SessionUser | null): Session;
  /** The live session of that id, its idle clock restarted; undefined when unknown or ended. */
  touch(id: string | undefined): Session | undefined;
  /** The session's private folder, made when first needed. */
  folderOf(session: Session): string;
  /** Ends a session: its uploads, plans and folder go. */
  end(id: string): void;
  /** Ends the sessions idle for longer than the idle time. */
  sweep(): void;
  /** Ends every session (the server shuts down). */
  endAll(): void;
  /** Called with a session as it ends, before its folder goes (the server forgets its uploads). */
  onEnd(listener: (session: Session) => void): void;
  readonly size: number;
}

/** 32 random bytes as URL-safe text: session ids, CSRF tokens, the printed token. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Compares two secrets in constant time (a timing difference must not tell how much of a token was right). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createSessionStore(options: {
  /** Where session folders are made: the OS temp folder. */
  tempDir: string;
  idleMs: number;
  now?: () => number;
}): SessionStore {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const listeners: Array<(session: Session) => void> = [];
  const end = (id: string): void => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    for (const listener of listeners) listener(session);
    if (session.folder) rmSync(session.folder, { recursive: true, force: true });
  };
  return {
    create: (user = null) => {
      const at = now();
      const session: Session = {
        id: randomToken(),
        csrfToken: randomToken(),
        createdAt: at,
        lastSeenAt: at,
        user,
        folder: null,
      };
      sessions.set(session.id, session);
      return session;
    },
    touch: (id) => {
      const session = id === undefined ? undefined : sessions.get(id);
      if (!session) return undefined;
      if (now() - session.lastSeenAt > options.idleMs) {
        end(session.id);
        return undefined;
      }
      session.lastSeenAt = now();
      return session;
    },
    folderOf: (session) => {
      // mkdtemp makes the folder 0700: only this user can read what was uploaded.
      session.folder ??= mkdtempSync(join(options.tempDir, 'lpsync-console-'));
      return session.folder;
    },
    end,
    sweep: () => {
      for (const session of [...sessions.values()])
        if (now() - session.lastSeenAt > options.idleMs) end(session.id);
    },
    endAll: () => {
      for (const id of [...sessions.keys()]) end(id);
    },
    onEnd: (listener) => listeners.push(listener),
    get size() {
      return sessions.size;
    },
  };
}
