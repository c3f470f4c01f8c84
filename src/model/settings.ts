/**
 * The connection settings by their identity, not by how they are set: a flag, a variable and a config
 * file key are the face's words for them. An error about a setting carries its identity as data, and the
 * face that knows where the value came from names it in the hint.
 */
export type SettingName =
  | 'baseUrl'
  /** The static token, or the client credentials (token URL, client id and secret, scope). */
  | 'credentials'
  | 'caFile'
  | 'insecure'
  | 'timeout'
  | 'maxResponse'
  | 'retries'
  | 'concurrency'
  | 'maxConcurrency'
  | 'rate'
  | 'proxy';
