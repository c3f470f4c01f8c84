/**
 * Where the settings a fault is about were set. A fault from the layers below names its settings by
 * identity (`error.settings`); only the CLI knows whether each came from a flag, the environment, the
 * config file or the default, so it says so beside the hint: "(base URL: "baseUrl" in /etc/lpsync.json)".
 */
import { LpsyncError } from '../model/errors.js';
import type { SettingName } from '../model/settings.js';

const LABELS: Record<SettingName, string> = {
  baseUrl: 'base URL',
  credentials: 'credentials',
  caFile: 'CA file',
  insecure: 'TLS verification off',
  timeout: 'timeout',
  maxResponse: 'largest answer',
  retries: 'retries',
  concurrency: 'concurrency',
  maxConcurrency: 'most concurrency',
  rate: 'rate',
  proxy: 'proxy',
};

/** `(base URL: LPSYNC_BASE_URL; timeout: default)`, or '' when the fault names no setting or none is known. */
export function settingOrigins(
  error: unknown,
  sources: Partial<Record<SettingName, string>> | undefined,
): string {
  if (!(error instanceof LpsyncError) || !error.settings || !sources) return '';
  const known = error.settings.filter((s) => sources[s] !== undefined);
  if (known.length === 0) return '';
  return `(${known.map((s) => `${LABELS[s]}: ${sources[s]}`).join('; ')})`;
}
