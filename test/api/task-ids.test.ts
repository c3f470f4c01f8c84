import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { createOcServiceFromLeadTaskResponse, exampleJson } from '../support/vendor-examples.js';
import { clientFor, ocBody } from './helpers.js';

/**
 * The simulator always answers `{"jobId": …}`; other Live Platform task endpoints answer the id
 * alone. A small loopback server answers the create in the form given and the task as on the page.
 */
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function platformAnswering(createAnswer: string, contentType: string): Promise<RunningSimulator> {
  const task = exampleJson(createOcServiceFromLeadTaskResponse);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const isCreate = req.method === 'POST' && req.url === '/tenantui/api/v3/customer';
      const body = isCreate ? createAnswer : JSON.stringify({ ...task, id: req.url?.split('/').pop() });
      res.writeHead(200, { 'Content-Type': isCreate ? contentType : 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Only `url` is used by clientFor.
  return { url: `http://127.0.0.1:${port}` } as RunningSimulator;
}

describe('task ids in every form the platform answers them', () => {
  for (const [form, answer, contentType] of [
    ['{"jobId": …}', '{"jobId":"wst_80b54f45-6643-4fdf-960a-638c18edb787"}', 'application/json'],
    ['a bare JSON string', '"wst_80b54f45-6643-4fdf-960a-638c18edb787"', 'application/json'],
    ['plain text', 'wst_80b54f45-6643-4fdf-960a-638c18edb787\n', 'text/plain'],
  ] as const) {
    it(`as ${form}: the job id, then the task polled to its end`, async () => {
      const { client } = clientFor(await platformAnswering(answer, contentType));
      try {
        const created = await client.createOcService(ocBody('Bradx35340067'));
        expect(created).toMatchObject({
          kind: 'ok',
          value: { jobId: 'wst_80b54f45-6643-4fdf-960a-638c18edb787' },
        });
        if (created.kind !== 'ok') return;
        const task = await client.waitForTask(created.value.jobId);
        expect(task).toMatchObject({ id: created.value.jobId, status: 'CompletedSuccess' });
      } finally {
        client.close();
      }
    });
  }

  it('an answer that is no id at all is unknown-outcome (the service may exist), showing what came back', async () => {
    const { client } = clientFor(await platformAnswering('<html>Service created</html>', 'text/html'));
    try {
      const created = await client.createOcService(ocBody('Bradx35340067'));
      expect(created.kind).toBe('unknown-outcome');
      if (created.kind === 'unknown-outcome') expect(created.error.message).toContain('<html>');
    } finally {
      client.close();
    }
  });
});
