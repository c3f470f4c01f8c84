import { describe, expect, it } from 'vitest';
import { manualClock } from '../support/manual-clock.js';
import { client, essentialsBody, finishedTask, start } from './helpers.js';

const ocBody = (shortName: string, extra: Record<string, unknown> = {}) => ({
  configurationName: 'OcEssential_IPGROUP_TYPE',
  msTenantId: 'f9f53ee0-56e1-43f6-8fe3-5fb322986657',
  customerShortName: shortName,
  customerFullName: shortName,
  licenseType: 3,
  licensedUsersCount: 25,
  ...extra,
});

describe('Create OC service from lead: the task', () => {
  it('is InProgress (outputData {}) for taskDurationMs, then CompletedSuccess; the service is listed only then', async () => {
    const clock = manualClock();
    const sim = await start({ taskDurationMs: 300, clock: clock.now });
    const c = client(sim);
    const { body } = await c.post('/api/v3/customer', ocBody('OcCust1'));
    const first = await c.get(`/api/v2/task/${body.jobId}`);
    expect(first.body).toMatchObject({ id: body.jobId, status: 'InProgress', outputData: {} });
    expect((await c.get('/api/v3/customer')).body).toEqual([]);
    expect(sim.snapshot().counters.creates).toEqual({});
    clock.advance(299);
    expect((await c.get(`/api/v2/task/${body.jobId}`)).body.status).toBe('InProgress');

    clock.advance(1);
    const done = await finishedTask(c, body.jobId);
    expect(done.body.status).toBe('CompletedSuccess');
    const guid = done.body.outputData.UmpCustomerGuid;
    const list = await c.get('/api/v3/customer?allDetails=true');
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({
      UmpCustomerGuid: guid,
      CustomerShortName: 'OcCust1',
      LicenseType: 3,
      LicensedUsersCount: 25,
      SiteLocation: [{ id: guid, name: 'OcCust1' }],
    });
    expect(sim.snapshot().counters).toMatchObject({
      creates: { OcCust1: 1 },
      createAttempts: { OcCust1: 1 },
    });
  });

  it('names the primary site after siteLocation.siteLocationName when given', async () => {
    const c = client(await start({ taskDurationMs: 0 }));
    const { body } = await c.post(
      '/api/v3/customer',
      ocBody('OcCust2', {
        siteLocation: { siteLocationName: 'OcMain', sbcId: 5, sbcOnboardingScript: 9, sbcCleanupScript: 90 },
      }),
    );
    const done = await finishedTask(c, body.jobId);
    expect(done.body.executionMessages[0].message).toBe('SBC sbc-onboarding done for site OcMain.');
    const site = await c.get(`/api/v2/sitelocation/${done.body.outputData.UmpCustomerGuid}`);
    expect(site.body).toMatchObject({ siteName: 'OcMain', sbcInfo: { sbcId: 5 } });
  });

  it('ends CompletedFailure with an Error message for a duplicate short name; nothing is created', async () => {
    const sim = await start({ taskDurationMs: 0 });
    const c = client(sim);
    await c.post('/api/v2/customer', essentialsBody('Taken1'));
    const { status, body } = await c.post('/api/v3/customer', ocBody('taken1'));
    expect(status).toBe(200);
    const done = await finishedTask(c, body.jobId);
    expect(done.body.status).toBe('CompletedFailure');
    expect(done.body.outputData).toEqual({});
    expect(done.body.executionMessages).toEqual([
      { level: 'Error', message: expect.stringContaining('already exists') },
    ]);
    expect(sim.snapshot().services).toHaveLength(1);
    expect(sim.snapshot().counters.createAttempts).toEqual({ Taken1: 1, taken1: 1 });
  });

  it('two tasks for the same short name: the first to complete wins, the second fails', async () => {
    const clock = manualClock();
    const c = client(await start({ taskDurationMs: 50, clock: clock.now }));
    const a = await c.post('/api/v3/customer', ocBody('Twice1'));
    clock.advance(1);
    const b = await c.post('/api/v3/customer', ocBody('Twice1'));
    clock.advance(50);
    expect((await finishedTask(c, b.body.jobId)).body.status).toBe('CompletedFailure');
    expect((await finishedTask(c, a.body.jobId)).body.status).toBe('CompletedSuccess');
    expect((await c.get('/api/v3/customer')).body).toHaveLength(1);
  });
});
