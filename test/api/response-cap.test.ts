/**
 * An answer larger than the cap (`--max-response-mb`, 16 MiB by default) stops being read there: an error
 * naming the request and the cap, not retried; a write answered so is unknown (read back, never re-sent).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { createLivePlatformClient } from '../../src/api/index.js';
import { silentLogger } from '../../src/cli/logging.js';
import { createRedactor } from '../../src/model/redact.js';
import { startEndlessServer, type EndlessServer } from '../support/endless-server.js';
import { customerBody } from './helpers.js';

let server: EndlessServer | undefined;
const clients: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function clientOfEndless(maxResponseBytes?: number) {
  server = await startEndlessServer();
  const client = createLivePlatformClient({
    baseUrl: `${server.url}/tenantui`,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    timeoutMs: 20_000,
    retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 },
    ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
  });
  clients.push(client);
  return { client, server };
}

describe('the cap on a response body', () => {
  it('a listing that never ends: an error naming the request and the cap, after one request', async () => {
    const { client, server } = await clientOfEndless(256 * 1024);
    const error = await client.listServices({ allDetails: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect(e.code).toBe('bad-response');
    expect(e.message).toBe(
      'GET /api/v3/customer?allDetails=true: the answer (HTTP 200) is larger than 256 KiB, the cap on a response body: lpsync stopped reading it.',
    );
    expect(e.hint).toMatch(/--max-response-mb/);
    expect(server.requests()).toEqual(['GET /tenantui/api/v3/customer?allDetails=true']);
    // Reading stopped at the cap: the server got out little more than it (socket buffers), not megabytes.
    expect(server.sentBytes()).toBeLessThan(4 * 1024 * 1024);
  });

  it('a write answered so is unknown: sent once, never again', async () => {
    const { client, server } = await clientOfEndless(64 * 1024);
    const result = await client.createCustomer(customerBody('EndlessAnswer'));
    expect(result.kind).toBe('unknown-outcome');
    if (result.kind === 'unknown-outcome')
      expect(result.error.message).toContain(
        'POST /api/v2/customer: the answer (HTTP 200) is larger than 64 KiB',
      );
    expect(server.requests()).toEqual(['POST /tenantui/api/v2/customer']);
  });

  it('is 16 MiB unless set', async () => {
    const { client } = await clientOfEndless();
    await expect(client.listServices()).rejects.toThrow(/is larger than 16 MiB, the cap on a response body/);
  });
});
