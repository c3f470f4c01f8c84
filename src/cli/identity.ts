/**
 * Who acts, for the commands whose author matters (plan --out, approve, apply): the OS user, as every run
 * records it; or, with `--as NAME` (or `--users FILE`), an lpsync account of the users file, proved by its
 * password (asked for as `users` asks) and allowed by its role. A team that works through one service
 * account on a shared machine tells its people apart this way; the console does the same with its login.
 */
import type { Options } from 'yargs';
import { RunError } from '../model/errors.js';
import { may, type Permission } from '../model/roles.js';
import * as run from '../run/index.js';
import type { RunInvocation } from '../run/index.js';
import { readPassword } from './password-input.js';
import { osUser, runInvocation } from './who.js';

/** `--as` and `--users`, spread into a command's options. */
export const identityOptions = {
  as: {
    type: 'string',
    describe:
      'Act as this lpsync account of --users (its password is read from the terminal or standard input); default: your OS user',
  },
  users: {
    type: 'string',
    describe: `The users file of --as (default ${run.DEFAULT_USERS_PATH})`,
  },
} satisfies { [name: string]: Options };

export interface IdentityArgs {
  as?: string;
  users?: string;
  [key: string]: unknown;
}

/** What the person may do as themselves: their OS user, or the account they proved with its password. */
export async function actingUser(
  args: IdentityArgs,
  env: NodeJS.ProcessEnv,
  /** Checked here; without it, the command checks the role itself (approve: after the author). */
  permission?: Permission,
): Promise<RunInvocation> {
  const invocation = runInvocation(process.argv.slice(2), env);
  if (args.as === undefined && args.users === undefined) return invocation;
  const name = args.as ?? invocation.user;
  const usersFile = args.users ?? run.DEFAULT_USERS_PATH;
  const password = await readPassword(
    { stdin: process.stdin, stderr: process.stderr },
    { prompt: `Password of ${name}: ` },
  );
  // One attempt per process: the limiter counts nothing across runs (the console's does).
  const login = await run.verifyLogin({ usersFile, name, password, address: 'local' });
  if (!login.ok)
    throw new RunError('not-permitted', `${login.refusal.message} (account ${name} of ${usersFile})`);
  const { role } = login.user;
  if (permission && !may(role, permission))
    throw new RunError(
      'not-permitted',
      `${name} is an account of role ${role}, which may not ${permission}.`,
      {
        hint: `Roles: operator (upload, plan, apply), approver (also approve), auditor (read only). ${name}'s role is set by: lpsync users add`,
      },
    );
  return { ...invocation, user: name, role, osUser: osUser(env) };
}
