/**
 * `users add|list|remove|passwd` and the login every face checks an account with: the users file's
 * accounts (src/state/users-file.ts) and their scrypt hashes, under the login limiter the face owns.
 * Nothing here reads a terminal: the face reads the password and hands it over as typed.
 */
import { RunError } from '../model/errors.js';
import type { Role } from '../model/roles.js';
import {
  DEFAULT_SCRYPT_COST,
  hashPassword,
  passwordMatches,
  weakerThan,
  type PasswordHash,
  type ScryptCost,
} from '../state/passwords.js';
import { readUsersFile, writeUsersFile, type Account } from '../state/users-file.js';
import { withUsersFileLock } from '../state/users-lock.js';
import { isRefusal, type LoginLimiter, type LoginRefusal } from './login-limiter.js';

/** An account as shown: never its hash. */
export interface UserSummary {
  name: string;
  role: Role;
  createdAt: string;
  passwordChangedAt: string;
  /** The password's scrypt cost, and whether it is below what `users passwd` would use now. */
  hash: { algorithm: 'scrypt'; N: number; r: number; p: number; weak: boolean };
}

/** What an account's password must be: typed as it is, checked, never changed. */
export const PASSWORD_RULES = { minLength: 8, maxBytes: 1024 } as const;

export interface PasswordChange {
  usersFile: string;
  name: string;
  /** As typed: not trimmed, not normalised. */
  password: string;
  now: () => Date;
  /** The scrypt cost (default DEFAULT_SCRYPT_COST); recorded with the hash. */
  cost?: ScryptCost;
}

const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

function summary(account: Account, cost: ScryptCost): UserSummary {
  const { N, r, p } = account.password;
  return {
    name: account.name,
    role: account.role,
    createdAt: account.createdAt,
    passwordChangedAt: account.passwordChangedAt,
    hash: { algorithm: 'scrypt', N, r, p, weak: weakerThan(account.password, cost) },
  };
}

function checkName(name: string): void {
  if (!ACCOUNT_NAME.test(name))
    throw new RunError(
      'invalid-options',
      `Invalid account name "${name}": expected 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.`,
    );
}

function checkPassword(password: string): void {
  if ([...password].length < PASSWORD_RULES.minLength)
    throw new RunError(
      'invalid-options',
      `The password is too short: at least ${PASSWORD_RULES.minLength} characters (it is used as typed, spaces included).`,
    );
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_RULES.maxBytes)
    throw new RunError(
      'invalid-options',
      `The password is too long: at most ${PASSWORD_RULES.maxBytes} bytes.`,
    );
}

function accountsIn(usersFile: string): Account[] {
  const accounts = readUsersFile(usersFile);
  if (accounts === null)
    throw new RunError('users-file', `There is no users file at ${usersFile}.`, {
      hint: 'Add the first account: lpsync users add NAME --role operator|approver|auditor',
    });
  return accounts;
}

function accountNamed(accounts: readonly Account[], name: string, usersFile: string): Account {
  const account = accounts.find((a) => a.name === name);
  if (!account)
    throw new RunError('invalid-options', `There is no account ${name} in ${usersFile}.`, {
      hint: `The accounts: ${accounts.map((a) => a.name).join(', ') || 'none'}.`,
    });
  return account;
}

/** `users add NAME --role R`: a new account; a name taken (in any letter case) is refused. */
export async function addUser(options: PasswordChange & { role: Role }): Promise<{ user: UserSummary }> {
  checkName(options.name);
  checkPassword(options.password);
  const accounts = readUsersFile(options.usersFile) ?? [];
  const taken = accounts.find((a) => a.name.toLowerCase() === options.name.toLowerCase());
  if (taken)
    throw new RunError(
      'invalid-options',
      `The account ${taken.name} already exists in ${options.usersFile}.`,
      {
        hint: `To change its password: lpsync users passwd ${taken.name}`,
      },
    );
  const cost = options.cost ?? DEFAULT_SCRYPT_COST;
  const at = options.now().toISOString();
  const account: Account = {
    name: options.name,
    role: options.role,
    password: await hashPassword(options.password, cost),
    createdAt: at,
    passwordChangedAt: at,
  };
  // Read again after hashing (a fraction of a second), under the lock: an account added meanwhile is kept.
  withUsersFileLock(options.usersFile, () => {
    const now = readUsersFile(options.usersFile) ?? [];
    if (now.some((a) => a.name.toLowerCase() === options.name.toLowerCase()))
      throw new RunError(
        'invalid-options',
        `The account ${options.name} was added meanwhile to ${options.usersFile}.`,
      );
    writeUsersFile(options.usersFile, [...now, account]);
  });
  return { user: summary(account, cost) };
}

/** `users list`: the accounts, without their hashes. */
export function listUsers(options: { usersFile: string; cost?: ScryptCost }): { users: UserSummary[] } {
  const accounts = readUsersFile(options.usersFile) ?? [];
  return { users: accounts.map((a) => summary(a, options.cost ?? DEFAULT_SCRYPT_COST)) };
}

/** `users remove NAME`. */
export function removeUser(options: { usersFile: string; name: string }): { removed: UserSummary } {
  const account = withUsersFileLock(options.usersFile, () => {
    const accounts = accountsIn(options.usersFile);
    const named = accountNamed(accounts, options.name, options.usersFile);
    writeUsersFile(
      options.usersFile,
      accounts.filter((a) => a !== named),
    );
    return named;
  });
  return { removed: summary(account, DEFAULT_SCRYPT_COST) };
}

/** `users passwd NAME`: a new password, hashed at today's cost with a new salt. */
export async function changePassword(options: PasswordChange): Promise<{ user: UserSummary }> {
  checkPassword(options.password);
  accountNamed(accountsIn(options.usersFile), options.name, options.usersFile);
  const cost = options.cost ?? DEFAULT_SCRYPT_COST;
  const password = await hashPassword(options.password, cost);
  const changed = withUsersFileLock(options.usersFile, () => {
    const accounts = accountsIn(options.usersFile);
    const account = accountNamed(accounts, options.name, options.usersFile);
    const next: Account = { ...account, password, passwordChangedAt: options.now().toISOString() };
    writeUsersFile(
      options.usersFile,
      accounts.map((a) => (a === account ? next : a)),
    );
    return next;
  });
  return { user: summary(changed, cost) };
}

/** What a login comes to: the account (name and role), or why it was refused. */
export type LoginResult =
  { ok: true; user: { name: string; role: Role } } | { ok: false; refusal: LoginRefusal };

export interface LoginOptions {
  usersFile: string;
  name: string;
  /** As typed. */
  password: string;
  /** The face's limiter (one per server, or per CLI process); absent, nothing is limited. */
  limiter?: LoginLimiter;
  /** Where the attempt came from (the client's address); the CLI says `local`. */
  address?: string;
}

/**
 * Checks a name and password against the users file. A name that is not an account is refused as a
 * wrong password is, after the same work, so a refusal does not tell which names exist. A users file
 * that is missing or unsafe is a fault (thrown): the face was set up wrong, no person can fix it by typing.
 */
export async function verifyLogin(options: LoginOptions): Promise<LoginResult> {
  const attempt = options.limiter?.begin(options.name, options.address ?? 'local');
  if (attempt && isRefusal(attempt)) return { ok: false, refusal: attempt };
  let matched: boolean;
  let account: Account | undefined;
  try {
    const accounts = accountsIn(options.usersFile);
    account = accounts.find((a) => a.name === options.name);
    const against = account?.password ?? decoy(accounts[0]?.password);
    matched = (await passwordMatches(options.password, against)) && account !== undefined;
  } catch (error) {
    // Not the person's mistake: the attempt is not counted against them.
    attempt?.abandoned();
    throw error;
  }
  if (!matched || !account)
    return {
      ok: false,
      refusal: attempt?.failed() ?? { code: 'wrong-credentials', message: 'The name or password is wrong.' },
    };
  attempt?.succeeded();
  return { ok: true, user: { name: account.name, role: account.role } };
}

/** A hash no password matches, of the same cost as the file's: an unknown name takes as long as a known one. */
function decoy(like: PasswordHash | undefined): PasswordHash {
  const cost = like ?? { ...DEFAULT_SCRYPT_COST };
  return {
    algorithm: 'scrypt',
    N: cost.N,
    r: cost.r,
    p: cost.p,
    keyLength: cost.keyLength,
    salt: Buffer.alloc(16, 1).toString('base64'),
    hash: Buffer.alloc(cost.keyLength, 0).toString('base64'),
  };
}
