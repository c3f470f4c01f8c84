import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/model/errors.js';
import { parsePlanFile, planFileText, PLAN_FORMAT, type SavedPlan } from '../../src/plan/plan-file.js';
import { parseSelector, planShape, shapePlan } from '../../src/plan/shape.js';
import { countKinds } from '../../src/plan/plan-actions.js';
import type { Plan, PlannedAction } from '../../src/plan/types.js';

const origin = (sheet: string, row: number) => ({ file: 'book.xlsx', sheet, row });

function create(name: string, row: number): PlannedAction {
  return {
    kind: 'create-customer',
    id: `customer:${name}`,
    rows: [origin('Customers', row)],
    customerShortName: name,
    siteName: name,
    dependsOn: [],
    reasons: [{ message: `service "${name}" not found` }],
    record: [],
    request: {
      endpoint: 'createCustomer',
      method: 'POST',
      path: '/api/v2/customer',
      body: { shortName: name, siteLocation: { sbcId: 1, sbcOnboardingScript: 2, sbcCleanupScript: 3 } },
    },
  };
}

function add(customer: string, site: string, row: number, dependsOn: string[]): PlannedAction {
  return {
    kind: 'add-site',
    id: `site:${customer}/${site}`,
    rows: [origin('SipConnections', row)],
    customerShortName: customer,
    siteName: site,
    dependsOn,
    reasons: [],
    record: [],
    request: {
      endpoint: 'addSite',
      method: 'POST',
      path: '/api/v2/customer/{customerGuid}/sitelocation/',
      customerGuid: null,
      body: { siteLocationName: site },
    },
  };
}

function modify(customer: string, site: string, row: number): PlannedAction {
  return {
    kind: 'modify-site',
    id: `site:${customer}/${site}`,
    rows: [origin('SipConnections', row)],
    customerShortName: customer,
    siteName: site,
    customerGuid: 'g1',
    siteGuid: 's1',
    dependsOn: [],
    reasons: [{ field: 'cacProfile', before: '5', after: '10', message: 'differs' }],
    record: [{ shortName: customer, siteName: site, digest: 'd' }],
    request: {
      endpoint: 'modifySite',
      method: 'PATCH',
      path: '/api/v2/customer/g1/sitelocation/?sbcSiteGuid=s1',
      customerGuid: 'g1',
      siteGuid: 's1',
      body: { siteLocationName: site, sbcSiteName: site },
    },
  };
}

function plan(actions: PlannedAction[]): Plan {
  return { actions, drift: [], counts: countKinds(actions) };
}

const sample = () =>
  plan([
    create('Contoso1', 2),
    create('Fabrikam1', 3),
    add('Contoso1', 'C-Paris', 2, ['customer:Contoso1']),
    add('Fabrikam1', 'F-Rome', 3, ['customer:Fabrikam1']),
    modify('Old1', 'O-Site', 4),
  ]);

const kinds = (p: Plan) => Object.fromEntries(p.actions.map((a) => [a.id, a.kind]));

describe('--mode, --only and --limit', () => {
  it('parses each selector and refuses nonsense with the forms it takes', () => {
    expect(parseSelector('customer:Contoso*')).toMatchObject({ kind: 'customer' });
    expect(parseSelector('row:Customers!2-40')).toMatchObject({
      kind: 'row',
      sheet: 'Customers',
      from: 2,
      to: 40,
    });
    expect(parseSelector('row:SipConnections!5')).toMatchObject({ from: 5, to: 5 });
    expect(parseSelector('action:add-site')).toMatchObject({ kind: 'action', action: 'add-site' });
    for (const bad of ['Contoso', 'row:Customers', 'row:Customers!9-2', 'action:delete', 'site:x'])
      expect(() => parseSelector(bad)).toThrow(RunError);
    expect(() => planShape({ mode: 'insert' })).toThrow(/expected upsert, update-only, create-only/);
    expect(() => planShape({ limit: 0 })).toThrow(/--limit/);
  });

  it('update-only creates nothing: creates and the adds that depend on them are excluded, modifies stay', () => {
    const shaped = shapePlan(sample(), planShape({ mode: 'update-only' }));
    expect(kinds(shaped)).toEqual({
      'customer:Contoso1': 'excluded',
      'customer:Fabrikam1': 'excluded',
      'site:Contoso1/C-Paris': 'excluded',
      'site:Fabrikam1/F-Rome': 'excluded',
      'site:Old1/O-Site': 'modify-site',
    });
    expect(shaped.actions[0]?.reasons.at(-1)?.message).toBe('not found (update-only): nothing is created');
    expect(shaped.counts.excluded).toBe(4);
  });

  it('create-only sends no modify: its differences stay listed as reasons', () => {
    const shaped = shapePlan(sample(), planShape({ mode: 'create-only' }));
    const old = shaped.actions.find((a) => a.id === 'site:Old1/O-Site')!;
    expect(old.kind).toBe('excluded');
    expect(old.request).toBeUndefined();
    expect(old.record).toEqual([]);
    expect(old.reasons.map((r) => r.field)).toContain('cacProfile');
  });

  it('--only keeps a customer glob with its SIP connections; a site whose customer is left out is left out too', () => {
    expect(kinds(shapePlan(sample(), planShape({ only: ['customer:cont*'] })))).toEqual({
      'customer:Contoso1': 'create-customer',
      'customer:Fabrikam1': 'not-selected',
      'site:Contoso1/C-Paris': 'add-site',
      'site:Fabrikam1/F-Rome': 'not-selected',
      'site:Old1/O-Site': 'not-selected',
    });
    // Selecting only the add of a customer this run creates does not send it without its create.
    const sitesOnly = shapePlan(sample(), planShape({ only: ['action:add-site', 'row:SipConnections!4'] }));
    expect(kinds(sitesOnly)).toMatchObject({
      'site:Contoso1/C-Paris': 'not-selected',
      'site:Old1/O-Site': 'modify-site',
    });
    expect(sitesOnly.actions.find((a) => a.id === 'site:Contoso1/C-Paris')?.reasons.at(-1)?.message).toBe(
      'not selected: customer:Contoso1 is not in this wave',
    );
  });

  it('--limit counts write actions in plan order and never sends a site before its customer', () => {
    expect(kinds(shapePlan(sample(), planShape({ limit: 2 })))).toEqual({
      'customer:Contoso1': 'create-customer',
      'customer:Fabrikam1': 'create-customer',
      'site:Contoso1/C-Paris': 'not-selected',
      'site:Fabrikam1/F-Rome': 'not-selected',
      'site:Old1/O-Site': 'not-selected',
    });
    expect(kinds(shapePlan(sample(), planShape({ limit: 1, only: ['customer:Fabrikam1'] })))).toMatchObject({
      'customer:Fabrikam1': 'create-customer',
      'site:Fabrikam1/F-Rome': 'not-selected',
    });
  });
});

describe('plan files', () => {
  it('refuses what is not an lpsync plan, another format version, and a damaged file', () => {
    expect(() => parsePlanFile('{not json', 'x.json')).toThrow(/not JSON/);
    expect(() => parsePlanFile('{"summary":"Plan: 1 to create"}', 'x.json')).toThrow(
      /not an lpsync plan file/,
    );
    expect(() => parsePlanFile(JSON.stringify({ format: PLAN_FORMAT, formatVersion: 99 }), 'x.json')).toThrow(
      /format version 99; this lpsync applies version 1/,
    );
    expect(() => parsePlanFile(JSON.stringify({ format: PLAN_FORMAT, formatVersion: 1 }), 'x.json')).toThrow(
      /damaged plan file/,
    );
  });

  it('a file text hashes the same every time it is made from the same plan', () => {
    const doc: SavedPlan = {
      format: PLAN_FORMAT,
      formatVersion: 1,
      lpsyncVersion: '0.1.0',
      createdAt: 't',
      baseUrl: 'u',
      inputs: [],
      options: { mode: 'upsert', only: [], limit: null, adopt: false },
      counts: {},
      actions: [],
      drift: [],
    };
    expect(planFileText(doc).sha256).toBe(planFileText(structuredClone(doc)).sha256);
    expect(parsePlanFile(planFileText(doc).text, 'x.json')).toEqual(doc);
  });
});
