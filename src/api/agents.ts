/**
 * The HTTP agents of one transport: keep-alive agents for direct connections, and one keep-alive
 * proxy agent per proxy and scheme — CONNECT tunnels for https URLs, absolute-form requests for
 * http URLs, as curl does. The agents are http-proxy-agent and https-proxy-agent (the ones npm
 * itself uses): both extend node's http.Agent, so node's http.request takes them as they are and
 * its socket pool keeps the tunnels alive between requests.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { proxyFor, type ProxyChoice, type ProxyRules } from './proxy.js';

export interface AgentOptions {
  maxSockets: number;
  /** Trusted roots for the Live Platform and the token endpoint (the private CA added to the public ones). */
  ca?: string[];
  rejectUnauthorized: boolean;
  proxy: ProxyRules;
}

export interface Agents {
  /** The agent for a URL and the proxy it goes through (null: direct). */
  forUrl(url: URL): { agent: http.Agent; proxy: ProxyChoice | null };
  /** Every agent made so far, for closing. */
  all(): http.Agent[];
  destroy(): void;
}

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/**
 * https-proxy-agent upgrades the tunnel to TLS with the request's own options only, which do not
 * carry the agent's CA or --insecure: pass them on, or a private CA would not count behind a proxy.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly tlsOptions: Pick<tls.ConnectionOptions, 'ca' | 'rejectUnauthorized'>,
  ) {
    super(proxy, options);
  }

  override connect(req: http.ClientRequest, opts: ConnectOptions) {
    // It also drops the host before the TLS upgrade, so an IP address would be checked as "localhost".
    const host = opts.host;
    return super.connect(req, {
      ...opts,
      ...this.tlsOptions,
      ...(host
        ? {
            checkServerIdentity: (_: string, cert: tls.PeerCertificate) =>
              tls.checkServerIdentity(host, cert),
          }
        : {}),
    });
  }
}

/** Creates the agents lazily. */
export function createAgents(options: AgentOptions): Agents {
  const tlsOptions = {
    rejectUnauthorized: options.rejectUnauthorized,
    ...(options.ca ? { ca: options.ca } : {}),
  };
  const base = { keepAlive: true, maxSockets: options.maxSockets };
  const made: http.Agent[] = [];
  const keep = <A extends http.Agent>(agent: A): A => {
    made.push(agent);
    return agent;
  };
  let direct: { http?: http.Agent; https?: http.Agent } = {};
  const proxied = new Map<string, http.Agent>();

  const forUrl = (url: URL): { agent: http.Agent; proxy: ProxyChoice | null } => {
    const secure = url.protocol === 'https:';
    const proxy = proxyFor(options.proxy, url);
    if (!proxy) {
      const agent = secure
        ? (direct.https ??= keep(new https.Agent({ ...base, ...tlsOptions })))
        : (direct.http ??= keep(new http.Agent(base)));
      return { agent, proxy: null };
    }
    const key = `${secure ? 'https' : 'http'} ${proxy.url.href}`;
    let agent = proxied.get(key);
    if (!agent) {
      // The options also apply to a TLS connection to an https:// proxy itself.
      agent = keep(
        secure
          ? new TunnelAgent(proxy.url, { ...base, ...tlsOptions }, tlsOptions)
          : new HttpProxyAgent(proxy.url, { ...base, ...tlsOptions }),
      );
      proxied.set(key, agent);
    }
    return { agent, proxy };
  };

  return {
    forUrl,
    all: () => [...made],
    destroy: () => {
      for (const agent of made) agent.destroy();
      made.length = 0;
      direct = {};
      proxied.clear();
    },
  };
}
