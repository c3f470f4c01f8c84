import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantState } from '../../bench/tenant.js';
import { startSimulator } from '../../src/simulator/index.js';
import { manualClock } from '../support/manual-clock.js';
import { client, essentialsBody, finishedTask } from './helpers.js';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'lpsync-sim-'));
  folders.push(folder);
  return folder;
}

describe('persisted state', () => {
  it('survives a restart: services, sites, counters; new GUIDs do not repeat old ones', async () => {
    const folder = tempFolder();
    const stateFile = join(folder, 'nested', 'sim-state.json');
    const first = await startSimulator({ port: 0, seed: 5, stateFile });
    const c1 = client(first);
    const customer = await c1.post('/api/v2/customer', essentialsBody('Keep1'));
    const site = await c1.post(`/api/v2/customer/${customer.body.id}/sitelocation/`, {
      siteLocationName: 'Branch1',
      scriptParameters: { ProxySet: 'PS1' },
    });
    const before = first.snapshot();
    await first.close();
    // Written atomically: only the state file is left, no temp file beside it.
    expect(readdirSync(join(folder, 'nested'))).toEqual(['sim-state.json']);

    const second = await startSimulator({ port: 0, seed: 5, stateFile });
    try {
      const after = second.snapshot();
      expect(after.services).toEqual(before.services);
      expect(after.counters).toEqual(before.counters);
      const c2 = client(second);
      const read = await c2.get(`/api/v2/sitelocation/${site.body.siteGuid}`);
      expect(read.body.sbcInfo.carrierId).toBe('PS1');
      const another = await c2.post('/api/v2/customer', essentialsBody('Keep2'));
      expect(another.status).toBe(200);
      expect([customer.body.id, site.body.siteGuid]).not.toContain(another.body.id);
      expect((await c2.post('/api/v2/customer', essentialsBody('Keep1'))).status).toBe(400);
      expect(second.snapshot().counters.createAttempts).toEqual({ Keep1: 2, Keep2: 1 });
    } finally {
      await second.close();
    }
  });

  it('a task in progress at restart still completes', async () => {
    const stateFile = join(tempFolder(), 'state.json');
    const clock = manualClock();
    const first = await startSimulator({ port: 0, stateFile, taskDurationMs: 300, clock: clock.now });
    const { body } = await client(first).post('/api/v3/customer', {
      customerShortName: 'OcLater1',
      licenseType: 3,
    });
    await first.close();

    const second = await startSimulator({ port: 0, stateFile, clock: clock.now });
    try {
      const c = client(second);
      expect((await c.get(`/api/v2/task/${body.jobId}`)).body.status).toBe('InProgress');
      clock.advance(300);
      const done = await finishedTask(c, body.jobId);
      expect(done.body.status).toBe('CompletedSuccess');
      expect((await c.get('/api/v3/customer')).body[0].CustomerShortName).toBe('OcLater1');
    } finally {
      await second.close();
    }
  });

  it('refuses to start on a file that is not a simulator state file', async () => {
    const stateFile = join(tempFolder(), 'other.json');
    writeFileSync(stateFile, JSON.stringify({ hello: 'world' }));
    await expect(startSimulator({ port: 0, stateFile })).rejects.toThrow(/not a simulator state file/);
  });

  it('a state file written before the gateway counters existed still counts them from zero', async () => {
    const stateFile = join(tempFolder(), 'old-state.json');
    const old = {
      version: 1,
      idStreamState: 12345,
      state: {
        services: [],
        tasks: [],
        counters: {
          requests: { 'GET /api/v3/customer': 2 },
          creates: {},
          createAttempts: {},
          siteAdds: {},
          siteModifies: {},
          tokensIssued: 0,
          faults: { '500': 1, '503': 0, '429': 0, drop: 0 },
        },
      },
    };
    writeFileSync(stateFile, JSON.stringify(old));
    const sim = await startSimulator({ port: 0, seed: 9, stateFile, gatewayErrorRate: 1 });
    try {
      expect((await client(sim).get('/api/v3/customer')).status).toBeGreaterThanOrEqual(502);
      const { faults, requests } = sim.snapshot().counters;
      expect(faults['500']).toBe(1);
      expect(faults['502'] + faults['504']).toBe(1);
      expect(requests['GET /api/v3/customer']).toBe(3);
    } finally {
      await sim.close();
    }
  });

  it('carrier passwords are written masked, and read back as *** after a restart', async () => {
    const stateFile = join(tempFolder(), 'state.json');
    const first = await startSimulator({ port: 0, stateFile });
    const c1 = client(first);
    const customer = await c1.post(
      '/api/v2/customer',
      essentialsBody('Secret1', { scriptParameters: { CarrierUserPassword: 'Pw-in-clear-1' } }),
    );
    await c1.post(`/api/v2/customer/${customer.body.id}/sitelocation/`, {
      siteLocationName: 'Branch1',
      scriptParameters: { CarrierUserPassword: 'Pw-in-clear-2', ProxySet: 'PS1' },
    });
    // Held in clear while it runs (a test may compare what was sent)…
    expect(JSON.stringify(first.snapshot())).toContain('Pw-in-clear-2');
    await first.close();
    // …but never written to the file.
    const text = readFileSync(stateFile, 'utf8');
    expect(text).not.toContain('Pw-in-clear');
    expect(text).toContain('"CarrierUserPassword":"***"');
    const second = await startSimulator({ port: 0, stateFile });
    try {
      const sites = second.snapshot().services.flatMap((s) => s.sites);
      expect(sites.map((s) => [s.name, s.customerVariables.CarrierUserPassword, s.carrierId])).toEqual([
        ['Secret1', '***', null],
        ['Branch1', '***', 'PS1'],
      ]);
    } finally {
      await second.close();
    }
  });

  it('initialState: starts holding a copy of the tenant it is given, and writes no file', async () => {
    const tenant = tenantState(3, 5);
    const folder = tempFolder();
    const sim = await startSimulator({ port: 0, seed: 5, initialState: tenant });
    try {
      const site = tenant.services[1]!.sites[0]!;
      const read = await client(sim).get(`/api/v2/sitelocation/${site.id}`);
      expect(read.status).toBe(200);
      expect(read.body.siteName).toBe(site.name);
      // A copy: what the test does to its own object later is not what the simulator holds.
      tenant.services.length = 0;
      expect(sim.snapshot().services).toHaveLength(3);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
