import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { clientFor, flush } from './helpers.js';

/**
 * The simulator behind a TLS terminator whose certificate is signed by a private CA made here
 * with openssl: what an on-prem Live Platform looks like.
 */
describe('TLS: private CA file and --insecure', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpsync-tls-'));
  const caFile = path.join(dir, 'ca.pem');
  let sim: RunningSimulator;
  let terminator: tls.Server;
  let httpsUrl = '';
  let connections = 0;

  beforeAll(async () => {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=lpsync test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );

    sim = await startSimulator({ port: 0, seed: 2 });
    terminator = tls.createServer(
      { key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) },
      (socket) => {
        connections += 1;
        const upstream = net.connect(sim.port, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        const end = () => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', end);
        upstream.on('error', end);
      },
    );
    await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
    httpsUrl = `https://127.0.0.1:${(terminator.address() as net.AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => terminator.close(resolve));
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
      const before = connections;
      for (let i = 0; i < 5; i += 1) await client.listServices();
      expect(connections - before).toBe(1);
      await Promise.all(
        Array.from({ length: 12 }, () => client.getSite('00000000-0000-4000-8000-000000000000')),
      );
      expect(connections - before).toBeLessThanOrEqual(3);
    } finally {
      client.close();
    }
  });
});
