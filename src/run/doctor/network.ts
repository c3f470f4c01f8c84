/**
 * The network path to one URL, one step at a time: the name lookup and the TCP connection go to the
 * proxy where one is used; the TLS handshake goes to the host itself (through the proxy's tunnel).
 */
import { probeDns, probeTcp, probeTls } from '../../api/probe.js';
import { proxyFor, showProxy } from '../../api/proxy.js';
import type { DoctorSettings } from '../doctor.js';
import { notTried, type Check, type CheckName } from './check.js';
import { LOOPBACK } from './settings.js';
import { tlsCheck } from './tls.js';

/** The checks of one path, and whether the API can be tried through it. */
export interface PathChecks {
  checks: Check[];
  reachable: boolean;
}

/** The first hop towards a URL: the proxy where one is used, the host otherwise. */
interface Hop {
  host: string;
  port: number;
  /** The proxy; null when connecting directly. */
  proxy: URL | null;
  /** Where a proxy came from, said after the DNS answer. */
  via: string;
}

const defaultPort = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

function hopTo(url: URL, s: DoctorSettings): Hop {
  const proxy = proxyFor(s.proxy, url);
  const hop = proxy ? proxy.url : url;
  return {
    host: hop.hostname,
    port: defaultPort(hop),
    proxy: proxy ? proxy.url : null,
    via: proxy
      ? ` (the proxy ${showProxy(proxy.url)} from ${proxy.source}; it resolves ${url.hostname})`
      : '',
  };
}

/** The DNS, TCP and TLS checks' names: the token endpoint's own ones carry a suffix. */
function pathNames(tokenEndpoint: boolean): Record<'dns' | 'tcp' | 'tls', CheckName> {
  const label = tokenEndpoint ? ' (token endpoint)' : '';
  const name = (id: string, title: string) => ({
    id: `${id}${tokenEndpoint ? ':token' : ''}`,
    title: `${title}${label}`,
  });
  return { dns: name('dns', 'DNS'), tcp: name('tcp', 'TCP'), tls: name('tls', 'TLS') };
}

/** DNS, TCP and TLS checks for the Live Platform's URL or its token endpoint's; reachable when TCP connected. */
export async function pathChecks(
  url: URL,
  tokenEndpoint: boolean,
  s: DoctorSettings,
  ca: string[] | undefined,
  now: () => number,
): Promise<PathChecks> {
  const names = pathNames(tokenEndpoint);
  const hop = hopTo(url, s);
  const dns = await probeDns(hop.host);
  if (!dns.ok)
    return {
      checks: [
        dnsFailed(names.dns, hop, dns.problem),
        ...notTried([names.tcp, names.tls], 'the name does not resolve'),
      ],
      reachable: false,
    };
  const checks = [dnsResolved(names.dns, hop, dns)];
  const tcp = await probeTcp(hop.host, hop.port, s.timeoutMs);
  if (!tcp.ok)
    return {
      checks: [
        ...checks,
        tcpFailed(names.tcp, hop, tcp.problem),
        ...notTried([names.tls], 'no TCP connection'),
      ],
      reachable: false,
    };
  checks.push(tcpConnected(names.tcp, hop, tcp.ms));
  if (url.protocol !== 'https:') return { checks: [...checks, plainHttp(names.tls, url)], reachable: true };
  const probe = await probeTls({
    host: url.hostname,
    port: defaultPort(url),
    timeoutMs: s.timeoutMs,
    ...(ca ? { ca } : {}),
    ...(hop.proxy ? { proxy: hop.proxy } : {}),
  });
  checks.push(tlsCheck(names.tls, url, probe, s, hop.proxy ? showProxy(hop.proxy) : null, now));
  return { checks, reachable: probe.ok || !hop.proxy };
}

function dnsFailed(name: CheckName, hop: Hop, problem: string): Check {
  return {
    ...name,
    status: 'fail',
    detail: `${problem}${hop.via}`,
    hint: hop.proxy
      ? 'Check the proxy host name.'
      : 'Check the host name; from a corporate network, set HTTPS_PROXY if direct lookups are not allowed.',
  };
}

function dnsResolved(name: CheckName, hop: Hop, dns: { addresses: string[]; literal: boolean }): Check {
  return {
    ...name,
    status: 'ok',
    detail: dns.literal
      ? `${hop.host} is an IP address${hop.via}`
      : `${hop.host} → ${dns.addresses.join(', ')}${hop.via}`,
    data: { host: hop.host, addresses: dns.addresses },
  };
}

function tcpFailed(name: CheckName, hop: Hop, problem: string): Check {
  return {
    ...name,
    status: 'fail',
    detail: `cannot connect to ${hop.host}:${hop.port}: ${problem}${hop.proxy ? ' (the proxy)' : ''}`,
    hint: hop.proxy
      ? 'Check the proxy address and port (--proxy, HTTPS_PROXY, HTTP_PROXY).'
      : 'Check the host and port and that a firewall lets this machine through; behind a corporate proxy set HTTPS_PROXY.',
  };
}

function tcpConnected(name: CheckName, hop: Hop, ms: number): Check {
  return {
    ...name,
    status: 'ok',
    detail: `connected to ${hop.host}:${hop.port} in ${ms} ms${hop.proxy ? ' (the proxy)' : ''}`,
  };
}

/** No TLS over plain http: fine on this machine (a simulator), not used elsewhere (the URL check warns). */
function plainHttp(name: CheckName, url: URL): Check {
  const loopback = LOOPBACK.test(url.hostname);
  return {
    ...name,
    status: loopback ? 'ok' : 'skip',
    detail: loopback
      ? `not needed: ${url.host} is this machine (plain http)`
      : `not used: ${url.origin} is plain http`,
  };
}
