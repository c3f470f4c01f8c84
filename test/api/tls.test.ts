import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { clientFor, flush } from './helpers.js';
import { makePrivateCa, startTlsTerminator, type Terminator } from './private-ca.js';

/**
 * The simulator behind a TLS terminator whose certificate is signed by a private CA made here
 * with openssl: what an on-prem Live Platform looks like.
 */
describe('TLS: private CA file and --insecure', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpsync-tls-'));
  let caFile = '';
  let sim: RunningSimulator;
  let terminator: Terminator;
  let httpsUrl = '';

  beforeAll(async () => {
    const ca = makePrivateCa(dir);
    caFile = ca.caFile;
    sim = await startSimulator({ port: 0, seed: 2 });
    terminator = await startTlsTerminator(ca, sim.port);
    httpsUrl = terminator.url;
  });

  afterAll(async () => {
    await terminator.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a certificate it cannot verify, at once and with a hint, without sending', async () => {
    const { client } = clientFor(sim, { baseUrl: `${httpsUrl}/tenantui` });
    try {
      const error = await client.listServices().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('network');
      expect((error as ApiError).message).toMatch(/TLS failure/);
      expect((error as ApiError).hint).toMatch(/--ca-file/);
      expect((error as ApiError).attempts).toBe(1);
      expect(sim.snapshot().counters.requests['GET /api/v3/customer'] ?? 0).toBe(0);
    } finally {
      client.close();
    }
  });

  it('trusts the private CA given as caFile', async () => {
    const { client } = clientFor(sim, { baseUrl: `${httpsUrl}/tenantui`, caFile });
    try {
      expect(await client.listServices()).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('--insecure connects without verification and says so', async () => {
    const { client, log } = clientFor(sim, { baseUrl: `${httpsUrl}/tenantui`, insecure: true });
    try {
      expect(await client.listServices({ allDetails: true })).toEqual([]);
      await flush();
      expect(log.text()).toMatch(/"level":"warn".*verification is OFF/);
    } finally {
      client.close();
    }
  });

  it('keeps connections alive, and opens no more than `concurrency` of them', async () => {
    const { client } = clientFor(sim, { baseUrl: `${httpsUrl}/tenantui`, caFile, concurrency: 3 });
    try {
      const before = terminator.connections();
      for (let i = 0; i < 5; i += 1) await client.listServices();
      expect(terminator.connections() - before).toBe(1);
      await Promise.all(
        Array.from({ length: 12 }, () => client.getSite('00000000-0000-4000-8000-000000000000')),
      );
      expect(terminator.connections() - before).toBeLessThanOrEqual(3);
    } finally {
      client.close();
    }
  });
});
