/**
 * The names a browser may put in Host and Origin for this console (a loopback server is otherwise open to
 * DNS rebinding): the bound address and, on loopback, localhost and 127.0.0.1 on the same port; with
 * `--public-url`, the address people open (through a reverse proxy, or a DNS name of this machine); on an
 * address of every interface (0.0.0.0, ::), this machine's name and each of its addresses.
 */
import { hostname, networkInterfaces } from 'node:os';

/** Where the console listens, known once it does (port 0 lets the OS choose). */
export interface Listening {
  /** `host:port` forms (lower case) a browser may send in Host. */
  hosts: Set<string>;
  /** The same as origins (`http://host:port`, `https://…` with TLS). */
  origins: Set<string>;
}

export interface AddressOptions {
  /** The address bound. */
  host: string;
  port: number;
  /** The console itself speaks TLS (`--tls-cert`/`--tls-key`). */
  tls: boolean;
  /** `--public-url`: the address people open, when it is not the bound one (a proxy, a DNS name). */
  publicUrl?: string;
}

const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Whether the address means every interface of this machine. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** This machine's own names and addresses: what a browser on the network names it by. */
function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  return [hostname(), 'localhost', '127.0.0.1', '::1', ...addresses];
}

/** The hosts and origins a browser may name for this console. */
export function listeningAt(o: AddressOptions): Listening {
  const scheme = o.tls ? 'https' : 'http';
  const names = isWildcard(o.host) ? machineNames() : [o.host, 'localhost', '127.0.0.1'];
  const hosts = new Set(names.map((n) => `${bracketed(n)}:${o.port}`.toLowerCase()));
  const origins = new Set([...hosts].map((h) => `${scheme}://${h}`));
  if (o.publicUrl) {
    const url = new URL(o.publicUrl);
    hosts.add(url.host.toLowerCase());
    // A proxy may pass the default port on; a browser never sends it.
    hosts.add(`${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`.toLowerCase());
    origins.add(url.origin.toLowerCase());
  }
  return { hosts, origins };
}

/** The address to print: the public URL, or the bound address (this machine's name on a wildcard). */
export function originToOpen(o: AddressOptions): string {
  if (o.publicUrl) return new URL(o.publicUrl).origin;
  const host = isWildcard(o.host) ? hostname() : bracketed(o.host);
  return `${o.tls ? 'https' : 'http'}://${host}:${o.port}`;
}
