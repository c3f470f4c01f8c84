import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, journalEntry } from '../../src/apply/executor.js';
import { createdUnrecorded, resolveInterrupted, settledFromJournal } from '../../src/apply/resume.js';
import { planActions, readObservedState } from '../../src/plan/index.js';
import type { ActionRequest, PlannedAction } from '../../src/plan/types.js';
import { customer, ocCustomer, planFor, site, startRig, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The request of a planned action, narrowed to one endpoint (throws when the plan chose another). */
function requestOf<E extends ActionRequest['endpoint']>(
  action: PlannedAction | undefined,
  endpoint: E,
): Extract<ActionRequest, { endpoint: E }> {
  if (action?.request?.endpoint !== endpoint) throw new Error(`expected ${endpoint} for ${action?.id}`);
  return action.request as Extract<ActionRequest, { endpoint: E }>;
}

const blank = {
  customerGuid: null,
  siteGuid: null,
  deploymentState: null,
  taskId: null,
  messages: [],
  error: null,
  status: 'not-run' as const,
};

describe('resume', () => {
  it('reads back what an interrupted run left in flight, then sends only what is missing', async () => {
    rig = await startRig({ taskDurationMs: 400 });
    const { client, store } = rig;
    const rows = {
      customers: [customer('FoundCo', { channelId: 'ch-7' }), customer('MissingCo'), ocCustomer('TaskOc')],
      sites: [site('FoundCo', 'FoundSite2')],
    };
    const plan = await planFor(client, store, rows);
    const byId = new Map(plan.actions.map((a) => [a.id, a]));
    store.createRun({
      runId: 'r1',
      command: 'apply',
      inputFile: 'book.xlsx',
      inputDigest: 'x',
      baseUrl: rig.sim.url,
      startedAt: new Date().toISOString(),
    });

    // What a killed run leaves: requests that reached the platform, their journal entries still in flight.
    const found = await client.createCustomer(requestOf(byId.get('customer:FoundCo'), 'createCustomer').body);
    if (found.kind !== 'ok') throw new Error('setup create failed');
    const added = await client.addSite(
      found.value.customerGuid,
      requestOf(byId.get('site:FoundCo/FoundSite2'), 'addSite').body,
    );
    if (added.kind !== 'ok') throw new Error('setup add failed');
    const job = await client.createOcService(requestOf(byId.get('customer:TaskOc'), 'createOcService').body);
    if (job.kind !== 'ok') throw new Error('setup OC create failed');
    for (const action of plan.actions)
      store.putJournal({ ...journalEntry('r1', action, 'in-flight', blank), attempts: 1 });
    store.putJournal({
      ...journalEntry('r1', byId.get('site:FoundCo/FoundSite2')!, 'in-flight', {
        ...blank,
        customerGuid: found.value.customerGuid,
      }),
      attempts: 1,
    });
    store.putJournal({
      ...journalEntry('r1', byId.get('customer:TaskOc')!, 'in-flight', { ...blank, taskId: job.value.jobId }),
      attempts: 1,
    });

    const resolution = await resolveInterrupted({
      client,
      store,
      runId: 'r1',
      readBack: { waitMs: 300, intervalMs: 50 },
    });
    expect(resolution.foundDone.sort()).toEqual([
      'customer:FoundCo',
      'customer:TaskOc',
      'site:FoundCo/FoundSite2',
    ]);
    const statusOf = (id: string) => resolution.entries.find((e) => e.actionId === id)?.status;
    expect(statusOf('customer:MissingCo')).toBe('pending');
    expect(resolution.entries.find((e) => e.actionId === 'site:FoundCo/FoundSite2')?.siteGuid).toBe(
      added.value.siteGuid,
    );

    const observed = await readObservedState(client, rows, 4);
    const applied = store.loadApplied();
    // The kill came before the creates' customer-level values were recorded: they are recorded now.
    const unrecorded = createdUnrecorded(store.journal('r1'), applied);
    expect([...unrecorded].sort()).toEqual(['FoundCo', 'TaskOc']);
    const fresh = planActions(rows, observed, applied, { createdUnrecorded: unrecorded });
    const kinds = Object.fromEntries(fresh.actions.map((a) => [a.id, a.kind]));
    expect(kinds['customer:MissingCo']).toBe('create-customer');
    expect(kinds['site:FoundCo/FoundSite2']).not.toBe('add-site');
    const result = await applyPlan({
      plan: fresh,
      client,
      store,
      runId: 'r1',
      settled: settledFromJournal(store.journal('r1'), fresh.actions),
    });
    expect(result.results.every((r) => r.status === 'succeeded' || r.status === 'unchanged')).toBe(true);

    const counters = rig.sim.snapshot().counters;
    expect(counters.createAttempts).toEqual({ FoundCo: 1, MissingCo: 1, TaskOc: 1 });
    expect(counters.siteAdds).toEqual({ 'FoundCo/FoundSite2': 1 });
    expect([...store.loadApplied().customers.keys()].sort()).toEqual(['FoundCo', 'MissingCo', 'TaskOc']);
    // So a later change of a value the API cannot modify is a conflict, not silently ignored.
    const changed = {
      ...rows,
      customers: [customer('FoundCo', { channelId: 'ch-8' }), ...rows.customers.slice(1)],
    };
    const later = planActions(changed, await readObservedState(client, changed, 4), store.loadApplied());
    expect(later.actions.find((a) => a.id === 'customer:FoundCo')?.kind).toBe('conflict');
  });
});

describe('resume: a task that failed', () => {
  it('because someone else created the short name meanwhile is failed with the task reason, not taken as done', async () => {
    rig = await startRig({ taskDurationMs: 300 });
    const { client, store } = rig;
    const rows = { customers: [ocCustomer('Taken1')], sites: [] };
    const plan = await planFor(client, store, rows);
    const action = plan.actions[0]!;
    const job = await client.createOcService(requestOf(action, 'createOcService').body);
    if (job.kind !== 'ok') throw new Error('setup OC create failed');
    // Behind lpsync's back, while its task runs: the same short name, created in the portal.
    const other = await client.createCustomer({
      shortName: 'Taken1',
      siteLocation: { sbcId: 1, sbcOnboardingScript: 3, sbcCleanupScript: 4 },
    });
    if (other.kind !== 'ok') throw new Error('setup v2 create failed');
    store.putJournal({
      ...journalEntry('r-taken', action, 'in-flight', { ...blank, taskId: job.value.jobId }),
      attempts: 1,
    });
    const resolution = await resolveInterrupted({
      client,
      store,
      runId: 'r-taken',
      readBack: { waitMs: 100, intervalMs: 20 },
    });
    const entry = resolution.entries[0]!;
    expect(entry.status).toBe('failed');
    expect(entry.error).toMatch(/already exists/);
    expect(resolution.foundDone).toEqual([]);
  });
});

describe('adopt and rate', () => {
  it('--adopt records the sheet for a site made outside lpsync without sending it', async () => {
    rig = await startRig();
    const { client, store } = rig;
    const base = customer('AdoptCo');
    await applyPlan({
      plan: await planFor(client, store, { customers: [base], sites: [] }),
      client,
      store,
      runId: 'setup',
    });
    const row = site('AdoptCo', 'PortalSite', { phones: ['+442071234567'], dialPlanName: 'DP1' });
    const rows = { customers: [base], sites: [row] };
    // Someone adds the site in the portal: the platform has it, lpsync never applied it.
    const addPlan = await planFor(client, store, rows);
    const add = addPlan.actions.find((a) => a.id === 'site:AdoptCo/PortalSite')!;
    const addRequest = requestOf(add, 'addSite');
    const made = await client.addSite(addRequest.customerGuid!, addRequest.body);
    expect(made.kind).toBe('ok');

    const observed = await readObservedState(client, rows, 4);
    expect(planActions(rows, observed, store.loadApplied()).actions.find((a) => a.id === add.id)?.kind).toBe(
      'modify-site',
    );
    const adoptPlan = planActions(rows, observed, store.loadApplied(), { adopt: true });
    expect(adoptPlan.actions.find((a) => a.id === add.id)?.kind).toBe('unchanged');
    const writes = () =>
      Object.entries(rig!.sim.snapshot().counters.requests)
        .filter(([r]) => /^(POST|PATCH)/.test(r))
        .reduce((n, [, v]) => n + v, 0);
    const before = writes();
    await applyPlan({ plan: adoptPlan, client, store, runId: 'adopt' });
    expect(writes()).toBe(before);
    const after = planActions(rows, await readObservedState(client, rows, 4), store.loadApplied());
    expect(after.actions.map((a) => a.kind)).toEqual(['unchanged', 'unchanged']);
  });

  it('a requests-per-second cap spaces the requests it starts', async () => {
    rig = await startRig();
    const { client, store } = rig;
    const rows = {
      customers: ['R1co', 'R2co', 'R3co', 'R4co', 'R5co', 'R6co'].map((n) => customer(n)),
      sites: [],
    };
    const plan = await planFor(client, store, rows);
    const started = Date.now();
    const result = await applyPlan({ plan, client, store, runId: 'rate', rate: 5, concurrency: 6 });
    expect(result.results.every((r) => r.status === 'succeeded')).toBe(true);
    // Six requests at 5 per second: the last may start no earlier than 1 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
