import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/types.js';
import { createRedactor } from '../../src/model/redact.js';
import {
  applyPlan,
  customer,
  ocCustomer,
  planFor,
  recordingWrites,
  site,
  startRig,
  type Rig,
} from './helpers.js';
import { manualClock } from '../support/manual-clock.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const statuses = (results: Array<{ actionId: string; status: string }>) =>
  Object.fromEntries(results.map((r) => [r.actionId, r.status]));

describe('applyPlan', () => {
  it('creates customers before their further sites, journals every action and converges', async () => {
    rig = await startRig();
    const rows = {
      customers: [customer('AlphaCo'), customer('BetaCo'), ocCustomer('GammaOc')],
      sites: [site('AlphaCo', 'AlphaSite2'), site('AlphaCo', 'AlphaSite3'), site('GammaOc', 'GammaSite2')],
    };
    const plan = await planFor(rig.client, rig.store, rows);
    expect(plan.actions.find((a) => a.id === 'site:AlphaCo/AlphaSite2')?.dependsOn).toEqual([
      'customer:AlphaCo',
    ]);

    const ends: string[] = [];
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-1',
      onEvent: (e) => e.type === 'action-end' && ends.push(e.record.actionId),
    });
    expect(statuses(result.records)).toEqual({
      'customer:AlphaCo': 'succeeded',
      'customer:BetaCo': 'succeeded',
      'customer:GammaOc': 'succeeded',
      'site:AlphaCo/AlphaSite2': 'succeeded',
      'site:AlphaCo/AlphaSite3': 'succeeded',
      'site:GammaOc/GammaSite2': 'succeeded',
    });
    expect(ends.indexOf('customer:AlphaCo')).toBeLessThan(ends.indexOf('site:AlphaCo/AlphaSite2'));
    expect(ends.indexOf('customer:GammaOc')).toBeLessThan(ends.indexOf('site:GammaOc/GammaSite2'));
    const gamma = result.records.find((r) => r.actionId === 'customer:GammaOc');
    expect(gamma?.taskId).toMatch(/^wst_/);
    expect(gamma?.customerGuid).toBeTruthy();
    expect(result.records.find((r) => r.actionId === 'site:GammaOc/GammaSite2')?.customerGuid).toBe(
      gamma?.customerGuid,
    );

    const journal = rig.store.journal('run-1');
    expect(journal).toHaveLength(6);
    expect(journal.every((e) => e.status === 'succeeded' && e.endedAt !== null && e.attempts >= 1)).toBe(
      true,
    );
    expect(journal.find((e) => e.actionId === 'customer:GammaOc')?.taskId).toBe(gamma?.taskId);

    const counters = rig.sim.snapshot().counters;
    expect(counters.creates).toEqual({ AlphaCo: 1, BetaCo: 1, GammaOc: 1 });

    const again = await planFor(rig.client, rig.store, rows);
    expect(again.actions.map((a) => a.kind)).toEqual(Array(6).fill('unchanged'));
  });

  it('writes to one customer one at a time while different customers run in parallel', async () => {
    rig = await startRig({ latencyMs: 40 });
    const customers = [customer('OneCo'), customer('TwoCo'), customer('ThreeCo')];
    await applyPlan({
      plan: await planFor(rig.client, rig.store, { customers, sites: [] }),
      client: rig.client,
      store: rig.store,
      runId: 'setup',
    });
    const sites = customers.flatMap((c) => [1, 2, 3].map((n) => site(c.shortName, `${c.shortName}S${n}`)));
    const plan = await planFor(rig.client, rig.store, { customers, sites });
    expect(plan.actions.filter((a) => a.kind === 'add-site')).toHaveLength(9);

    const { client, spans } = recordingWrites(rig.client);
    const result = await applyPlan({ plan, client, store: rig.store, runId: 'run-2', concurrency: 4 });
    expect(result.records.filter((r) => r.status === 'succeeded')).toHaveLength(9);
    expect(spans).toHaveLength(9);
    const overlap = (a: (typeof spans)[0], b: (typeof spans)[0]) => a.start < b.end && b.start < a.end;
    let parallel = 0;
    for (const a of spans)
      for (const b of spans) {
        if (a === b || !overlap(a, b)) continue;
        expect(a.key).not.toBe(b.key);
        parallel += 1;
      }
    expect(parallel).toBeGreaterThan(0);
  });

  it('does not hold a request slot while waiting on an OC task', async () => {
    // The OC task finishes only when the three creates behind it have: they must not wait for it.
    const clock = manualClock();
    rig = await startRig({ taskDurationMs: 1_500, clock: clock.now });
    const rows = {
      customers: [ocCustomer('SlowOc'), customer('FastA'), customer('FastB'), customer('FastC')],
      sites: [],
    };
    const plan = await planFor(rig.client, rig.store, rows);
    const ends: string[] = [];
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-oc',
      concurrency: 1,
      // Were the slot held, the task would outlast this and the creates would end after it.
      taskTimeoutMs: 5_000,
      onEvent: (e) => {
        if (e.type !== 'action-end') return;
        ends.push(e.record.actionId);
        if (e.record.actionId === 'customer:FastC') clock.advance(1_500);
      },
    });
    expect(result.records.every((r) => r.status === 'succeeded')).toBe(true);
    // With one slot, the three creates could only finish first if the task wait left the slot free.
    expect(ends).toEqual(['customer:FastA', 'customer:FastB', 'customer:FastC', 'customer:SlowOc']);
  });

  it('an OC service whose task succeeded is created even when the listing read afterwards fails', async () => {
    rig = await startRig();
    const rows = { customers: [ocCustomer('OcRead1')], sites: [] };
    const plan = await planFor(rig.client, rig.store, rows);
    const sim = rig.sim;
    // The platform starts failing every request the moment the task is seen done.
    const client = Object.create(rig.client) as typeof rig.client;
    client.waitForTask = async (id, options) => {
      const task = await rig!.client.waitForTask(id, options);
      sim.setFaults({ errorRate: 1 });
      return task;
    };
    const result = await applyPlan({ plan, client, store: rig.store, runId: 'run-oc-read' });
    const oc = result.records[0]!;
    expect(oc.status).toBe('succeeded');
    expect(oc.customerGuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(oc.messages.join('\n')).toMatch(/reading its GUIDs back failed/);
    expect(sim.snapshot().counters.creates).toEqual({ OcRead1: 1 });
  });

  it("an OC task that fails (the short name taken behind lpsync's back) fails the row with the task's reason; its site is skipped", async () => {
    const clock = manualClock();
    rig = await startRig({ taskDurationMs: 300, clock: clock.now });
    const rows = { customers: [ocCustomer('Behind1')], sites: [site('Behind1', 'BehindSite2')] };
    const plan = await planFor(rig.client, rig.store, rows);
    // While the task runs, someone creates the same short name in the portal; then the task ends.
    const client = Object.create(rig.client) as typeof rig.client;
    client.waitForTask = async (id, options) => {
      const other = await rig!.client.createCustomer({
        shortName: 'Behind1',
        siteLocation: { sbcId: 1, sbcOnboardingScript: 3, sbcCleanupScript: 4 },
      });
      expect(other.kind).toBe('ok');
      clock.advance(300);
      return rig!.client.waitForTask(id, options);
    };
    const result = await applyPlan({ plan, client, store: rig.store, runId: 'run-behind' });
    expect(statuses(result.records)).toEqual({
      'customer:Behind1': 'failed',
      'site:Behind1/BehindSite2': 'skipped',
    });
    expect(result.records[0]?.error).toMatch(
      /^task wst_\S+ ended CompletedFailure: .*Behind1.*already exists/,
    );
    expect(result.records[1]?.error).toMatch(/customer:Behind1 ended failed/);
    expect(rig.sim.snapshot().counters.siteAdds).toEqual({});
  });

  it('an OC create sent again after a lost answer, whose second task fails as a duplicate of the first, succeeded', async () => {
    const clock = manualClock();
    rig = await startRig({ taskDurationMs: 600, clock: clock.now });
    const rows = { customers: [ocCustomer('OcTwice1')], sites: [] };
    const plan = await planFor(rig.client, rig.store, rows);
    const sim = rig.sim;
    // Only the first request's answer is lost (after the platform took it). Both tasks end once the second is sent.
    const client = Object.create(rig.client) as typeof rig.client;
    let sends = 0;
    client.createOcService = async (body) => {
      sim.setFaults({ dropAfterCommitRate: sends++ === 0 ? 1 : 0 });
      const sent = await rig!.client.createOcService(body);
      if (sends === 2) clock.advance(600);
      return sent;
    };
    const result = await applyPlan({
      plan,
      client,
      store: rig.store,
      runId: 'run-oc-twice',
      // Too short to see the first task's service in the listing: the create is sent again.
      readBackWaitMs: 10,
      readBackIntervalMs: 5,
    });
    const oc = result.records[0]!;
    expect(sends).toBe(2);
    expect(oc.messages.join('\n')).toMatch(/already exists/);
    expect(oc.status, oc.error ?? '').toBe('succeeded');
    expect(oc.customerGuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.snapshot().counters.creates).toEqual({ OcTwice1: 1 });
  });

  it('a conflict is never sent, and its reason is the row error', async () => {
    rig = await startRig();
    const rows = { customers: [], sites: [site('Ghost1co', 'GhostSite')] };
    const plan = await planFor(rig.client, rig.store, rows);
    const result = await applyPlan({ plan, client: rig.client, store: rig.store, runId: 'run-conflict' });
    expect(result.records[0]).toMatchObject({ kind: 'conflict', status: 'skipped', attempts: 0 });
    expect(result.records[0]?.error).toMatch(/neither in the Customers sheet nor on the Live Platform/);
    expect(Object.keys(rig.sim.snapshot().counters.requests).filter((k) => !k.startsWith('GET'))).toEqual([]);
  });

  it('journals messages and errors through the redactor', async () => {
    rig = await startRig();
    const rows = { customers: [customer('Leak1co')], sites: [site('Leak1co', 'LeakSite2')] };
    const plan = await planFor(rig.client, rig.store, rows);
    rig.sim.setFaults({ errorRate: 1 });
    // Any text the run was told is secret; here the short name, which every reason and error mentions.
    await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-leak',
      redactor: createRedactor(['Leak1co']),
    });
    const journal = JSON.stringify(rig.store.journal('run-leak').map((e) => [e.messages, e.error]));
    expect(journal).toContain('***');
    expect(journal).not.toContain('Leak1co');
  });

  it('reads back a write whose answer was lost instead of sending it again', async () => {
    rig = await startRig();
    const rows = {
      customers: [customer('LostCo'), ocCustomer('LostOc')],
      sites: [site('LostCo', 'LostSite2')],
    };
    const plan = await planFor(rig.client, rig.store, rows);
    rig.sim.setFaults({ dropAfterCommitRate: 1 });
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-lost',
      readBackWaitMs: 3_000,
      readBackIntervalMs: 100,
    });
    expect(statuses(result.records)).toEqual({
      'customer:LostCo': 'succeeded',
      'customer:LostOc': 'succeeded',
      'site:LostCo/LostSite2': 'succeeded',
    });
    const counters = rig.sim.snapshot().counters;
    expect(counters.createAttempts).toEqual({ LostCo: 1, LostOc: 1 });
    expect(counters.creates).toEqual({ LostCo: 1, LostOc: 1 });
    expect(counters.siteAdds).toEqual({ 'LostCo/LostSite2': 1 });
    const lost = result.records.find((r) => r.actionId === 'customer:LostCo');
    expect(lost?.customerGuid).toBe(
      rig.sim.snapshot().services.find((s) => s.shortName === 'LostCo')?.customerGuid,
    );
    expect(lost?.messages.join(' ')).toMatch(/answer was lost/);
  });

  it('repeats a modify whose answer was lost within the retry budget (PATCH is idempotent); lost every time, it is unknown', async () => {
    rig = await startRig();
    const first = { customers: [customer('PatchCo')], sites: [site('PatchCo', 'PatchSite')] };
    await applyPlan({
      plan: await planFor(rig.client, rig.store, first),
      client: rig.client,
      store: rig.store,
      runId: 'setup',
    });
    const changed = {
      customers: first.customers,
      sites: [site('PatchCo', 'PatchSite', { cacProfile: 'Cac2' })],
    };
    const plan = await planFor(rig.client, rig.store, changed);
    expect(plan.actions.find((a) => a.id === 'site:PatchCo/PatchSite')?.kind).toBe('modify-site');
    rig.sim.setFaults({ dropAfterCommitRate: 1 });
    const result = await applyPlan({ plan, client: rig.client, store: rig.store, runId: 'run-patch' });
    const modify = result.records.find((r) => r.actionId === 'site:PatchCo/PatchSite')!;
    expect(modify.status).toBe('unknown');
    expect(modify.messages.join(' ')).toMatch(/the answer was lost every time it was sent/);
    expect(modify.attempts).toBe(4); // the rig's retry budget
    expect(Object.values(rig.sim.snapshot().counters.siteModifies)).toEqual([4]);
    expect(rig.store.journal('run-patch').find((e) => e.actionId === modify.actionId)?.status).toBe(
      'unknown',
    );
    // The platform did take it: the next plan, reading back, has nothing to do.
    rig.sim.setFaults({ dropAfterCommitRate: 0 });
    const next = await planFor(rig.client, rig.store, changed);
    expect(next.actions.find((a) => a.id === modify.actionId)?.kind).toBe('unchanged');
  });

  it('stops dispatching after --max-errors failures and reports the rest as not run', async () => {
    rig = await startRig();
    const rows = { customers: ['E1co', 'E2co', 'E3co', 'E4co', 'E5co'].map((n) => customer(n)), sites: [] };
    const plan = await planFor(rig.client, rig.store, rows);
    rig.sim.setFaults({ errorRate: 1 });
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-max',
      concurrency: 1,
      maxErrors: 2,
    });
    expect(result.stoppedBy).toBe('max-errors');
    expect(result.records.filter((r) => r.status === 'failed')).toHaveLength(2);
    expect(result.records.filter((r) => r.status === 'not-run')).toHaveLength(3);
    expect(rig.sim.snapshot().counters.requests['POST /api/v2/customer']).toBe(2);
    const journal = rig.store.journal('run-max');
    expect(journal.filter((e) => e.status === 'not-run')).toHaveLength(3);
  });

  it('a site whose customer was not run (stopped by --max-errors) is not run either, and left pending', async () => {
    rig = await startRig();
    const rows = { customers: [customer('M1co'), customer('M2co')], sites: [site('M2co', 'M2Site2')] };
    const plan = await planFor(rig.client, rig.store, rows);
    rig.sim.setFaults({ errorRate: 1 });
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-max-dep',
      concurrency: 1,
      maxErrors: 1,
    });
    const siteResult = result.records.find((r) => r.actionId === 'site:M2co/M2Site2');
    expect(result.records.map((r) => r.status)).toEqual(['failed', 'not-run', 'not-run']);
    expect(siteResult?.error).toMatch(/customer:M2co was not run/);
    expect(rig.store.journal('run-max-dep').map((e) => e.status)).toEqual(['failed', 'not-run', 'not-run']);
  });

  it('a site whose customer ended unknown (its task outlasted the wait) is not run, left pending for the next run', async () => {
    rig = await startRig({ taskDurationMs: 3_000 });
    const rows = { customers: [ocCustomer('SlowTask1')], sites: [site('SlowTask1', 'SlowSite2')] };
    const plan = await planFor(rig.client, rig.store, rows);
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-slow-task',
      taskTimeoutMs: 200,
    });
    expect(statuses(result.records)).toEqual({
      'customer:SlowTask1': 'unknown',
      'site:SlowTask1/SlowSite2': 'not-run',
    });
    expect(result.records[1]?.error).toMatch(/customer:SlowTask1 ended unknown/);
    expect(rig.store.journal('run-slow-task').map((e) => e.status)).toEqual(['unknown', 'not-run']);
  });

  it('skips a site whose customer could not be created, with the reason', async () => {
    rig = await startRig();
    const rows = { customers: [customer('BadCo')], sites: [site('BadCo', 'BadSite2')] };
    const plan = await planFor(rig.client, rig.store, rows);
    rig.sim.setFaults({ errorRate: 1 });
    const result = await applyPlan({ plan, client: rig.client, store: rig.store, runId: 'run-dep' });
    const siteResult = result.records.find((r) => r.actionId === 'site:BadCo/BadSite2');
    expect(siteResult?.status).toBe('skipped');
    expect(siteResult?.error).toMatch(/customer:BadCo ended failed/);
    expect(
      rig.sim.snapshot().counters.requests['POST /api/v2/customer/{customerGuid}/sitelocation'],
    ).toBeUndefined();
  });

  it('on abort stops dispatching, lets the request in flight finish and journals the rest as pending', async () => {
    rig = await startRig();
    const rows = { customers: ['A1co', 'A2co', 'A3co', 'A4co'].map((n) => customer(n)), sites: [] };
    const plan = await planFor(rig.client, rig.store, rows);
    rig.sim.setFaults({ latencyMs: 300 });
    const controller = new AbortController();
    const onEvent = (e: ApplyEvent) => {
      if (e.type === 'action-start') controller.abort();
    };
    const result = await applyPlan({
      plan,
      client: rig.client,
      store: rig.store,
      runId: 'run-abort',
      concurrency: 1,
      signal: controller.signal,
      onEvent,
    });
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.records.map((r) => r.status)).toEqual(['succeeded', 'not-run', 'not-run', 'not-run']);
    expect(rig.sim.snapshot().counters.creates).toEqual({ A1co: 1 });
    expect(rig.store.journal('run-abort').map((e) => e.status)).toEqual([
      'succeeded',
      'not-run',
      'not-run',
      'not-run',
    ]);
  });
});
