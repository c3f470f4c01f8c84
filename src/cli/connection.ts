/**
 * Connection settings for the commands that talk to a Live Platform (plan, apply, reconcile):
 * flags, then environment, then a JSON config file — normalised by one zod schema here.
 * Secrets (token, client secret) come only from the environment or the config file.
 */
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from '../model/defaults.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type winston from 'winston';
import type { Options } from 'yargs';
import { z } from 'zod';
import { createLivePlatformClient, type AuthSettings } from '../api/index.js';
import { resolveProxyRules, type ProxyRules } from '../api/proxy.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { attachHttpTrace } from './trace-http.js';

/** Flags shared by every command that connects; spread them into a command's builder. */
export const connectionOptions = {
  'base-url': {
    type: 'string',
    describe: 'Live Platform API base URL, e.g. https://lp.example.com/tenantui (or LPSYNC_BASE_URL)',
  },
  config: {
    type: 'string',
    describe:
      'JSON file with connection settings: baseUrl, token or tokenUrl/clientId/clientSecret/scope, caFile, …',
  },
  'ca-file': {
    type: 'string',
    describe: 'PEM file of the private CA that signed the Live Platform certificate',
  },
  insecure: {
    type: 'boolean',
    describe: 'Do not verify the TLS certificate (last resort; prefer --ca-file)',
  },
  timeout: {
    type: 'number',
    describe: 'Per-request timeout in seconds',
    defaultDescription: String(DEFAULT_TIMEOUT_MS / 1000),
  },
  retries: {
    type: 'number',
    describe: 'Retries of a request that is safe to repeat (429, 502–504, network)',
    defaultDescription: '4',
  },
  concurrency: {
    type: 'number',
    describe: 'Requests in flight at once',
    defaultDescription: String(DEFAULT_CONCURRENCY),
  },
  rate: { type: 'number', describe: 'At most this many requests per second (default: no cap)' },
  proxy: {
    type: 'string',
    describe:
      'Proxy for every request, e.g. http://proxy.example.com:8080 (default: HTTPS_PROXY / HTTP_PROXY; NO_PROXY honoured)',
  },
  'trace-http': {
    type: 'string',
    describe: 'Write every HTTP request and response of the run to this HAR file (secrets masked)',
  },
} satisfies { [name: string]: Options };

/** The help text's footer for plan, apply and reconcile: where the URL and the secrets go (yargs puts the program name for $0). */
export const CONNECTION_HELP =
  'Connection: set LPSYNC_BASE_URL (the provider host followed by /tenantui) and LPSYNC_TOKEN, or client ' +
  'credentials LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET (LPSYNC_SCOPE), or put them in a --config ' +
  'file; secrets are never taken from flags. Behind a proxy: HTTPS_PROXY / NO_PROXY, or --proxy.\n' +
  'To try lpsync without an account, start the simulator in another terminal and point lpsync at it:\n' +
  '  $0 simulate --port 8080\n' +
  '  export LPSYNC_BASE_URL=http://127.0.0.1:8080/tenantui LPSYNC_TOKEN=demo-token';

/** Exit codes of apply and reconcile, for their help text. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 every row ok; 1 some row failed, is unknown, not run, invalid (--skip-invalid) or conflicts; ' +
  '2 invalid input or options, nothing sent; 3 auth refused or Live Platform unreachable; 4 another run holds ' +
  'the state store lock; 130 interrupted (resume with --resume).';

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
  concurrency: number;
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
  concurrency: z.number().optional(),
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
  concurrency: z
    .number()
    .int('--concurrency: expected a whole number')
    .min(1, '--concurrency: expected 1 or more'),
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
    concurrency: choose('concurrency', 'concurrency', 'concurrency', config.concurrency, DEFAULT_CONCURRENCY),
    ...(() => {
      const rate = choose('rate', 'rate', 'rate', config.rate, undefined);
      if (rate === undefined) sources.rate = 'not set (no cap)';
      return rate === undefined ? {} : { rate };
    })(),
  };
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RunError(
      'invalid-options',
      `Invalid connection settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
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
    concurrency: s.concurrency,
    ...(s.rate === undefined ? {} : { rate: s.rate }),
    proxy,
    ...(typeof traceHttp === 'string' && traceHttp !== '' ? { traceHttp: path.resolve(traceHttp) } : {}),
    sources,
  };
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
    concurrency: s.concurrency,
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
