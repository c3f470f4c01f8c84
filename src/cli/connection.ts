/**
 * Connection settings for the commands that talk to a Live Platform (plan, apply, reconcile):
 * flags, then environment, then a JSON config file — normalised by one zod schema here.
 * Secrets (token, client secret) come only from the environment or the config file.
 */
import {
  AUTO_START_CONCURRENCY,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RESPONSE_MB,
  DEFAULT_TIMEOUT_MS,
} from '../model/defaults.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { RunError } from '../model/errors.js';
import type { SettingName } from '../model/settings.js';
import {
  resolveProxyRules,
  type AuthSettings,
  type ConcurrencySetting,
  type ConnectionSettings,
  type ProxyRules,
  type SettingsProblem,
} from '../run/index.js';
import { readConfig, type ConfigFile } from './config-file.js';
import { usualSettings } from './usual-settings.js';
import { isHttpUrl } from '../model/http-url.js';
import { lazy } from '../model/zod-lazy.js';

export { connectionOptions, CONNECTION_HELP, EXIT_CODES_HELP } from './connection-options.js';
export type { ConnectionSettings, SettingName };

/** The schemas, built on first use: the usual settings are read by hand (usual-settings.ts). */
export const settingSchemas = lazy((z) => {
  const httpUrl = (what: string) =>
    z
      .string()
      .trim()
      .refine(isHttpUrl, {
        message: `${what}: expected an http(s) URL`,
      });

  const settingsSchema = z.object({
    baseUrl: httpUrl('--base-url / LPSYNC_BASE_URL / "baseUrl"').transform((u) => u.replace(/\/+$/, '')),
    caFile: z.string().optional(),
    insecure: z.boolean(),
    timeout: z.number({ message: '--timeout: expected seconds' }).positive('--timeout: expected seconds > 0'),
    retries: z.number().int('--retries: expected a whole number').min(0, '--retries: expected 0 or more'),
    maxResponseMb: z
      .number({ message: '--max-response-mb: expected a number of MiB' })
      .positive('--max-response-mb: expected a number of MiB > 0')
      .max(4096, '--max-response-mb: expected at most 4096 MiB'),
    rate: z.number().positive('--rate: expected requests per second > 0').optional(),
  });
  return { httpUrl, settingsSchema };
});

/** The settings as the schema gives them. */
export type SettingFields = z.output<ReturnType<typeof settingSchemas>['settingsSchema']>;

const SOURCES = 'the environment or the --config file';
const BASE_URL_HINT = 'It is the provider host followed by /tenantui, e.g. https://lp.example.com/tenantui';

/** The settings, or what is wrong with them as a value: the command says it once its input is valid. */
export function connectionOrProblem(
  argv: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): ConnectionSettings | SettingsProblem {
  try {
    return resolveConnection(argv, env);
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    return { problem: error };
  }
}

/** Resolves flags, environment and config file into settings; anything missing or invalid is RunError('invalid-options'). */
export function resolveConnection(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): ConnectionSettings {
  const from = settingInputs(argv, env);
  const { config, sources } = from;
  // Each choice records its source as it is made: `lpsync doctor` lists them in this order.
  const caFile = chooseCaFile(from);
  const baseUrl = chooseBaseUrl(from);
  const raw = {
    baseUrl,
    ...(caFile === undefined ? {} : { caFile }),
    insecure: choose(from, 'insecure', 'insecure', 'insecure', config.insecure, false),
    timeout: choose(from, 'timeout', 'timeout', 'timeout', config.timeout, DEFAULT_TIMEOUT_MS / 1000),
    retries: choose(from, 'retries', 'retries', 'retries', config.retries, DEFAULT_MAX_ATTEMPTS - 1),
    maxResponseMb: choose(
      from,
      'maxResponse',
      'max-response-mb',
      'maxResponseMb',
      config.maxResponseMb,
      DEFAULT_MAX_RESPONSE_MB,
    ),
    ...chooseRate(from),
  };
  const { settings: s, concurrency } = validSettings(
    raw,
    concurrencySetting(
      choose(from, 'concurrency', 'concurrency', 'concurrency', config.concurrency, DEFAULT_CONCURRENCY),
      choose(from, 'maxConcurrency', 'max-concurrency', 'maxConcurrency', config.maxConcurrency, undefined),
    ),
  );
  if (s.caFile !== undefined) assertReadable(s.caFile, '--ca-file');
  const proxy = chooseProxy(from, env);
  const auth = resolveAuth(config, from.envText);
  sources.credentials = authSource(auth, from.envText, from.inConfig);
  const traceHttp = from.flag('trace-http', 'traceHttp');
  return {
    baseUrl: s.baseUrl,
    auth,
    ...(s.caFile === undefined ? {} : { caFile: s.caFile }),
    insecure: s.insecure,
    timeoutMs: Math.round(s.timeout * 1000),
    maxResponseBytes: Math.round(s.maxResponseMb * 1024 * 1024),
    maxAttempts: s.retries + 1,
    concurrency,
    ...(s.rate === undefined ? {} : { rate: s.rate }),
    proxy,
    ...(typeof traceHttp === 'string' && traceHttp !== '' ? { traceHttp: path.resolve(traceHttp) } : {}),
    sources,
  };
}

/** Where settings are read from (flags, environment, config file), and where each one came from so far. */
interface SettingInputs {
  flag: (name: string, camel: string) => unknown;
  /** A variable's trimmed value; undefined when unset or blank. */
  envText: (name: string) => string | undefined;
  /** Absolute; undefined without `--config`. */
  configPath?: string;
  config: ConfigFile;
  /** `"key" in /path/lpsync.json`: a setting's source when the config file gave it. */
  inConfig: (key: string) => string;
  sources: Record<SettingName, string>;
}

function settingInputs(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): SettingInputs {
  const configPath =
    typeof argv.config === 'string' && argv.config !== '' ? path.resolve(argv.config) : undefined;
  return {
    flag: (name, camel) => argv[name] ?? argv[camel],
    envText: (name) => {
      const v = env[name];
      return v === undefined || v.trim() === '' ? undefined : v.trim();
    },
    config: configPath ? readConfig(configPath) : {},
    inConfig: (key) => `"${key}" in ${configPath ?? 'the config file'}`,
    sources: {} as Record<SettingName, string>,
    ...(configPath === undefined ? {} : { configPath }),
  };
}

/** The first of flag, config (in that order, for settings without an environment variable), or the default. */
function choose<T>(
  from: SettingInputs,
  setting: SettingName,
  name: string,
  camel: string,
  fromConfig: T | undefined,
  fallback: T,
): unknown {
  const given = from.flag(name, camel);
  if (given !== undefined) {
    from.sources[setting] = `--${name}`;
    return given;
  }
  if (fromConfig !== undefined) {
    from.sources[setting] = from.inConfig(camel);
    return fromConfig;
  }
  from.sources[setting] = 'default';
  return fallback;
}

/** `--ca-file` from the working folder, or `"caFile"` from the config file's folder. */
function chooseCaFile(from: SettingInputs): string | undefined {
  const { configPath } = from;
  const flagCaFile = from.flag('ca-file', 'caFile');
  const flagged = typeof flagCaFile === 'string' && flagCaFile !== '';
  const caFile = flagged
    ? path.resolve(flagCaFile)
    : from.config.caFile && configPath
      ? path.resolve(path.dirname(configPath), from.config.caFile)
      : undefined;
  from.sources.caFile = flagged ? '--ca-file' : caFile ? from.inConfig('caFile') : 'not set (public roots)';
  return caFile;
}

/** The Live Platform URL, from flag, environment or config file; missing or not http(s) ends the run here. */
function chooseBaseUrl(from: SettingInputs): unknown {
  const flagBaseUrl = from.flag('base-url', 'baseUrl');
  const baseUrl = flagBaseUrl ?? from.envText('LPSYNC_BASE_URL') ?? from.config.baseUrl;
  from.sources.baseUrl =
    flagBaseUrl !== undefined
      ? '--base-url'
      : from.envText('LPSYNC_BASE_URL') !== undefined
        ? 'LPSYNC_BASE_URL'
        : from.inConfig('baseUrl');
  if (baseUrl === undefined || baseUrl === '') {
    throw new RunError(
      'invalid-options',
      'No Live Platform URL: pass --base-url, set LPSYNC_BASE_URL, or put "baseUrl" in the --config file.',
      { hint: BASE_URL_HINT },
    );
  }
  if (typeof baseUrl === 'string' && !isHttpUrl(baseUrl.trim())) {
    throw new RunError(
      'invalid-options',
      `--base-url / LPSYNC_BASE_URL / "baseUrl": expected an http(s) URL, got "${baseUrl.trim()}"`,
      { hint: BASE_URL_HINT },
    );
  }
  return baseUrl;
}

/** `--rate`: no cap unless given. */
function chooseRate(from: SettingInputs): { rate?: unknown } {
  const rate = choose(from, 'rate', 'rate', 'rate', from.config.rate, undefined);
  if (rate === undefined) from.sources.rate = 'not set (no cap)';
  return rate === undefined ? {} : { rate };
}

/** The settings checked together, so one message names every problem (concurrency's included). */
function validSettings(
  raw: Record<string, unknown>,
  concurrency: ConcurrencySetting | string,
): { settings: SettingFields; concurrency: ConcurrencySetting } {
  const usual = usualSettings(raw);
  const parsed = usual
    ? { success: true as const, data: usual }
    : settingSchemas().settingsSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => i.message)),
    ...(typeof concurrency === 'string' ? [concurrency] : []),
  ];
  if (!parsed.success || typeof concurrency === 'string') {
    throw new RunError('invalid-options', `Invalid connection settings: ${problems.join('; ')}`);
  }
  return { settings: parsed.data, concurrency };
}

/** The proxy rules: `--proxy` or the config file's `"proxy"` before the environment's variables. */
function chooseProxy(from: SettingInputs, env: NodeJS.ProcessEnv): ProxyRules {
  const { config, inConfig } = from;
  const flagProxy = from.flag('proxy', 'proxy');
  const explicitProxy =
    typeof flagProxy === 'string' && flagProxy.trim() !== ''
      ? { value: flagProxy, source: '--proxy' }
      : config.proxy
        ? { value: config.proxy, source: inConfig('proxy') }
        : undefined;
  const proxy = resolveProxyRules({
    ...(explicitProxy ? { explicit: explicitProxy } : {}),
    ...(config.noProxy ? { explicitNoProxy: { value: config.noProxy, source: inConfig('noProxy') } } : {}),
    env,
  });
  const proxySources = [...new Set([proxy.https?.source, proxy.http?.source].filter(Boolean))];
  from.sources.proxy = proxySources.length ? proxySources.join(', ') : 'not set (direct)';
  return proxy;
}

const wholeAtLeastOne = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** A whole number, also as the text a string flag hands over; anything else as it came. */
function wholeNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
}

/**
 * `--concurrency auto|N` with `--max-concurrency N`: the setting, or what is wrong with it (reported with the
 * other settings' problems). A pinned number is what the person asked for: the maximum bounds `auto` only.
 */
function concurrencySetting(concurrency: unknown, maxConcurrency: unknown): ConcurrencySetting | string {
  const got = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));
  const given = concurrency ?? DEFAULT_CONCURRENCY;
  const maxGiven = maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const max = wholeNumber(maxGiven);
  if (!wholeAtLeastOne(max))
    return `--max-concurrency: expected a whole number of 1 or more, got ${got(maxGiven)}`;
  if (typeof given === 'string' && given.trim().toLowerCase() === 'auto')
    return { mode: 'auto', start: Math.min(AUTO_START_CONCURRENCY, max), max };
  const limit = wholeNumber(given);
  if (wholeAtLeastOne(limit)) return { mode: 'fixed', limit };
  return `--concurrency: expected "auto" or a whole number of 1 or more, got ${got(given)}`;
}

/** Where the credentials came from: each variable from the environment or the config file. */
function authSource(
  auth: AuthSettings,
  envText: (name: string) => string | undefined,
  inConfig: (key: string) => string,
): string {
  const one = (envName: string, key: string) => (envText(envName) !== undefined ? envName : inConfig(key));
  if (auth.kind === 'token') return `static token from ${one('LPSYNC_TOKEN', 'token')}`;
  const parts = [
    one('LPSYNC_TOKEN_URL', 'tokenUrl'),
    one('LPSYNC_CLIENT_ID', 'clientId'),
    one('LPSYNC_CLIENT_SECRET', 'clientSecret'),
  ];
  if (auth.scope !== undefined) parts.push(one('LPSYNC_SCOPE', 'scope'));
  return `client credentials from ${[...new Set(parts)].join(', ')}`;
}

function resolveAuth(config: ConfigFile, envText: (name: string) => string | undefined): AuthSettings {
  const token = envText('LPSYNC_TOKEN') ?? config.token;
  const cc = {
    LPSYNC_TOKEN_URL: envText('LPSYNC_TOKEN_URL') ?? config.tokenUrl,
    LPSYNC_CLIENT_ID: envText('LPSYNC_CLIENT_ID') ?? config.clientId,
    LPSYNC_CLIENT_SECRET: envText('LPSYNC_CLIENT_SECRET') ?? config.clientSecret,
  };
  const given = Object.entries(cc).filter(([, v]) => v !== undefined && v !== '');
  if (token !== undefined && token !== '') {
    if (given.length) {
      throw new RunError(
        'invalid-options',
        `Both a static token (LPSYNC_TOKEN) and client credentials (${given.map(([k]) => k).join(', ')}) are set: keep one.`,
      );
    }
    return { kind: 'token', token };
  }
  if (!given.length) {
    throw new RunError(
      'invalid-options',
      `No credentials: set LPSYNC_TOKEN, or LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID and LPSYNC_CLIENT_SECRET (in ${SOURCES}).`,
      { hint: 'Secrets are never taken from the command line.' },
    );
  }
  const missing = Object.entries(cc)
    .filter(([, v]) => v === undefined || v === '')
    .map(([k]) => k);
  if (missing.length) {
    throw new RunError(
      'invalid-options',
      `Incomplete client credentials: ${missing.join(', ')} missing (set in ${SOURCES}).`,
    );
  }
  const tokenUrlGiven = cc.LPSYNC_TOKEN_URL;
  const tokenUrl =
    typeof tokenUrlGiven === 'string' && isHttpUrl(tokenUrlGiven.trim())
      ? { success: true as const, data: tokenUrlGiven.trim() }
      : settingSchemas().httpUrl('LPSYNC_TOKEN_URL / "tokenUrl"').safeParse(tokenUrlGiven);
  if (!tokenUrl.success) {
    throw new RunError('invalid-options', tokenUrl.error.issues.map((i) => i.message).join('; '));
  }
  const scope = envText('LPSYNC_SCOPE') ?? config.scope;
  return {
    kind: 'client-credentials',
    tokenUrl: tokenUrl.data,
    clientId: cc.LPSYNC_CLIENT_ID as string,
    clientSecret: cc.LPSYNC_CLIENT_SECRET as string,
    ...(scope === undefined || scope === '' ? {} : { scope }),
  };
}

function assertReadable(file: string, what: string): void {
  try {
    readFileSync(file);
  } catch (error) {
    throw new RunError('invalid-options', `Cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}
