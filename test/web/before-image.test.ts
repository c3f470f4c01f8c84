/**
 * A run of the console that modified something offers its before-image beside the results workbook: the
 * changed SIP connection as the platform held it before the run, which a second upload plans back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SAMPLE } from '../e2e/cli-helpers.js';
import { location, Visitor } from './helpers.js';
import { useTokenConsole } from './token-console.js';

const at = useTokenConsole({ seed: 25, name: 'before', taskDurationMs: 20 });

/** Upload, plan, apply and wait for the end: the run's page path. */
async function applyFile(v: Visitor, name: string, bytes: Buffer): Promise<string> {
  const up = await v.upload([{ role: 'workbook', name, bytes }]);
  const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
  await v.get(location(up));
  expect((await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(303);
  const sha = /\/plans\/([0-9a-f]{64})\/apply/.exec((await v.get(`/uploads/${id}/plan`)).text)![1]!;
  await v.get(`/plans/${sha}/apply`);
  const run = location(await v.post(`/plans/${sha}/apply`));
  expect((await v.get(`${run}/events`)).text).toContain('event: end');
  return run;
}

describe('the before-image in the console', () => {
  it('a run that modified a SIP connection links its before-image; a run that only created has none', async () => {
    const v = new Visitor(at.web.port, at.web.console.url);
    await v.signIn();
    await v.get('/');
    const created = await applyFile(v, 'customers.xlsx', readFileSync(SAMPLE));
    expect((await v.get(`${created}/results`)).text).not.toContain('before.xlsx');
    expect((await v.get(`${created}/before.xlsx`)).status).toBe(404);

    const change = readFileSync(join(ROOT, 'samples', 'customers-change.xlsx'));
    const modified = await applyFile(v, 'customers-change.xlsx', change);
    const results = (await v.get(`${modified}/results`)).text;
    expect(results).toContain(`href="${modified}/before.xlsx"`);
    const image = await v.get(`${modified}/before.xlsx`);
    expect(image.status).toBe(200);
    expect(String(image.headers['content-disposition'])).toMatch(/\.before\.xlsx"$/);

    // Uploaded again, the before-image plans the change back: one modify, nothing created.
    const back = await v.upload([{ role: 'workbook', name: 'before.xlsx', bytes: image.body }]);
    const id = /\/uploads\/([^/]+)\//.exec(location(back))![1]!;
    expect((await v.get(location(back))).status).toBe(200);
    await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' });
    const plan = (await v.get(`/uploads/${id}/plan`)).text;
    expect(plan).toContain('Applying it will modify 1 SIP connection.');
  });
});
