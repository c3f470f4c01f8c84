import type { RunSummary } from './types.js';

/**
 * How a run ended, as notifications and metrics see it: the summary when the run got that far,
 * otherwise the run-ending message (invalid input, Live Platform unreachable, lock held…).
 */
export interface RunOutcome {
  command: string;
  exitCode: number;
  startedAt: string;
  endedAt: string;
  lpsyncVersion: string;
  /** Where it ran: a notification from cron should say which machine. */
  host: string;
  summary: RunSummary | null;
  /** The run-ending fault, masked; null when the run reached its summary. */
  error: string | null;
}

/** HTTP counts of the run, from the client (`ClientStats`). */
export interface RunHttpCounts {
  requests: number;
  retries: number;
  byStatus: Record<string, number>;
  throttled: number;
}

/** What the exit code means, in a word or two. */
export function outcomeWord(exitCode: number): string {
  switch (exitCode) {
    case 0:
      return 'succeeded';
    case 1:
      return 'rows need a look';
    case 2:
      return 'invalid input or options';
    case 3:
      return 'failed';
    case 4:
      return 'not run: another run holds the lock';
    case 130:
      return 'interrupted';
    case 143:
      return 'terminated (SIGTERM)';
    default:
      return `ended with exit code ${exitCode}`;
  }
}

const CHANGES = ['create-customer', 'create-oc-service', 'add-site', 'modify-site'];

/** Writes that reached the platform and succeeded. */
export function changesMade(summary: RunSummary | null): number {
  if (!summary) return 0;
  return CHANGES.reduce((n, kind) => n + (summary.byActionStatus[kind]?.['succeeded'] ?? 0), 0);
}
