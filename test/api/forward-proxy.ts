/**
 * A small forwarding proxy on loopback for tests, as a corporate proxy behaves: CONNECT tunnels
 * for https, absolute-form requests forwarded for http, optional Basic credentials (407 without
 * them). It records what passed through it: each CONNECT, each forwarded request, and each
 * connection a client opened to it (keep-alive shows as several requests over one connection).
 */
import http from 'node:http';
import net from 'node:net';

export interface ProxyRecord {
  kind: 'connect' | 'forward';
  /** `host:port` for CONNECT, the absolute URL for a forwarded request. */
  target: string;
  method: string;
  /** The Proxy-Authorization header as it arrived. */
  proxyAuthorization: string | null;
  /** The client connection it came over (1, 2, …). */
  connection: number;
  /** Refused with 407. */
  refused: boolean;
}

export interface ForwardProxy {
  url: string;
  port: number;
  records: ProxyRecord[];
  /** Client connections opened to the proxy so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1, port chosen by the OS; `credentials` makes it answer 407 without them. */
export async function startForwardProxy(credentials?: {
  user: string;
  password: string;
}): Promise<ForwardProxy> {
  const records: ProxyRecord[] = [];
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
    : null;
  let connections = 0;
  const ids = new WeakMap<net.Socket, number>();
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    const auth = header(req, 'proxy-authorization');
    const refused = expected !== null && auth !== expected;
    records.push({
      kind: 'forward',
      target: req.url ?? '',
      method: req.method ?? '',
      proxyAuthorization: auth,
      connection: ids.get(req.socket) ?? 0,
      refused,
    });
    if (refused) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"', 'Content-Type': 'text/plain' });
      res.end('Proxy Authentication Required');
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    // An upstream that drops the connection drops the client's too, as a transparent proxy would.
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });

  server.on('connection', (socket: net.Socket) => {
    connections += 1;
    ids.set(socket, connections);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const auth = header(req, 'proxy-authorization');
    const refused = expected !== null && auth !== expected;
    records.push({
      kind: 'connect',
      target: req.url ?? '',
      method: 'CONNECT',
      proxyAuthorization: auth,
      connection: ids.get(client) ?? 0,
      refused,
    });
    if (refused) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    let established = false;
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    // A target that cannot be reached is answered 502, as proxies do; the request never left.
    upstream.on('error', () =>
      established ? end() : client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'),
    );
    client.on('error', end);
    upstream.on('close', () => established && end());
    client.on('close', end);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    records,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}
