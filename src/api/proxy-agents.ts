/**
 * The proxy agents: http-proxy-agent and https-proxy-agent (the ones npm itself uses). Both extend
 * node's http.Agent, so node's http.request takes them as they are and its socket pool keeps the
 * tunnels alive between requests. A module of its own, loaded only when a request goes through a
 * proxy: the two packages cost a run that uses none about 20 ms of CPU to load.
 */
import type http from 'node:http';
import tls from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];
type TlsOptions = Pick<tls.ConnectionOptions, 'ca' | 'rejectUnauthorized'>;

/**
 * https-proxy-agent upgrades the tunnel to TLS with the request's own options only, which do not
 * carry the agent's CA or --insecure: pass them on, or a private CA would not count behind a proxy.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly tlsOptions: TlsOptions,
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

/** A keep-alive agent through `proxy`: a CONNECT tunnel for https URLs, absolute-form requests for http URLs. */
export function proxyAgent(
  secure: boolean,
  proxy: URL,
  base: { keepAlive: boolean; maxSockets: number },
  tlsOptions: TlsOptions,
): http.Agent {
  // The options also apply to a TLS connection to an https:// proxy itself.
  return secure
    ? new TunnelAgent(proxy, { ...base, ...tlsOptions }, tlsOptions)
    : new HttpProxyAgent(proxy, { ...base, ...tlsOptions });
}
