/**
 * Who may reach `lpsync serve`, checked before it listens: loopback by default; any other address only
 * with accounts (`--users`) and TLS, here (`--tls-cert`/`--tls-key`) or at a reverse proxy named by its
 * address (`--behind-tls-proxy`, with the `--public-url` people open). Each refusal says what to add.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { RunError } from '../model/errors.js';
import { parseDuration } from './duration.js';

export interface ServeSecurityArgs {
  host: string;
  users?: string | undefined;
  'require-approval'?: boolean | undefined;
  'tls-cert'?: string | undefined;
  'tls-key'?: string | undefined;
  'behind-tls-proxy'?: string | undefined;
  'public-url'?: string | undefined;
  'session-idle'?: string | undefined;
  'login-lock'?: string | undefined;
}

/** What the console is started with, the files read. */
export interface ServeSecurity {
  usersFile?: string;
  requireApproval: boolean;
  tls?: { cert: Buffer; key: Buffer };
  behindTlsProxy?: string;
  publicUrl?: string;
  idleMs?: number;
  lockMs?: number;
}

/** 127.0.0.0/8, ::1, localhost: this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

const refuse = (message: string, hint?: string) =>
  new RunError('invalid-options', message, hint ? { hint } : {});

function readPem(option: string, path: string): Buffer {
  try {
    return readFileSync(resolve(path));
  } catch (error) {
    throw refuse(`Cannot read ${option} ${path}: ${(error as Error).message}`);
  }
}

/** `--public-url`: an origin (scheme, host, port), no path; https behind a TLS proxy. */
function publicUrlOf(value: string, proxy: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(`Invalid --public-url ${value}: expected an address such as https://lpsync.example.com`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash)
    throw refuse(
      `Invalid --public-url ${value}: expected an origin such as https://lpsync.example.com (no path: the console is served at the root)`,
    );
  if (proxy && url.protocol !== 'https:')
    throw refuse(`Invalid --public-url ${value}: behind a TLS proxy the address people open is https://…`);
  return url.origin;
}

/** `--behind-tls-proxy`: an IP address (or a CIDR range) of the proxy; nothing else is believed. */
function proxyOf(value: string): string {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  const ok =
    family !== 0 &&
    rest.length === 0 &&
    (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  if (!ok)
    throw refuse(
      `Invalid --behind-tls-proxy ${value}: expected the proxy's IP address (127.0.0.1, 10.0.0.5) or a range (10.0.0.0/24).`,
    );
  return value;
}

function checkReach(a: ServeSecurityArgs, tls: boolean, proxy: boolean): void {
  if (isLoopbackHost(a.host)) return;
  if (!a.users)
    throw refuse(
      `--host ${a.host} is refused: without user accounts the console listens on this machine only (127.0.0.1).`,
      'Add accounts (lpsync users add NAME --role …) and start with --users FILE and TLS (--tls-cert/--tls-key, or --behind-tls-proxy ADDRESS), or forward the port over SSH: ssh -L 8750:127.0.0.1:8750 this-host',
    );
  if (!tls && !proxy)
    throw refuse(
      `--host ${a.host} is refused without TLS: passwords and session cookies would cross the network in the clear.`,
      'Give --tls-cert FILE --tls-key FILE (the README shows a self-signed one made with openssl), or put a TLS reverse proxy in front and name its address with --behind-tls-proxy ADDRESS --public-url https://…',
    );
}

/** The security options checked together, or a RunError that says what to change. */
export function serveSecurity(a: ServeSecurityArgs): ServeSecurity {
  const tls = a['tls-cert'] !== undefined || a['tls-key'] !== undefined;
  if (tls && (a['tls-cert'] === undefined || a['tls-key'] === undefined))
    throw refuse('--tls-cert and --tls-key go together: the certificate and its private key (PEM files).');
  const proxy = a['behind-tls-proxy'];
  if (proxy !== undefined && !a.users)
    throw refuse(
      '--behind-tls-proxy needs --users: a console reached through a proxy is for named accounts.',
    );
  if (proxy !== undefined && !a['public-url'])
    throw refuse(
      '--behind-tls-proxy needs --public-url: the address people open (https://…), the only one the console then answers to.',
    );
  if (a['require-approval'] && !a.users)
    throw refuse(
      '--require-approval needs --users: a second person’s approval is told apart by their account.',
    );
  checkReach(a, tls, proxy !== undefined);
  return {
    requireApproval: a['require-approval'] === true,
    ...(a.users ? { usersFile: resolve(a.users) } : {}),
    ...(tls
      ? { tls: { cert: readPem('--tls-cert', a['tls-cert']!), key: readPem('--tls-key', a['tls-key']!) } }
      : {}),
    ...(proxy !== undefined ? { behindTlsProxy: proxyOf(proxy) } : {}),
    ...(a['public-url'] ? { publicUrl: publicUrlOf(a['public-url'], proxy !== undefined) } : {}),
    ...(a['session-idle'] !== undefined
      ? { idleMs: parseDuration('--session-idle', a['session-idle']) }
      : {}),
    ...(a['login-lock'] !== undefined ? { lockMs: parseDuration('--login-lock', a['login-lock']) } : {}),
  };
}
