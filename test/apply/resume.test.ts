import { afterEach, describe, expect, it } from 'vitest';
import { createdUnrecorded, freshRecord } from '../../src/apply/continue.js';
import type { ActionRecord } from '../../src/model/action-record.js';
import { planActions, readObservedState } from '../../src/plan/index.js';
import type { ActionRequest, PlannedAction } from '../../src/plan/types.js';
import { manualClock } from '../support/manual-clock.js';
import { applyPlan, customer, ocCustomer, planFor, site, startRig, type Rig } from './helpers.js';

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

/** The record a killed run leaves for an action whose request reached the platform. */
function inFlight(runId: string, action: PlannedAction, extra: Partial<ActionRecord> = {}): ActionRecord {
  return { ...freshRecord(runId, action), status: 'in-flight', attempts: 1, ...extra };
}

const continuingFrom = (records: ActionRecord[]) => new Map(records.map((r) => [r.actionId, r]));

describe('resume', () => {
  it('reads back what an interrupted run left in flight, then sends only what is missing', async () => {
    const clock = manualClock();
    rig = await startRig({ taskDurationMs: 400, clock: clock.now });
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
    for (const action of plan.actions) store.putJournal(inFlight('r1', action));
    store.putJournal(
      inFlight('r1', byId.get('site:FoundCo/FoundSite2')!, { customerGuid: found.value.customerGuid }),
    );
    store.putJournal(inFlight('r1', byId.get('customer:TaskOc')!, { taskId: job.value.jobId }));

    // Resume: load the records, plan afresh, carry each action on from its record.
    const records = store.journal('r1');
    const observed = await readObservedState(client, rows, 4);
    const applied = store.loadApplied();
    // The kill came before the creates' customer-level values were recorded: they are recorded now.
    const unrecorded = createdUnrecorded(records, applied);
    expect([...unrecorded].sort()).toEqual(['FoundCo', 'MissingCo', 'TaskOc']);
    const fresh = planActions(rows, observed, applied, { createdUnrecorded: unrecorded });
    const kinds = Object.fromEntries(fresh.actions.map((a) => [a.id, a.kind]));
    expect(kinds['customer:MissingCo']).toBe('create-customer');
    expect(kinds['site:FoundCo/FoundSite2']).not.toBe('add-site');
    // The interrupted run's OC task has finished by the time the resume asks for it.
    clock.advance(400);
    const result = await applyPlan({
      plan: fresh,
      client,
      store,
      runId: 'r1',
      continuing: continuingFrom(records),
      readBackWaitMs: 300,
      readBackIntervalMs: 50,
    });
    const statusOf = (id: string) => result.records.find((r) => r.actionId === id)?.status;
    expect(statusOf('customer:FoundCo')).toBe('succeeded');
    expect(statusOf('customer:TaskOc')).toBe('succeeded');
    expect(statusOf('site:FoundCo/FoundSite2')).toBe('succeeded');
    expect(statusOf('customer:MissingCo')).toBe('succeeded');
    const missing = result.records.find((r) => r.actionId === 'customer:MissingCo')!;
    expect(missing.sentTwice).toBe(true);
    expect(missing.messages.join('\n')).toMatch(
      /sent by an interrupted run: reading back[\s\S]*not found on the platform/,
    );
    expect(result.records.find((r) => r.actionId === 'site:FoundCo/FoundSite2')?.siteGuid).toBe(
      added.value.siteGuid,
    );
    expect(store.journal('r1').every((r) => r.status === 'succeeded')).toBe(true);

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
    const clock = manualClock();
    rig = await startRig({ taskDurationMs: 300, clock: clock.now });
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
    const left = inFlight('r-taken', action, { taskId: job.value.jobId });
    // The task fails (the short name is taken) and the plan now sees another license's service: a conflict,
    // and the interrupted run's create is not taken as done.
    const fresh = await planFor(client, store, rows);
    expect(fresh.actions[0]?.kind).toBe('conflict');
    clock.advance(300);
    const result = await applyPlan({
      plan: fresh,
      client,
      store,
      runId: 'r-taken',
      continuing: continuingFrom([left]),
    });
    const record = result.records[0]!;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/already exists/);
    expect(rig.sim.snapshot().counters.createAttempts).toEqual({ Taken1: 2 });
  });

  it("that was lpsync's own duplicate (sent twice after a lost answer) is not a failure: the first had created it", async () => {
    const clock = manualClock();
    rig = await startRig({ taskDurationMs: 200, clock: clock.now });
    const { client, store } = rig;
    const rows = { customers: [ocCustomer('Twice1')], sites: [] };
    const plan = await planFor(client, store, rows);
    const action = plan.actions[0]!;
    const body = requestOf(action, 'createOcService').body;
    const first = await client.createOcService(body);
    const second = await client.createOcService(body);
    if (first.kind !== 'ok' || second.kind !== 'ok') throw new Error('setup OC creates failed');
    // Killed while the second task ran: it fails as the duplicate of the first.
    const left = inFlight('r-twice', action, { taskId: second.value.jobId, sentTwice: true });
    clock.advance(200);
    const result = await applyPlan({
      plan,
      client,
      store,
      runId: 'r-twice',
      continuing: continuingFrom([left]),
    });
    expect(result.records[0]?.status).toBe('succeeded');
    expect(result.records[0]?.messages.join('\n')).toMatch(/the first request had created it/);
    expect(rig.sim.snapshot().counters.creates).toEqual({ Twice1: 1 });
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
});
