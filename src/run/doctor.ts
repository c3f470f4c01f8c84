/**
 * `lpsync doctor`: whether lpsync can work from here, one check at a time, each with what to do
 * when it cannot. Read-only: one token request, one listing, one Get SIP Connection; nothing is
 * sent that changes the platform and nothing is written on disk (the state store is read from a
 * copy). Settings in, a list of checks out; the CLI chooses how to show them. The checks are in
 * ./doctor/, one module per thing checked; a check that cannot be tried because an earlier one failed
 * says so (`notTried`).
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { Log } from '../model/log.js';
import type { AuthSettings } from '../api/index.js';
import type { ProxyRules } from '../api/proxy.js';
import type { Redactor } from '../model/redact.js';
import { API_CHECKS, apiChecks } from './doctor/api.js';
import { exitCodeOf, notTried, type Check } from './doctor/check.js';
import { pathChecks } from './doctor/network.js';
import { settingsCheck, urlCheck } from './doctor/settings.js';
import { stateCheck } from './doctor/state.js';

export type { Check, CheckStatus } from './doctor/check.js';

export interface DoctorReport {
  checks: Check[];
  /** 0 all green, 1 warnings, 3 lpsync cannot work. */
  exitCode: 0 | 1 | 3;
}

/** The connection settings doctor needs (what `resolveConnection` answers). */
export interface DoctorSettings {
  baseUrl: string;
  auth: AuthSettings;
  caFile?: string;
  insecure: boolean;
  timeoutMs: number;
  /** The cap on one answer (`--max-response-mb`), in bytes; the client's default when absent. */
  maxResponseBytes?: number;
  proxy: ProxyRules;
  sources: Record<string, string>;
}

export interface DoctorInput {
  /** The settings, or why they could not be resolved. */
  settings: DoctorSettings | { problem: string; hint?: string };
  statePath: string;
  logger: Log;
  redactor: Redactor;
  /** The clock (ms since the epoch), for expiry and skew. */
  now: () => number;
}

/** Every check in order: the settings, the network path and the API when settings resolve, the state store. */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const { settings } = input;
  const checks = [settingsCheck(settings)];
  if (!('problem' in settings)) checks.push(...(await platformChecks(settings, input)));
  checks.push(stateCheck(input.statePath));
  const shown = checks.map((check) => ({ ...check, detail: input.redactor.text(check.detail) }));
  return { checks: shown, exitCode: exitCodeOf(shown) };
}

/** The base URL, the network path to the platform (and its token endpoint), then the API through it. */
async function platformChecks(s: DoctorSettings, input: DoctorInput): Promise<Check[]> {
  const checks = [urlCheck(s)];
  const base = new URL(s.baseUrl);
  const ca = s.caFile ? [...tls.rootCertificates, readFileSync(s.caFile, 'utf8')] : undefined;
  const platform = await pathChecks(base, false, s, ca, input.now);
  checks.push(...platform.checks);
  if (s.auth.kind === 'client-credentials') {
    const tokenUrl = new URL(s.auth.tokenUrl);
    if (tokenUrl.host !== base.host || tokenUrl.protocol !== base.protocol)
      checks.push(...(await pathChecks(tokenUrl, true, s, ca, input.now)).checks);
  }
  if (!platform.reachable)
    return [...checks, ...notTried(API_CHECKS, 'the Live Platform cannot be reached (see above)')];
  return [...checks, ...(await apiChecks(s, input))];
}
