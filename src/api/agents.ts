/**
 * The HTTP agents of one transport: keep-alive agents for direct connections, and one keep-alive
 * proxy agent per proxy and scheme — CONNECT tunnels for https URLs, absolute-form requests for
 * http URLs, as curl does (src/api/proxy-agents.ts, loaded with the first request through a proxy).
 */
import http from 'node:http';
import https from 'node:https';
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
  forUrl(url: URL): Promise<{ agent: http.Agent; proxy: ProxyChoice | null }>;
  /** Every agent made so far, for closing. */
  all(): http.Agent[];
  destroy(): void;
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

  const forUrl = async (url: URL): Promise<{ agent: http.Agent; proxy: ProxyChoice | null }> => {
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
      const { proxyAgent } = await import('./proxy-agents.js');
      // Two requests may have waited for the module: the first one back makes the agent.
      agent = proxied.get(key) ?? keep(proxyAgent(secure, proxy.url, base, tlsOptions));
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
