/**
 * Apply pressed twice at once (two tabs, a double click, a retrying proxy): the saved plan is sent by one
 * run only; the others are answered 409 (a run is going on) and sends nothing: no create reaches the
 * platform twice.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE } from '../e2e/cli-helpers.js';
import { location, Visitor } from './helpers.js';
import { useTokenConsole } from './token-console.js';

const at = useTokenConsole({ seed: 12, name: 'double-apply', taskDurationMs: 50 });

describe('a saved plan applied twice at the same moment', () => {
  it('one run sends every create once; the others send nothing and say why', async () => {
    const v = new Visitor(at.web.port, at.web.console.url);
    await v.signIn();
    await v.get('/');
    const up = await v.upload([{ role: 'workbook', name: 'customers.xlsx', bytes: readFileSync(SAMPLE) }]);
    const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
    await v.get(location(up));
    expect((await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(303);
    const sha = /\/plans\/([0-9a-f]{64})\/apply/.exec((await v.get(`/uploads/${id}/plan`)).text)![1]!;
    await v.get(`/plans/${sha}/apply`);

    // Four presses at once: each reads the lock before any has started its run.
    const answers = await Promise.all([1, 2, 3, 4].map(() => v.post(`/plans/${sha}/apply`)));
    const pages: string[] = [];
    for (const answer of answers) {
      if (answer.status !== 303) {
        pages.push(answer.text);
        continue;
      }
      await v.get(`${location(answer)}/events`);
      pages.push((await v.get(location(answer))).text);
    }

    const { creates, siteAdds } = at.sim.snapshot().counters;
    // The sample's 8 customers and 9 SIP connections (8 come with their customer), each sent once.
    expect(Object.keys(creates)).toHaveLength(8);
    expect(Object.values(creates).every((n) => n === 1)).toBe(true);
    expect(Object.values(siteAdds).every((n) => n === 1)).toBe(true);
    // One ran to its end; the other was answered 409 on the apply page, pointing at the run going on.
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409, 409]);
    expect(pages.filter((p) => p.includes('See the results'))).toHaveLength(1);
    expect(pages.filter((p) => p.includes('A run started here is still going'))).toHaveLength(3);
  });
});
