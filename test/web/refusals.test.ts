/**
 * Apply sends exactly the saved plan, or refuses it as the CLI's `apply --plan` does, on a page that lists
 * each difference: a plan made stale by a change on the platform, and a plan applied already.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE } from '../e2e/cli-helpers.js';
import { location, Visitor } from './helpers.js';
import { useTokenConsole } from './token-console.js';

const at = useTokenConsole({ seed: 11, name: 'refusals', taskDurationMs: 50 });

/** Upload the sample, plan it; the plan's SHA-256. */
async function planned(v: Visitor): Promise<string> {
  const up = await v.upload([{ role: 'workbook', name: 'customers.xlsx', bytes: readFileSync(SAMPLE) }]);
  const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
  await v.get(location(up));
  expect((await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(303);
  return /\/plans\/([0-9a-f]{64})\/apply/.exec((await v.get(`/uploads/${id}/plan`)).text)![1]!;
}

/** Applies the plan and waits (the event stream ends with the run) for the run's page as it ended. */
async function applied(v: Visitor, sha: string): Promise<string> {
  await v.get(`/plans/${sha}/apply`);
  const run = location(await v.post(`/plans/${sha}/apply`));
  await v.get(`${run}/events`);
  return (await v.get(run)).text;
}

describe('refusals of a saved plan', () => {
  it('a plan made stale by the platform is refused, each difference listed; nothing is sent', async () => {
    const v = new Visitor(at.web.port, at.web.console.url);
    await v.signIn();
    await v.get('/');
    const sha = await planned(v);
    // Someone creates one of the plan's customers in the portal meanwhile.
    const made = await fetch(`${at.sim.url}/api/v2/customer`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        shortName: 'SaraTest1',
        siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
        ovocCustomerType: 'IPGROUP_TYPE',
      }),
    });
    expect(made.status).toBeLessThan(300);
    const writesBefore = at.sim.snapshot().counters.creates;
    const page = await applied(v, sha);
    expect(page).toContain('The plan was refused');
    expect(page).toContain('The plan is stale');
    const differences = [...page.matchAll(/<ul class="differences">([\s\S]*?)<\/ul>/g)].flatMap((m) =>
      [...m[1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => li[1]!.trim()),
    );
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.some((d) => d.includes('SaraTest1'))).toBe(true);
    expect(page).toContain('Nothing was sent');
    expect(at.sim.snapshot().counters.creates).toEqual(writesBefore);
  });

  it('a plan applied once is refused the second time, naming the run that applied it', async () => {
    const v = new Visitor(at.web.port, at.web.console.url);
    await v.signIn();
    await v.get('/');
    const sha = await planned(v);
    const first = await applied(v, sha);
    expect(first).toContain('See the results');
    const again = await applied(v, sha);
    expect(again).toContain('The plan was refused');
    expect(again).toMatch(/was already applied by run run-\d{8}T\d{6}-[0-9a-f]{8}/);
    expect(again).toContain('Nothing was sent');
  });
});
