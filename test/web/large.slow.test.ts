/**
 * A large workbook stays usable in the console: 10,000 rows are checked and planned once, and each page
 * shows one slice of them (100 issues, 50 actions) with a pager, never a 10,000-row page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWorkbook } from '../fixtures/build-samples.js';
import { manyCustomersSheets } from '../guarantees/secrets-workbook.js';
import { location, Visitor } from './helpers.js';
import { useTokenConsole } from './token-console.js';

const ROWS = 10_000;

const at = useTokenConsole({ seed: 10, name: 'large' });

function sheets(broken: boolean) {
  const [customers, sites] = manyCustomersSheets({
    prefix: 'Big',
    essentials: ROWS,
    ocs: 0,
    sites: 0,
    spread: 1,
    tenantPrefix: '22222222-3333-4444-8555-',
    phoneBase: 1000,
  });
  // Broken: every row's SBC Id is not a number, one error a row.
  const rows = broken ? customers!.rows.map((r) => ({ ...r, 'SBC Id': 'five' })) : customers!.rows;
  return [{ ...customers!, rows }, sites!];
}

const rowsOf = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('10,000 rows in the console', () => {
  it('the check shows 100 of 10,000 issues a page, filterable; the plan 50 of 10,000 actions a page', async () => {
    const bad = join(at.dir, 'big-broken.xlsx');
    const good = join(at.dir, 'big.xlsx');
    await writeWorkbook(bad, sheets(true));
    await writeWorkbook(good, sheets(false));
    const v = new Visitor(at.web.port, at.web.console.url);
    await v.signIn();
    await v.get('/');

    const checked = await v.upload([{ role: 'workbook', name: 'big-broken.xlsx', bytes: readFileSync(bad) }]);
    const first = await v.get(location(checked));
    expect(first.text).toContain(`<strong>${ROWS}</strong> errors`);
    expect(rowsOf(first.text, /<tr class="issue-error">/g)).toBe(100);
    expect(first.text).toContain('Page 1 of 100');
    const last = await v.get(`${location(checked)}?page=100`);
    expect(rowsOf(last.text, /<tr class="issue-error">/g)).toBe(100);
    expect(last.text).toContain('Page 100 of 100');
    expect(first.body.length).toBeLessThan(250_000);

    const up = await v.upload([{ role: 'workbook', name: 'big.xlsx', bytes: readFileSync(good) }]);
    const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
    expect((await v.get(location(up))).text).toContain('can be planned');
    expect((await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' })).status).toBe(303);
    const plan = await v.get(`/uploads/${id}/plan`);
    expect(plan.text).toContain(`<tr data-kind="create-customer">`);
    expect(rowsOf(plan.text, /<li class="action action-create-customer">/g)).toBe(50);
    expect(plan.text).toContain('Page 1 of 200');
    const one = await v.get(`/uploads/${id}/plan?customer=Big9999`);
    expect(rowsOf(one.text, /<li class="action action-create-customer">/g)).toBe(1);
  }, 300_000);
});
