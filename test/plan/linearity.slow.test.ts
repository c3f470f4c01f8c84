/** planActions at scale: 20,000 services and rows plan in one pass each (a nested scan would take minutes). */
import { describe, expect, it } from 'vitest';
import { planActions } from '../../src/plan/plan-actions.js';
import { noneApplied, observed, service, siteRow } from './fixtures.js';

describe('planActions: drift, counts and the view', () => {
  it('is linear: 20 000 services and 20 000 rows plan without nested scans', () => {
    const services = [];
    const sites = [];
    for (let i = 0; i < 20_000; i += 1) {
      const guid = `g-${i}`;
      services.push(service(`C${i}`, guid, [{ id: guid, name: `C${i}` }]));
      sites.push(siteRow(`C${i}`, `S${i}`));
    }
    const plan = planActions({ customers: [], sites }, observed(services), noneApplied());
    expect(plan.counts['add-site']).toBe(20_000);
    expect(plan.drift.filter((d) => d.kind === 'site')).toHaveLength(20_000);
  });
});
