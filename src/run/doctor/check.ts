/** What one doctor check answers, and the one way to say a check was not tried. */

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** A check's name: its id for machines and its title for people. */
export interface CheckName {
  id: string;
  title: string;
}

export interface Check extends CheckName {
  status: CheckStatus;
  /** What was found, in one line. */
  detail: string;
  /** What to do, for a warning or a failure. */
  hint?: string;
  data?: Record<string, unknown>;
}

/** Checks not tried because an earlier one failed, each saying why. */
export function notTried(names: readonly CheckName[], because: string): Check[] {
  return names.map(({ id, title }) => ({ id, title, status: 'skip', detail: `not tried: ${because}` }));
}

/** 0 all green, 1 warnings, 3 lpsync cannot work. */
export function exitCodeOf(checks: readonly Check[]): 0 | 1 | 3 {
  if (checks.some((c) => c.status === 'fail')) return 3;
  return checks.some((c) => c.status === 'warn') ? 1 : 0;
}
