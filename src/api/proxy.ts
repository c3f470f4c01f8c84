/**
 * Which proxy a request goes through, by the rules curl and npm follow: `--proxy` / config `proxy`
 * for every URL, else `https_proxy`/`HTTPS_PROXY` for https URLs and `http_proxy`/`HTTP_PROXY` for
 * http URLs (the lower-case name wins when both are set), and `NO_PROXY`/`no_proxy` (or config
 * `noProxy`) naming the hosts reached directly. Pure: the environment is passed in as data.
 */
import net from 'node:net';
import { RunError } from '../model/errors.js';
import { MASK } from '../model/redact.js';

/** One proxy and where it was set (`--proxy`, `HTTPS_PROXY`, `config "proxy"`…), for doctor and errors. */
export interface ProxyChoice {
  url: URL;
  source: string;
}

/** The proxy rules of a run, resolved once. */
export interface ProxyRules {
  https: ProxyChoice | null;
  http: ProxyChoice | null;
  /** Lower-cased NO_PROXY entries; `*` means every host is reached directly. */
  noProxy: string[];
  /** Where the NO_PROXY list came from, when there is one. */
  noProxySource?: string;
}

export const NO_PROXY_RULES: ProxyRules = { https: null, http: null, noProxy: [] };

/** What the CLI hands over: an explicit proxy (flag or config) and the environment as it is. */
export interface ProxyInputs {
  explicit?: { value: string; source: string };
  explicitNoProxy?: { value: string; source: string };
  env: Record<string, string | undefined>;
}

const text = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

/** The first of the names set in `env`, lower case first as curl reads them. */
function fromEnv(env: ProxyInputs['env'], name: string): { value: string; source: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = text(env[key]);
    if (value !== undefined) return { value, source: key };
  }
  return undefined;
}

/** Resolves flags, config and environment into rules; a proxy URL lpsync cannot use is RunError('invalid-options'). */
export function resolveProxyRules(inputs: ProxyInputs): ProxyRules {
  const explicit = inputs.explicit && text(inputs.explicit.value) ? inputs.explicit : undefined;
  const parse = (given: { value: string; source: string } | undefined): ProxyChoice | null =>
    given ? { url: parseProxyUrl(given.value, given.source), source: given.source } : null;
  const noProxy = inputs.explicitNoProxy ?? fromEnv(inputs.env, 'no_proxy');
  return {
    https: parse(explicit ?? fromEnv(inputs.env, 'https_proxy')),
    http: parse(explicit ?? fromEnv(inputs.env, 'http_proxy')),
    noProxy: noProxy ? splitNoProxy(noProxy.value) : [],
    ...(noProxy ? { noProxySource: noProxy.source } : {}),
  };
}

/** `proxy.corp:8080` is read as `http://proxy.corp:8080`, as curl does; only http and https proxies are supported. */
export function parseProxyUrl(value: string, source: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RunError('invalid-options', `${source}: "${maskProxyText(value)}" is not a proxy URL`, {
      hint: 'Write it as http://proxy.example.com:8080 (with user:password@ before the host if the proxy asks for them).',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RunError(
      'invalid-options',
      `${source}: a ${url.protocol.replace(/:$/, '')} proxy is not supported; lpsync speaks to http:// and https:// proxies`,
    );
  }
  return url;
}

function splitNoProxy(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
}

/** The proxy for `target`, or null when it is reached directly. */
export function proxyFor(rules: ProxyRules, target: URL): ProxyChoice | null {
  const choice = target.protocol === 'https:' ? rules.https : target.protocol === 'http:' ? rules.http : null;
  if (!choice) return null;
  return bypasses(rules.noProxy, target) ? null : choice;
}

/** True when a NO_PROXY entry names the target: `*`, a host and its subdomains (`example.com`, `.example.com`, `*.example.com`), an IP or CIDR block, each optionally with `:port`. */
export function bypasses(noProxy: readonly string[], target: URL): boolean {
  const host = target.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return noProxy.some((entry) => entryMatches(entry, host, port));
}

function entryMatches(entry: string, host: string, port: number): boolean {
  if (entry === '*') return true;
  const { name, entryPort } = splitPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  if (name.includes('/')) return inCidr(name, host);
  const ipVersion = net.isIP(name);
  if (ipVersion) return net.isIP(host) === ipVersion && sameIp(name, host, ipVersion);
  const domain = name.replace(/^\*?\./, '').replace(/\.$/, '');
  return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
}

function splitPort(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, ...(bracketed[2] ? { entryPort: Number(bracketed[2]) } : {}) };
  // One colon is host:port; more than one is an IPv6 address without a port.
  const parts = entry.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return { name: parts[0]!, entryPort: Number(parts[1]) };
  return { name: entry };
}

function sameIp(a: string, b: string, version: number): boolean {
  const list = new net.BlockList();
  list.addAddress(a, version === 6 ? 'ipv6' : 'ipv4');
  return list.check(b, version === 6 ? 'ipv6' : 'ipv4');
}

function inCidr(block: string, host: string): boolean {
  const [base, bits] = block.split('/');
  const version = net.isIP(base ?? '');
  if (!version || net.isIP(host) !== version || !/^\d+$/.test(bits ?? '')) return false;
  const type = version === 6 ? 'ipv6' : 'ipv4';
  const list = new net.BlockList();
  try {
    list.addSubnet(base!, Number(bits), type);
  } catch {
    return false;
  }
  return list.check(host, type);
}

/** The proxy as it may be shown: `http://user:***@proxy.corp:8080`. */
export function showProxy(url: URL): string {
  const auth = url.username ? `${decodeURIComponent(url.username)}${url.password ? `:${MASK}` : ''}@` : '';
  return `${url.protocol}//${auth}${url.host}`;
}

/** A proxy setting as typed, its password masked (for messages about a value that is not a URL). */
function maskProxyText(value: string): string {
  return value.replace(
    /^([^:/?#@]*:\/\/)?([^:/?#@]*):[^/?#@]*@/,
    (_m, scheme: string | undefined, user: string) => `${scheme ?? ''}${user}:${MASK}@`,
  );
}

/** Every way the proxy password could be written (as typed, decoded, inside a Basic header): for the redactor. */
export function proxySecrets(rules: ProxyRules): string[] {
  const out: string[] = [];
  for (const choice of [rules.https, rules.http]) {
    if (!choice?.url.password) continue;
    const user = decodeURIComponent(choice.url.username);
    const password = decodeURIComponent(choice.url.password);
    out.push(choice.url.password, password, Buffer.from(`${user}:${password}`).toString('base64'));
  }
  return out;
}
