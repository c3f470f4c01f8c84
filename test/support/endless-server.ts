/**
 * A loopback HTTP server whose every answer is a JSON array that never ends: what a broken proxy, a wrong
 * --base-url or a platform bug can send. It counts the requests and the bytes it got out.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EndlessServer {
  url: string;
  requests: () => string[];
  /** Bytes of body written to sockets so far. */
  sentBytes: () => number;
  close: () => Promise<void>;
}

export async function startEndlessServer(status = 200): Promise<EndlessServer> {
  const requests: string[] = [];
  let sent = 0;
  const item = '{"UmpCustomerGuid":"0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9","CustomerShortName":"Endless"},';
  const chunk = Buffer.from(item.repeat(512));
  const server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.write('[');
    // As fast as the socket takes it, until the client goes away.
    const pump = (): void => {
      while (!res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.on('error', () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => [...requests],
    sentBytes: () => sent,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
