import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan, type PlanArgs } from '../../src/cli/commands/plan.js';
import { loadWorkbook } from '../../src/input/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

let sim: RunningSimulator;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 9, taskDurationMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-plan-cmd-'));
  env = { LPSYNC_BASE_URL: `${sim.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

function args(partial: Partial<PlanArgs>): PlanArgs {
  return {
    strict: false,
    adopt: false,
    all: false,
    verbose: false,
    state: join(dir, 'state.db'),
    ...partial,
  };
}

describe('lpsync plan', () => {
  it('plans the sample workbook against an empty platform, prints counts and writes a masked plan.json', async () => {
    const out = join(dir, 'out', 'plan.json');
    const outcome = await runPlan(args({ file: 'samples/customers.xlsx', out }), env);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(
      /^Plan: \d+ to create, \d+ to add, 0 to modify, 0 unchanged, 0 busy, \d+ conflicts?/,
    );
    expect(outcome.stdout).toContain('create customer');
    expect(outcome.stdout).toContain(`Plan written to ${out}`);
    const json = JSON.parse(readFileSync(out, 'utf8')) as {
      counts: Record<string, number>;
      actions: unknown[];
    };
    expect(json.counts['create-customer']).toBeGreaterThan(0);
    const { secrets } = await loadWorkbook({ kind: 'xlsx', path: 'samples/customers.xlsx' });
    expect(secrets.length).toBeGreaterThan(0);
    const written = readFileSync(out, 'utf8') + outcome.stdout + outcome.stderr;
    for (const secret of secrets) expect(written).not.toContain(secret);
    // Nothing was sent: planning only reads.
    const requests = sim.snapshot().counters.requests;
    expect(Object.keys(requests).filter((k) => !k.startsWith('GET'))).toEqual([]);
  });

  it('exits 2 with a clear message when --out cannot be written', async () => {
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    const out = join(dir, 'a-file', 'plan.json');
    const outcome = await runPlan(args({ file: 'samples/customers.xlsx', out }), env);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain(`Cannot write --out ${out}`);
  });

  it('exits 2 with the issue table for an invalid workbook, before connecting', async () => {
    const outcome = await runPlan(args({ file: 'samples/invalid.xlsx' }), {});
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/no plan was made/);
    expect(outcome.stdout).toBe('');
  });

  it('exits 2 when no Live Platform URL is configured', async () => {
    const csv = join(dir, 'own-sites.csv');
    writeFileSync(csv, 'Customer Short Name,Site Name,SBC Id\nSomebody1,Site1,5\n');
    const outcome = await runPlan(args({ sites: csv }), {});
    expect(outcome.stderr).toMatch(/No Live Platform URL/);
    expect(outcome.exitCode).toBe(2);
  });

  it('exits 3 when the Live Platform cannot be read', async () => {
    const csv = join(dir, 'down-sites.csv');
    writeFileSync(csv, 'Customer Short Name,Site Name,SBC Id\nSomebody1,Site1,5\n');
    sim.setFaults({ errorRate: 1 });
    try {
      const outcome = await runPlan(args({ sites: csv, retries: 0 }), env);
      expect(outcome.exitCode).toBe(3);
      expect(outcome.stderr).toMatch(/^lpsync plan failed: /);
      expect(outcome.stderr).not.toContain('demo-token');
    } finally {
      sim.setFaults({ errorRate: 0 });
    }
  });

  it('exits 1 with --strict when the plan has a conflict', async () => {
    const csv = join(dir, 'sites.csv');
    writeFileSync(csv, 'Customer Short Name,Site Name,SBC Id\nNobody1,Site1,5\n');
    const lenient = await runPlan(args({ sites: csv }), env);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toContain('1 conflict');
    expect(lenient.stdout).toMatch(/neither in the Customers sheet nor on the Live Platform/);
    const strict = await runPlan(args({ sites: csv, strict: true }), env);
    expect(strict.exitCode).toBe(1);
  });
});
