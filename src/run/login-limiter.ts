/**
 * Login attempts limited per account and per address: after `maxFailures` wrong passwords for one name
 * (within `lockMs` of each other) that name is locked for `lockMs`, and after `addressMaxFailures` from one
 * address, whichever names it tried, that address is. A locked-out account says so, with the time it opens
 * again. The limiter is an object its server owns, on a clock it is given: nothing global, and a test moves
 * the clock instead of waiting.
 */
import { RunError } from '../model/errors.js';

export interface LoginLimits {
  /** Wrong passwords for one name before it is locked (default 5). */
  maxFailures: number;
  /** How long a lock lasts, and how long a wrong password counts (default 15 minutes). */
  lockMs: number;
  /** Wrong passwords from one address, whichever names, before it is locked (default 20). */
  addressMaxFailures: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  maxFailures: 5,
  lockMs: 15 * 60_000,
  addressMaxFailures: 20,
};

/** Why a login was refused, as a value: a code for the face, a message for the person. */
export interface LoginRefusal {
  code: 'wrong-credentials' | 'account-locked' | 'address-locked' | 'too-many-attempts';
  message: string;
  /** When the lock ends (ISO), for a lock. */
  until?: string;
}

/** One login attempt under way: end it with what became of it. */
export interface LoginAttempt {
  /** The password was wrong: counted; the refusal says whether that locked the name or the address. */
  failed(): LoginRefusal;
  succeeded(): void;
  /** Neither: the check could not be made (the users file unreadable); nothing is counted. */
  abandoned(): void;
}

export interface LoginLimiter {
  readonly limits: LoginLimits;
  /** Starts an attempt, or refuses it at once (locked, or as many attempts under way as are left). */
  begin(name: string, address: string): LoginAttempt | LoginRefusal;
}

interface Tally {
  /** Times (ms) of the wrong passwords that still count. */
  failures: number[];
  lockedUntil: number | null;
  inFlight: number;
}

/** Beyond this many names or addresses tallied, those with nothing left to count are forgotten. */
const SWEEP_AT = 10_000;

const WRONG = 'The name or password is wrong.';

/** The refusal of a locked name or address, with the time its lock ends. */
function locked(limits: LoginLimits, t: Tally, name: string | null): LoginRefusal {
  const until = new Date(t.lockedUntil ?? 0).toISOString();
  return name === null
    ? {
        code: 'address-locked',
        message: `Logins from this address are locked after ${limits.addressMaxFailures} wrong passwords, until ${until}.`,
        until,
      }
    : {
        code: 'account-locked',
        message: `The account ${name} is locked after ${limits.maxFailures} wrong passwords, until ${until}.`,
        until,
      };
}

/** The limits given, the rest defaulted; each a whole number of 1 or more. */
function limitsOf(options: Partial<LoginLimits>): LoginLimits {
  const limits: LoginLimits = { ...DEFAULT_LOGIN_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof LoginLimits>)
    if (options[key] !== undefined) limits[key] = options[key];
  for (const [key, value] of Object.entries(limits))
    if (!Number.isInteger(value) || value < 1)
      throw new RunError(
        'invalid-options',
        `Invalid login limit ${key}: expected a whole number of 1 or more, got ${value}`,
      );
  return limits;
}

/** A limiter with the limits given (the rest default) on the clock given (default the system's). */
export function createLoginLimiter(
  options: Partial<LoginLimits> & { now?: () => number } = {},
): LoginLimiter {
  const limits = limitsOf(options);
  const now = options.now ?? (() => Date.now());
  const names = new Map<string, Tally>();
  const addresses = new Map<string, Tally>();
  const tally = (map: Map<string, Tally>, key: string): Tally => {
    let t = map.get(key);
    if (!t) map.set(key, (t = { failures: [], lockedUntil: null, inFlight: 0 }));
    const at = now();
    if (t.lockedUntil !== null && at >= t.lockedUntil) t.lockedUntil = null;
    t.failures = t.failures.filter((f) => at - f < limits.lockMs);
    return t;
  };
  /** Counts a wrong password; true when that locks the tally. */
  const fail = (t: Tally, max: number): boolean => {
    t.failures.push(now());
    if (t.failures.length < max) return false;
    t.lockedUntil = now() + limits.lockMs;
    t.failures = [];
    return true;
  };
  const failed = (name: string, byName: Tally, byAddress: Tally): LoginRefusal => {
    const addressLocked = fail(byAddress, limits.addressMaxFailures);
    const nameLocked = fail(byName, limits.maxFailures);
    sweep(names, now(), limits.lockMs);
    sweep(addresses, now(), limits.lockMs);
    const lock = nameLocked
      ? locked(limits, byName, name)
      : addressLocked
        ? locked(limits, byAddress, null)
        : null;
    return lock
      ? { ...lock, message: `${WRONG} ${lock.message}` }
      : { code: 'wrong-credentials', message: WRONG };
  };

  return {
    limits,
    begin: (name, address) => {
      const byName = tally(names, name);
      const byAddress = tally(addresses, address);
      if (byAddress.lockedUntil !== null) return locked(limits, byAddress, null);
      if (byName.lockedUntil !== null) return locked(limits, byName, name);
      // Attempts under way count: a burst cannot try more passwords than the lock allows.
      if (byName.failures.length + byName.inFlight >= limits.maxFailures)
        return {
          code: 'too-many-attempts',
          message: `Too many logins for ${name} at once: try again in a moment.`,
        };
      byName.inFlight += 1;
      let ended = false;
      const end = (): void => {
        if (ended) throw new Error('a login attempt ends once');
        ended = true;
        byName.inFlight -= 1;
      };
      return {
        failed: () => {
          end();
          return failed(name, byName, byAddress);
        },
        succeeded: () => {
          end();
          // The name's count starts again; the address's does not (one good account must not cover a spray).
          byName.failures = [];
        },
        abandoned: end,
      };
    },
  };
}

/** Forgets the tallies with nothing left to count once there are many (a spray of made-up names). */
function sweep(map: Map<string, Tally>, at: number, lockMs: number): void {
  if (map.size < SWEEP_AT) return;
  for (const [key, t] of map)
    if (
      t.inFlight === 0 &&
      (t.lockedUntil === null || at >= t.lockedUntil) &&
      t.failures.every((f) => at - f >= lockMs)
    )
      map.delete(key);
}

/** Whether a login's outcome is a refusal (rather than an attempt under way). */
export function isRefusal(value: LoginAttempt | LoginRefusal): value is LoginRefusal {
  return 'code' in value;
}
