/**
 * `lpsync users add|list|remove|passwd`: the team's accounts in the users file (only its owner can read
 * it). A password is read from the terminal without echo (twice, to confirm) or from standard input's
 * first line; there is no option for it.
 */
import type { Argv, CommandModule } from 'yargs';
import { EXIT } from '../../model/errors.js';
import { ROLES, type Role } from '../../model/roles.js';
import * as run from '../../run/index.js';
import type { UserSummary } from '../../run/index.js';
import { programName } from '../invocation.js';
import { faultOutcome, printOutcome, type CommandOutcome } from '../outcome.js';
import { readPassword } from '../password-input.js';

interface UsersArgs {
  users: string;
  name?: string;
  role?: Role;
  format?: 'text' | 'json';
  [key: string]: unknown;
}

const usersOption = {
  type: 'string',
  default: run.DEFAULT_USERS_PATH,
  describe: 'The users file (created with mode 0600; refused when others can read it)',
} as const;

const withName = (yargs: Argv) =>
  yargs.positional('name', { type: 'string', describe: 'The account name', demandOption: true });

const PASSWORD_EPILOG =
  'The password is read from the terminal without echo, or from the first line of standard input when that is not a terminal (printf \'%s\\n\' "$PASSWORD" | lpsync users …); never from an argument. At least 8 characters, used exactly as typed.';

const streams = () => ({ stdin: process.stdin, stderr: process.stderr });

const addCommand: CommandModule<object, UsersArgs> = {
  command: 'add <name>',
  describe: 'Add an account with its role; asks for its password',
  builder: (yargs) =>
    withName(yargs as Argv)
      .options({
        role: { choices: ROLES, demandOption: true, describe: 'operator, approver or auditor' },
        users: usersOption,
      })
      .example('$0 users add alice --role operator', 'asks for the password twice')
      .epilog(PASSWORD_EPILOG),
  handler: async (argv) =>
    printOutcome(
      await outcome(async () => {
        const password = await readPassword(streams(), {
          prompt: `Password of ${argv.name}: `,
          confirm: 'The same password again: ',
        });
        const { user } = await run.addUser({
          usersFile: argv.users,
          name: String(argv.name),
          role: argv.role as Role,
          password,
          now: () => new Date(),
        });
        return `Added ${user.name} (${user.role}) to ${argv.users}.`;
      }),
    ),
};

const listCommand: CommandModule<object, UsersArgs> = {
  command: 'list',
  describe: 'List the accounts: name, role, when added, when the password changed',
  builder: (yargs) =>
    yargs.options({
      users: usersOption,
      format: { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Text or JSON' },
    }),
  handler: async (argv) =>
    printOutcome(
      await outcome(async () => {
        const { users } = await run.listUsers({ usersFile: argv.users });
        return argv.format === 'json' ? JSON.stringify(users, null, 2) : usersTable(users, argv.users);
      }),
    ),
};

const removeCommand: CommandModule<object, UsersArgs> = {
  command: 'remove <name>',
  describe: 'Remove an account',
  builder: (yargs) => withName(yargs as Argv).options({ users: usersOption }),
  handler: async (argv) =>
    printOutcome(
      await outcome(async () => {
        const { removed } = await run.removeUser({ usersFile: argv.users, name: String(argv.name) });
        return `Removed ${removed.name} (${removed.role}) from ${argv.users}.`;
      }),
    ),
};

const passwdCommand: CommandModule<object, UsersArgs> = {
  command: 'passwd <name>',
  describe: "Set an account's password (hashed at today's cost, with a new salt)",
  builder: (yargs) =>
    withName(yargs as Argv)
      .options({ users: usersOption })
      .epilog(PASSWORD_EPILOG),
  handler: async (argv) =>
    printOutcome(
      await outcome(async () => {
        const password = await readPassword(streams(), {
          prompt: `New password of ${argv.name}: `,
          confirm: 'The same password again: ',
        });
        const { user } = await run.changePassword({
          usersFile: argv.users,
          name: String(argv.name),
          password,
          now: () => new Date(),
        });
        return `Changed the password of ${user.name} (${user.role}) in ${argv.users}.`;
      }),
    ),
};

export const usersCommand: CommandModule = {
  command: 'users <command>',
  describe: 'The accounts of a team (users add|list|remove|passwd): roles operator, approver, auditor',
  builder: (yargs) =>
    yargs
      .command(addCommand as CommandModule)
      .command(listCommand as CommandModule)
      .command(removeCommand as CommandModule)
      .command(passwdCommand as CommandModule)
      .demandCommand(1, 'Name one: users add, users list, users remove, users passwd'),
  handler: () => undefined,
};

async function outcome(work: () => Promise<string>): Promise<CommandOutcome> {
  try {
    return { exitCode: EXIT.ok, stdout: await work(), stderr: '' };
  } catch (error) {
    return faultOutcome(error, 'lpsync users: ');
  }
}

/** One line per account; a hash made at less than today's cost says how to raise it. */
function usersTable(users: UserSummary[], file: string): string {
  if (users.length === 0)
    return `No accounts in ${file}. Add one: ${programName(process.env)} users add NAME --role operator`;
  const rows = users.map((u) => [
    u.name,
    u.role,
    u.createdAt,
    u.passwordChangedAt,
    `scrypt N=${u.hash.N} r=${u.hash.r} p=${u.hash.p}${u.hash.weak ? ` (below today's cost: ${programName(process.env)} users passwd ${u.name})` : ''}`,
  ]);
  const header = ['Name', 'Role', 'Added', 'Password changed', 'Hash'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
