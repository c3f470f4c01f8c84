/** One request as the audit trail records it: never a secret, only the SHA-256 of the masked body. */
export interface SentRequest {
  /** The planned action it was sent for; null while observing, reporting, or outside any action. */
  actionId: string | null;
  /** When it was sent (ISO). */
  at: string;
  method: string;
  /** As logged: masked. */
  path: string;
  /** The HTTP status, or `timeout` / `network` when no answer came. */
  status: number | 'timeout' | 'network';
  attempt: number;
  durationMs: number;
  /** The platform's execution messages in the answer (`Information: …`), masked. */
  messages: string[];
  /** SHA-256 (hex) of the request body as the HTTP trace shows it (secrets masked); null without a body. */
  bodySha256: string | null;
}
