/**
 * Connection settings for the commands that talk to a Live Platform (plan, apply, reconcile):
 * flags, then environment, then a JSON config file — normalised by one zod schema here.
 * Secrets (token, client secret) come only from the environment or the config file.
 */
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from '../model/defaults.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type winston from 'winston';
import { z } from 'zod';
import { createLivePlatformClient, type AuthSettings } from '../api/index.js';
import {
  concurrencyOptions,
  normaliseConcurrency,
  type ConcurrencySetting,
} from '../api/concurrency-setting.js';
import { resolveProxyRules, type ProxyRules } from '../api/proxy.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { attachHttpTrace } from './trace-http.js';

export { connectionOptions, CONNECTION_HELP, EXIT_CODES_HELP } from './connection-options.js';

export interface ConnectionSettings {
  /** No trailing slash; the /api/... paths are appended. */
  baseUrl: string;
  auth: AuthSettings;
  /** Absolute path. */
  caFile?: string;
  insecure: boolean;
  timeoutMs: number;
  /** Retries + 1. */
  maxAttempts: number;
  /** `--concurrency auto|N` with `--max-concurrency`, normalised. */
  concurrency: ConcurrencySetting;
  rate?: number;
  /** Which requests go through which proxy (the token endpoint's too). */
  proxy: ProxyRules;
  /** `--trace-http`: the HAR file to write when the client closes. */
  traceHttp?: string;
  /** Where each setting came from, for `lpsync doctor`: `--base-url`, `LPSYNC_BASE_URL`, `config file lpsync.json`, `default`. */
  sources: Record<SettingName, string>;
}

export type SettingName =
  | 'baseUrl'
  | 'credentials'
  | 'caFile'
  | 'insecure'
  | 'timeout'
  | 'retries'
  | 'concurrency'
  | 'maxConcurrency'
  | 'rate'
  | 'proxy';

const configFileSchema = z.strictObject({
  baseUrl: z.string().optional(),
  token: z.string().optional(),
  tokenUrl: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  scope: z.string().optional(),
  caFile: z.string().optional(),
  insecure: z.boolean().optional(),
  timeout: z.number().optional(),
  retries: z.number().optional(),
  concurrency: z.union([z.number(), z.string()]).optional(),
  maxConcurrency: z.number().optional(),
  rate: z.number().optional(),
  proxy: z.string().optional(),
  noProxy: z.string().optional(),
});
type ConfigFile = z.output<typeof configFileSchema>;

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
      message: `${what}: expected an http(s) URL`,
    });

const settingsSchema = z.object({
  baseUrl: httpUrl('--base-url / LPSYNC_BASE_URL / "baseUrl"').transform((u) => u.replace(/\/+$/, '')),
  caFile: z.string().optional(),
  insecure: z.boolean(),
  timeout: z.number({ message: '--timeout: expected seconds' }).positive('--timeout: expected seconds > 0'),
  retries: z.number().int('--retries: expected a whole number').min(0, '--retries: expected 0 or more'),
  rate: z.number().positive('--rate: expected requests per second > 0').optional(),
});

const SOURCES = 'the environment or the --config file';
const BASE_URL_HINT = 'It is the provider host followed by /tenantui, e.g. https://lp.example.com/tenantui';

/** Resolves flags, environment and config file into settings; anything missing or invalid is RunError('invalid-options'). */
export function resolveConnection(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): ConnectionSettings {
  const flag = (name: string, camel: string): unknown => argv[name] ?? argv[camel];
  const configPath =
    typeof argv.config === 'string' && argv.config !== '' ? path.resolve(argv.config) : undefined;
  const config = configPath ? readConfig(configPath) : {};
  const inConfig = (key: string) => `"${key}" in ${configPath ?? 'the config file'}`;
  const envText = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const sources = {} as Record<SettingName, string>;
  /** The first of flag, config (in that order, for settings without an environment variable), or the default. */
  const choose = <T>(
    setting: SettingName,
    name: string,
    camel: string,
    fromConfig: T | undefined,
    fallback: T,
  ) => {
    const given = flag(name, camel);
    if (given !== undefined) {
      sources[setting] = `--${name}`;
      return given;
    }
    if (fromConfig !== undefined) {
      sources[setting] = inConfig(camel);
      return fromConfig;
    }
    sources[setting] = 'default';
    return fallback;
  };

  const flagCaFile = flag('ca-file', 'caFile');
  const caFile =
    typeof flagCaFile === 'string' && flagCaFile !== ''
      ? path.resolve(flagCaFile)
      : config.caFile && configPath
        ? path.resolve(path.dirname(configPath), config.caFile)
        : undefined;
  sources.caFile =
    typeof flagCaFile === 'string' && flagCaFile !== ''
      ? '--ca-file'
      : caFile
        ? inConfig('caFile')
        : 'not set (public roots)';

  const flagBaseUrl = flag('base-url', 'baseUrl');
  const baseUrl = flagBaseUrl ?? envText('LPSYNC_BASE_URL') ?? config.baseUrl;
  sources.baseUrl =
    flagBaseUrl !== undefined
      ? '--base-url'
      : envText('LPSYNC_BASE_URL') !== undefined
        ? 'LPSYNC_BASE_URL'
        : inConfig('baseUrl');
  if (baseUrl === undefined || baseUrl === '') {
    throw new RunError(
      'invalid-options',
      'No Live Platform URL: pass --base-url, set LPSYNC_BASE_URL, or put "baseUrl" in the --config file.',
      { hint: BASE_URL_HINT },
    );
  }
  if (typeof baseUrl === 'string' && !httpUrl('').safeParse(baseUrl).success) {
    throw new RunError(
      'invalid-options',
      `--base-url / LPSYNC_BASE_URL / "baseUrl": expected an http(s) URL, got "${baseUrl.trim()}"`,
      { hint: BASE_URL_HINT },
    );
  }
  const raw = {
    baseUrl,
    ...(caFile === undefined ? {} : { caFile }),
    insecure: choose('insecure', 'insecure', 'insecure', config.insecure, false),
    timeout: choose('timeout', 'timeout', 'timeout', config.timeout, DEFAULT_TIMEOUT_MS / 1000),
    retries: choose('retries', 'retries', 'retries', config.retries, DEFAULT_MAX_ATTEMPTS - 1),
    ...(() => {
      const rate = choose('rate', 'rate', 'rate', config.rate, undefined);
      if (rate === undefined) sources.rate = 'not set (no cap)';
      return rate === undefined ? {} : { rate };
    })(),
  };
  const concurrency = concurrencySetting(
    choose('concurrency', 'concurrency', 'concurrency', config.concurrency, DEFAULT_CONCURRENCY),
    choose('maxConcurrency', 'max-concurrency', 'maxConcurrency', config.maxConcurrency, undefined),
  );
  const parsed = settingsSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => i.message)),
    ...(typeof concurrency === 'string' ? [concurrency] : []),
  ];
  if (!parsed.success || typeof concurrency === 'string') {
    throw new RunError('invalid-options', `Invalid connection settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  if (s.caFile !== undefined) assertReadable(s.caFile, '--ca-file');

  const flagProxy = flag('proxy', 'proxy');
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
  sources.proxy = proxySources.length ? proxySources.join(', ') : 'not set (direct)';

  const auth = resolveAuth(config, envText);
  sources.credentials = authSource(auth, envText, inConfig);
  const traceHttp = flag('trace-http', 'traceHttp');
  return {
    baseUrl: s.baseUrl,
    auth,
    ...(s.caFile === undefined ? {} : { caFile: s.caFile }),
    insecure: s.insecure,
    timeoutMs: Math.round(s.timeout * 1000),
    maxAttempts: s.retries + 1,
    concurrency,
    ...(s.rate === undefined ? {} : { rate: s.rate }),
    proxy,
    ...(typeof traceHttp === 'string' && traceHttp !== '' ? { traceHttp: path.resolve(traceHttp) } : {}),
    sources,
  };
}

/** The setting, or what is wrong with it (reported with the other settings' problems). */
function concurrencySetting(concurrency: unknown, maxConcurrency: unknown): ConcurrencySetting | string {
  try {
    return normaliseConcurrency({ concurrency, maxConcurrency });
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    return error.message.replace(/^Invalid option /, '');
  }
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
  const tokenUrl = httpUrl('LPSYNC_TOKEN_URL / "tokenUrl"').safeParse(cc.LPSYNC_TOKEN_URL);
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

function readConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunError(
      'invalid-options',
      `Cannot read the --config file ${file}: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunError(
      'invalid-options',
      `The --config file ${file} is not valid JSON: ${withoutSnippet((error as Error).message)}`,
    );
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) =>
        i.code === 'unrecognized_keys'
          ? `unknown setting ${i.keys.map((k) => `"${k}"`).join(', ')}`
          : `"${i.path.join('.')}": ${i.message}`,
      )
      .join('; ');
    throw new RunError('invalid-options', `The --config file ${file} is invalid: ${problems}`, {
      hint: `Known settings: ${Object.keys(configFileSchema.shape).join(', ')}.`,
    });
  }
  return parsed.data;
}

function assertReadable(file: string, what: string): void {
  try {
    readFileSync(file);
  } catch (error) {
    throw new RunError('invalid-options', `Cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/**
 * Creates the client for resolved settings and registers its secrets with the run's redactor.
 * With `--trace-http`, every exchange is recorded and closing the client writes the HAR file.
 */
export function createClientFromSettings(
  s: ConnectionSettings,
  logger: winston.Logger,
  redactor: Redactor,
  signal?: AbortSignal,
): ReturnType<typeof createLivePlatformClient> {
  redactor.addSecrets(s.auth.kind === 'token' ? [s.auth.token] : [s.auth.clientSecret]);
  const trace = s.traceHttp ? attachHttpTrace(s.traceHttp, redactor, logger) : undefined;
  const client = createLivePlatformClient({
    baseUrl: s.baseUrl,
    auth: s.auth,
    logger,
    redactor,
    ...concurrencyOptions(s.concurrency),
    timeoutMs: s.timeoutMs,
    retry: { maxAttempts: s.maxAttempts },
    insecure: s.insecure,
    proxy: s.proxy,
    ...(s.caFile === undefined ? {} : { caFile: s.caFile }),
    ...(s.rate === undefined ? {} : { rate: s.rate }),
    ...(signal === undefined ? {} : { signal }),
    ...(trace ? { onExchange: (exchange) => trace.record(exchange) } : {}),
  });
  if (!trace) return client;
  return {
    ...client,
    close: () => {
      client.close();
      trace.write();
    },
  };
}

/** JSON.parse's message without the piece of the file it quotes: for a secret typed without quotes, that piece is the secret. */
function withoutSnippet(message: string): string {
  return message.replace(
    /,\s*(?:\.\.\.)?".*"(?:\.\.\.)?\s+is not valid JSON$/s,
    ' (check the quotes and commas)',
  );
}
