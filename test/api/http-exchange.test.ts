/**
 * The exchange under the transport, against a real server on a loopback port: compressed answers read
 * as text (what node-fetch did before it), an answer cut off mid-body is an error (not a hang), and the
 * socket is kept alive for the next request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, TimedOut, TooLarge } from '../../src/api/http-exchange.js';

const JSON_TEXT = JSON.stringify({ id: 'ümlaut-✓', items: Array.from({ length: 200 }, (_, i) => i) });
let server: http.Server;
let base: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const seen: Array<{ headers: http.IncomingHttpHeaders; body: string; socket: number }> = [];
const sockets = new WeakMap<object, number>();

beforeAll(async () => {
  let next = 0;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, ++next);
      seen.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        socket: sockets.get(req.socket)!,
      });
      const encoding = req.url!.slice(1);
      if (encoding === 'cut') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      if (encoding === 'silent') return;
      const body = Buffer.from(JSON_TEXT);
      const encoded =
        encoding === 'gzip'
          ? zlib.gzipSync(body)
          : encoding === 'deflate'
            ? zlib.deflateSync(body)
            : encoding === 'br'
              ? zlib.brotliCompressSync(body)
              : body;
      res.writeHead(200, encoding === 'plain' ? {} : { 'content-encoding': encoding });
      res.end(encoded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string, extra: Partial<Parameters<typeof exchange>[0]> = {}) =>
  exchange({
    url: new URL(base + path),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":"é"}',
    agent,
    maxBytes: 1 << 20,
    timeoutMs: 5_000,
    ...extra,
  });

describe('one HTTP exchange', () => {
  it('reads gzip, deflate and br answers as the text they hold, and a plain one as it is', async () => {
    for (const encoding of ['gzip', 'deflate', 'br', 'plain']) {
      const answer = await get(`/${encoding}`);
      expect(answer.status, encoding).toBe(200);
      expect(answer.text, encoding).toBe(JSON_TEXT);
    }
  });

  it('sends the body with its length in bytes, asks for compressed answers, and keeps the socket', async () => {
    seen.length = 0;
    await get('/plain');
    await get('/plain');
    expect(seen.map((s) => s.body)).toEqual(['{"a":"é"}', '{"a":"é"}']);
    expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
    expect(seen[0]!.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });

  it('an answer cut off mid-body is an error naming the request, not a hang', async () => {
    const error = await get('/cut').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(new RegExp(`^request to ${base}/cut failed, reason: `));
  });

  it('no answer within the deadline is TimedOut; more than the cap is TooLarge with its status', async () => {
    await expect(get('/silent', { timeoutMs: 50 })).rejects.toBeInstanceOf(TimedOut);
    const tooLarge = await get('/gzip', { maxBytes: 100 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(tooLarge).toBeInstanceOf(TooLarge);
    expect((tooLarge as TooLarge).status).toBe(200);
  });

  it('a refused connection carries its code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await exchange({
      url: new URL(`http://127.0.0.1:${port}/x`),
      method: 'GET',
      headers: {},
      agent,
      maxBytes: 1024,
      timeoutMs: 5_000,
    }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe('ECONNREFUSED');
    expect(error?.message).toMatch(/failed, reason: connect ECONNREFUSED/);
  });
});
