/** Who runs lpsync, from where, and how it was typed: recorded by the audit trail (src/run/audit-trail.ts). */
import { hostname, userInfo } from 'node:os';
import type { RunInvocation } from '../run/index.js';
import { programName } from './invocation.js';

/** The OS user: the account's name, else $USER / $LOGNAME, else the uid (a container without a passwd entry). */
export function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** This process: user, host, pid, and the command line as typed (`lpsync apply book.xlsx …`). */
export function runInvocation(argv: readonly string[], env: NodeJS.ProcessEnv): RunInvocation {
  return { user: osUser(env), host: hostname(), pid: process.pid, commandLine: [programName(env), ...argv] };
}
