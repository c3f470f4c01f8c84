/** One run of apply or reconcile as the state store keeps it. */
export interface RunRecord {
  runId: string;
  command: string;
  inputFile: string;
  inputDigest: string;
  baseUrl: string;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'finished' | 'interrupted' | 'failed';
  /** The saved plan this run applied (`apply --plan`), by its file's SHA-256. */
  plan: { sha256: string; file: string } | null;
}
