import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planActions } from '../../src/plan/plan-actions.js';
import type { AppliedRecord, AppliedState, Plan } from '../../src/plan/types.js';
import { goldenCases, goldenText } from './golden-scenario.js';

/**
 * The planner's whole output for a world that reaches every branch, kept in a file: a faster
 * planner must plan exactly the same (bodies, reasons, records, digests, key order).
 * LPSYNC_UPDATE_GOLDEN=1 rewrites the file, for a change of output that is meant.
 */
const GOLDEN = new URL('../fixtures/plan/golden-plans.json', import.meta.url);
const LATER_KINDS = new Set(['excluded', 'not-selected']);

describe('planActions: the same output as recorded', () => {
  it('plans the golden world exactly as the recorded plans, plain, adopting and after an interrupted run', () => {
    const text = goldenText(
      goldenCases().map((c) => ({
        name: c.name,
        plan: planActions(c.rows, c.observed, c.applied, c.options),
      })),
    );
    if (process.env.LPSYNC_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('plans exactly the same from records stored before the record digest (compared field by field)', () => {
    const older = (records: Map<string, AppliedRecord>) =>
      new Map([...records].map(([key, r]) => [key, { ...r, recordDigest: null }]));
    const withoutRecordDigests = (applied: AppliedState): AppliedState => ({
      customers: older(applied.customers),
      sites: older(applied.sites),
    });
    const cases = goldenCases();
    expect(cases.some((c) => [...c.applied.sites.values()].some((r) => r.recordDigest !== null))).toBe(true);
    const text = goldenText(
      cases.map((c) => ({
        name: c.name,
        plan: planActions(c.rows, c.observed, withoutRecordDigests(c.applied), c.options),
      })),
    );
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('reaches every kind of action, drift of both kinds, and keeps no secret in clear', () => {
    const [plain, adopt] = goldenCases().map((c) =>
      planActions(c.rows, c.observed, c.applied, c.options),
    ) as [Plan, Plan];
    // Every kind planActions decides ('excluded' and 'not-selected' come later, from --mode and --only).
    for (const kind of Object.keys(plain.counts).filter((k) => !LATER_KINDS.has(k)))
      expect(plain.counts[kind as keyof typeof plain.counts]).toBeGreaterThan(0);
    expect(new Set(plain.drift.map((d) => d.kind))).toEqual(new Set(['service', 'site']));
    expect(adopt.actions.some((a) => a.record.some((r) => r.adopted))).toBe(true);
    const file = readFileSync(GOLDEN, 'utf8');
    expect(file).not.toMatch(/Pw!|Br!|Dpi!|Teams!|tok-|changed-in-portal/);
  });
});
