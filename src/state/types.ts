/** One run of apply or reconcile as the state store keeps it. */
export interface RunRecord {
  runId: string;
  command: string;
  inputFile: string;
  inputDigest: string;
  baseUrl: string;
  startedAt: string;
  endedAt: string | null;
  /** `lock-lost`: another process took the writer lock over while this run was stopped; it sent nothing more. */
  status: 'running' | 'finished' | 'interrupted' | 'failed' | 'lock-lost';
  /** The saved plan this run applied (`apply --plan`), by its file's SHA-256. */
  plan: { sha256: string; file: string } | null;
}
