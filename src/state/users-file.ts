/**
 * The users file (`--users`, default ./.lpsync/users.json): the accounts of a team, each with its role and
 * its password's scrypt hash. Only its owner may read it: a file that its group or others can read is
 * refused, as ssh refuses a private key others can read, and it is written whole or not at all (a
 * temporary file of mode 0600 beside it, synced, then renamed into place).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { RunError } from '../model/errors.js';
import { ROLES, type Role } from '../model/roles.js';
import { costProblem, type PasswordHash } from './passwords.js';
import { lazy } from '../model/zod-lazy.js';

export const USERS_FORMAT = 'lpsync-users';
export const USERS_FORMAT_VERSION = 1;

/** One account as the file keeps it. */
export interface Account {
  name: string;
  role: Role;
  password: PasswordHash;
  createdAt: string;
  passwordChangedAt: string;
}

/** The file's schema, built on first use. */
const fileSchema = lazy((z) => {
  const accountSchema = z.object({
    name: z.string(),
    role: z.enum(ROLES),
    password: z.object({
      algorithm: z.literal('scrypt'),
      N: z.number(),
      r: z.number(),
      p: z.number(),
      keyLength: z.number(),
      salt: z.string(),
      hash: z.string(),
    }),
    createdAt: z.string(),
    passwordChangedAt: z.string(),
  });
  const fileSchema = z.object({
    format: z.literal(USERS_FORMAT),
    formatVersion: z.literal(USERS_FORMAT_VERSION),
    users: z.array(accountSchema),
  });
  return fileSchema;
});

const refused = (path: string, message: string, hint?: string) =>
  new RunError('users-file', `The users file ${path} ${message}`, hint ? { hint } : {});

/** The accounts, or null when there is no file yet. Refused: a file others can read, or not an lpsync users file. */
export function readUsersFile(path: string): Account[] | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refused(path, `cannot be read: ${(error as Error).message}`);
  }
  let text: string;
  try {
    // The permissions of the file read, not of a name that could be swapped between a look and the read.
    checkPrivate(path, fstatSync(fd));
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  return parseUsers(path, text);
}

function checkPrivate(path: string, stat: { mode: number; uid: number; isFile(): boolean }): void {
  if (!stat.isFile()) throw refused(path, 'is not a file.');
  if (process.platform === 'win32') return;
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw refused(
      path,
      `can be read or written by others than its owner (permissions ${mode.toString(8).padStart(4, '0')}): it holds the team's password hashes, so lpsync will not use it.`,
      `Let only its owner read it: chmod 600 ${path}`,
    );
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw refused(
      path,
      `belongs to another user (uid ${stat.uid}; lpsync runs as uid ${uid}): lpsync uses a users file only when it is the file's owner.`,
      `Run lpsync as the file's owner, or make it yours: chown ${uid} ${path}`,
    );
}

function parseUsers(path: string, text: string): Account[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw refused(path, 'is not JSON: not an lpsync users file.');
  }
  const parsed = fileSchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw refused(
      path,
      `is not an lpsync users file of format ${USERS_FORMAT_VERSION}${where}: ${issue?.message ?? 'unexpected content'}.`,
    );
  }
  const names = new Set<string>();
  for (const account of parsed.data.users) {
    const problem = costProblem(account.password);
    if (problem)
      throw refused(path, `has a password hash for ${account.name} with a cost lpsync refuses: ${problem}.`);
    if (names.has(account.name)) throw refused(path, `has the account ${account.name} twice.`);
    names.add(account.name);
  }
  return parsed.data.users;
}

/** Writes the accounts: a folder made private (0700) when new, a file of mode 0600 renamed into place. */
export function writeUsersFile(path: string, accounts: readonly Account[]): void {
  const folder = dirname(path);
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify({ format: USERS_FORMAT, formatVersion: USERS_FORMAT_VERSION, users: accounts }, null, 2)}\n`;
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      // The umask could only take bits away; this makes it exactly 0600.
      fchmodSync(fd, 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw refused(
      path,
      `could not be written: ${(error as Error).message}`,
      `Check that ${basename(path)}'s folder is writable.`,
    );
  }
}
