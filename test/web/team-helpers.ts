/**
 * A console for a team, in this process: a users file with an operator, an approver and an auditor (scrypt
 * at the lowest cost the file accepts, to keep the tests quick), a clock the test moves (sessions, the
 * login limiter and the runs all read it), and the answers' shared helpers.
 */
import { join } from 'node:path';
import { addUser } from '../../src/run/users.js';
import type { ConsoleOptions } from '../../src/web/index.js';
import type { Log } from '../../src/model/log.js';
import { startTestConsole, Visitor, type TestConsole } from './helpers.js';

export const PASSWORDS = {
  alice: 'Alice-Operator pw 7',
  bob: 'Bob-Approver pw 9',
  audrey: 'Audrey-Auditor pw 3',
} as const;
export const ROLE_OF = { alice: 'operator', bob: 'approver', audrey: 'auditor' } as const;
const TEST_COST = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };

/** The three accounts in a new users file in `dir`. */
export async function writeUsers(dir: string): Promise<string> {
  const usersFile = join(dir, 'users.json');
  for (const name of ['alice', 'bob', 'audrey'] as const)
    await addUser({
      usersFile,
      name,
      role: ROLE_OF[name],
      password: PASSWORDS[name],
      now: () => new Date(),
      cost: TEST_COST,
    });
  return usersFile;
}

/** A clock that moves only when the test says (from now: the runs' other times are the system's). */
export function movableClock(start = Date.now()) {
  const clock = { at: start, now: () => clock.at, move: (ms: number) => (clock.at += ms) };
  return clock;
}

export interface TeamConsole extends TestConsole {
  clock: ReturnType<typeof movableClock>;
  /** Signs a new visitor in as one of the three. */
  as(name: keyof typeof PASSWORDS): Promise<Visitor>;
}

/** The console with accounts, the given clock on sessions, logins and runs. */
export async function startTeamConsole(o: {
  baseUrl: string;
  dir: string;
  usersFile: string;
  log?: Log;
  /** LPSYNC_* settings (default the simulator's demo token). */
  env?: NodeJS.ProcessEnv;
  lockMs?: number;
  idleMs?: number;
  team?: Partial<Pick<ConsoleOptions, 'requireApproval' | 'tls' | 'behindTlsProxy' | 'publicUrl'>>;
}): Promise<TeamConsole> {
  const clock = movableClock();
  const web = await startTestConsole({
    baseUrl: o.baseUrl,
    statePath: join(o.dir, 'state.db'),
    reportsDir: join(o.dir, 'reports'),
    ...(o.log ? { log: o.log } : {}),
    ...(o.env ? { env: o.env } : {}),
    team: {
      accounts: {
        usersFile: o.usersFile,
        clock: clock.now,
        limits: { lockMs: o.lockMs ?? 10 * 60_000 },
      },
      requireApproval: true,
      now: () => new Date(clock.now()),
      idleMs: o.idleMs ?? 30 * 60_000,
      ...o.team,
    },
  });
  return {
    ...web,
    clock,
    as: async (name) => {
      const v = new Visitor(web.port, web.console.url);
      const answer = await v.login(name, PASSWORDS[name]);
      if (answer.status !== 303) throw new Error(`${name} could not sign in: ${answer.status}`);
      return v;
    },
  };
}

/** A route's path with every :parameter filled in. */
export function filled(url: string): string {
  return url.replace(/:[A-Za-z]+/g, (p) => (p === ':sha' ? 'a'.repeat(64) : 'x1'));
}
