/**
 * The network path to a host, one step at a time, for `lpsync doctor`: name lookup, TCP connect,
 * TLS handshake (through the proxy's CONNECT tunnel when one is used). Each probe answers data or
 * a problem; none sends an HTTP request to the Live Platform.
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

export type Probe<T> = ({ ok: true } & T) | { ok: false; problem: string; code?: string };

/** The addresses a name resolves to (an IP address is its own answer). */
export async function probeDns(host: string): Promise<Probe<{ addresses: string[]; literal: boolean }>> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return { ok: true, addresses: [bare], literal: true };
  try {
    const found = await dns.lookup(bare, { all: true });
    return { ok: true, addresses: found.map((a) => a.address), literal: false };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return {
      ok: false,
      problem: `${bare} does not resolve (${e.code ?? e.message})`,
      ...(e.code ? { code: e.code } : {}),
    };
  }
}

/** How long a TCP connection to host:port takes to open. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<Probe<{ ms: number }>> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (result: Probe<{ ms: number }>) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ ok: false, problem: `no connection within ${timeoutMs} ms`, code: 'ETIMEDOUT' }),
    );
    socket.once('connect', () => done({ ok: true, ms: Date.now() - started }));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, problem: e.message, ...(e.code ? { code: e.code } : {}) }),
    );
  });
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

export interface TlsFacts {
  protocol: string | null;
  /** Verified against the trusted roots (the private CA included). */
  authorized: boolean;
  /** Why not, as OpenSSL says it (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`…). */
  authorizationError: string | null;
  /** Whether the certificate names the host. */
  identityError: string | null;
  /** Leaf first, up to the root the server sent. */
  chain: CertificateInfo[];
  ms: number;
}

export interface TlsProbeOptions {
  host: string;
  port: number;
  ca?: string[];
  timeoutMs: number;
  /** A CONNECT tunnel through this proxy first. */
  proxy?: URL;
}

/** A TLS handshake that accepts any certificate, so as to report on it; nothing is sent after it. */
export async function probeTls(options: TlsProbeOptions): Promise<Probe<TlsFacts>> {
  const started = Date.now();
  const host = options.host.replace(/^\[|\]$/g, '');
  let socket: net.Socket | undefined;
  if (options.proxy) {
    const tunnel = await openTunnel(options.proxy, host, options.port, options.ca, options.timeoutMs);
    if (!tunnel.ok) return tunnel;
    socket = tunnel.socket;
  }
  return new Promise((resolve) => {
    const secure = tls.connect({
      host,
      port: options.port,
      ...(socket ? { socket } : {}),
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: false,
    });
    const done = (result: Probe<TlsFacts>) => {
      secure.destroy();
      socket?.destroy();
      resolve(result);
    };
    secure.setTimeout(options.timeoutMs, () =>
      done({ ok: false, problem: `no TLS handshake within ${options.timeoutMs} ms` }),
    );
    secure.once('secureConnect', () => {
      const leaf = secure.getPeerCertificate(true);
      const identity = leaf && Object.keys(leaf).length ? tls.checkServerIdentity(host, leaf) : undefined;
      done({
        ok: true,
        protocol: secure.getProtocol(),
        authorized: secure.authorized,
        authorizationError: secure.authorizationError ? String(secure.authorizationError) : null,
        identityError: identity ? identity.message : null,
        chain: chainOf(leaf),
        ms: Date.now() - started,
      });
    });
    secure.once('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, problem: e.message, ...(e.code ? { code: e.code } : {}) }),
    );
  });
}

function chainOf(leaf: tls.DetailedPeerCertificate): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = leaf;
  while (cert && Object.keys(cert).length && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push({
      subject: nameOf(cert.subject),
      issuer: nameOf(cert.issuer),
      validFrom: new Date(cert.valid_from).toISOString(),
      validTo: new Date(cert.valid_to).toISOString(),
    });
    cert = cert.issuerCertificate;
  }
  return chain;
}

function nameOf(name: tls.Certificate | undefined): string {
  if (!name) return '(none)';
  const cn = name.CN;
  return (Array.isArray(cn) ? cn[0] : cn) ?? name.O?.toString() ?? '(no common name)';
}

/** A CONNECT tunnel to host:port through `proxy` (with its Basic credentials). */
function openTunnel(
  proxy: URL,
  host: string,
  port: number,
  ca: string[] | undefined,
  timeoutMs: number,
): Promise<Probe<{ socket: net.Socket }>> {
  const target = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: target };
  if (proxy.username || proxy.password) {
    const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
  }
  const request = (proxy.protocol === 'https:' ? https : http).request({
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: target,
    headers,
    timeout: timeoutMs,
    ...(proxy.protocol === 'https:' && ca ? { ca } : {}),
  });
  return new Promise((resolve) => {
    request.once('connect', (res: http.IncomingMessage, socket: net.Socket) => {
      if (res.statusCode === 200) resolve({ ok: true, socket });
      else {
        socket.destroy();
        resolve({
          ok: false,
          problem:
            `the proxy refused the tunnel to ${target} (HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''})`.trim(),
          code: `HTTP_${res.statusCode ?? 0}`,
        });
      }
    });
    request.once('timeout', () =>
      request.destroy(new Error(`the proxy did not answer within ${timeoutMs} ms`)),
    );
    request.once('error', (e: NodeJS.ErrnoException) =>
      resolve({ ok: false, problem: `the proxy: ${e.message}`, ...(e.code ? { code: e.code } : {}) }),
    );
    request.end();
  });
}
