/**
 * The console in a real browser (Debian's Chromium), the whole flow against the simulator, as a person
 * clicks through it: the issues of samples/invalid.xlsx are the ones `lpsync validate --format json`
 * reports; the plan of samples/customers.xlsx has the counts `lpsync plan` saves; Apply reaches done and
 * the results workbook downloaded reads back every row succeeded; a second apply is all unchanged. Every
 * page passes axe-core (no serious or critical violation) and reports no CSP violation; then the same flow
 * by the keyboard alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import {
  accessibilityProblems,
  launchBrowser,
  screenshot,
  serve,
  tabTo,
  type Browser,
  type Served,
} from './browser.js';
import { readResults, ROOT, runCli, SAMPLE } from './cli-helpers.js';

const INVALID = join(ROOT, 'samples', 'invalid.xlsx');
let sim: RunningSimulator;
let served: Served;
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 23, taskDurationMs: 100 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-console-flow-'));
  const env = { LPSYNC_BASE_URL: `${sim.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
  served = await serve(['--state', join(dir, 'state.db'), '--reports-dir', join(dir, 'reports')], {
    cwd: dir,
    env,
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The page is accessible (axe: nothing serious or critical) and its picture is taken. */
async function looked(name: string): Promise<void> {
  expect(await accessibilityProblems(page), `${name}: ${page.url()}`).toEqual([]);
  await screenshot(page, name, join(dir, 'screenshots'));
}

async function uploadFile(path: string): Promise<void> {
  await page.goto(new URL('/', served.url).href);
  await page.setInputFiles('#workbook', path);
  await Promise.all([
    page.waitForURL(/\/uploads\/[^/]+\/validate$/),
    page.click('button:has-text("Upload and check")'),
  ]);
}

/** Every issue row of every page of the check, as (severity, sheet, row, column, rule, value). */
async function issuesShown(): Promise<string[]> {
  const rows: string[] = [];
  for (;;) {
    rows.push(
      ...(await page.$$eval('table.issues tbody tr', (trs) =>
        trs.map((tr) => {
          const cell = (c: string) => (tr.querySelector(c)?.textContent ?? '').trim();
          const fields = [
            'td.severity',
            'td.sheet',
            'td.row',
            'td.column',
            'td.rule',
            'td.message .value code',
          ];
          return JSON.stringify(fields.map(cell));
        }),
      )),
    );
    const next = page.locator('a[rel=next]');
    if ((await next.count()) === 0) return rows;
    await Promise.all([page.waitForLoadState(), next.first().click()]);
  }
}

/** The plan's counts table: kind → count. */
async function countsShown(): Promise<Record<string, number>> {
  const pairs = await page.$$eval('tr[data-kind]', (trs) =>
    trs.map((tr) => [tr.getAttribute('data-kind'), Number(tr.querySelector('td')?.textContent)] as const),
  );
  return Object.fromEntries(pairs);
}

async function planAndApply(): Promise<void> {
  await Promise.all([page.waitForURL(/\/plan$/), page.click('a:has-text("Next: plan the change")')]);
  await page.click('button:has-text("Make the plan")');
  // The plan is made, saved, and the same address shown again with it.
  await page.locator('code.sha').first().waitFor({ timeout: 60_000 });
}

describe('the console in Chromium', () => {
  it('upload → check → plan → apply → live → results, as the CLI sees them; then a second apply is all unchanged', async () => {
    await page.goto(served.url);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('h1').textContent()).toBe('Upload a workbook');
    await looked('upload');

    await uploadFile(INVALID);
    const cli = await runCli(['validate', INVALID, '--format', 'json'], { cwd: dir, baseUrl: sim.url });
    const expected = (JSON.parse(cli.stdout).issues as Array<Record<string, unknown>>).map((i) =>
      JSON.stringify([
        i.severity,
        i.sheet ?? '',
        i.row === undefined ? '' : String(i.row as number),
        i.column ?? '',
        i.rule,
        i.value ?? '',
      ]),
    );
    expect(expected.length).toBeGreaterThan(5);
    expect((await issuesShown()).sort()).toEqual(expected.sort());
    await page.goto(page.url().replace(/\?.*$/, ''));
    await looked('check-invalid');
    // The filter (no script needed): one rule only.
    const rule = JSON.parse(expected[0]!)[4] as string;
    await page.selectOption('#rule', rule);
    await Promise.all([page.waitForURL(/rule=/), page.click('button:has-text("Show")')]);
    const filtered = await issuesShown();
    expect(filtered.length).toBe(expected.filter((e) => JSON.parse(e)[4] === rule).length);

    await uploadFile(SAMPLE);
    expect(await page.locator('.notice-ok').textContent()).toContain('can be planned');
    await looked('check');
    await planAndApply();
    const planFile = join(dir, 'cli.plan.json');
    const planned = await runCli(['plan', SAMPLE, '--state', join(dir, 'state.db'), '--out', planFile], {
      cwd: dir,
      baseUrl: `${sim.url}/tenantui`,
    });
    expect(planned.code, planned.stderr).toBe(0);
    const cliCounts = Object.fromEntries(
      Object.entries(JSON.parse(readFileSync(planFile, 'utf8')).counts as Record<string, number>).filter(
        ([, n]) => n > 0,
      ),
    );
    expect(await countsShown()).toEqual(cliCounts);
    expect(await page.locator('code.sha').first().textContent()).toMatch(/^[0-9a-f]{64}$/);
    await looked('plan');

    await Promise.all([page.waitForURL(/\/apply$/), page.click('a:has-text("Next: review and apply")')]);
    const button = page.locator('form button.primary');
    expect(await button.textContent()).toMatch(
      /^Apply: create \d+ customers, create \d+ OC services, add \d+ SIP connections$/,
    );
    await looked('apply');
    await Promise.all([page.waitForURL(/\/runs\/[^/]+$/), button.click()]);
    await page.locator('a:has-text("See the results")').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-field=stateText]').textContent()).toMatch(
      /^Done: (\d+) of \1 actions done$/,
    );
    await looked('run');

    await Promise.all([page.waitForURL(/\/results$/), page.click('a:has-text("See the results")')]);
    await looked('results');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Download the results workbook")'),
    ]);
    const workbook = join(dir, 'downloaded.results.xlsx');
    await download.saveAs(workbook);
    const sheets = await readResults(workbook);
    expect([...sheets.values()].flatMap((s) => s.statuses).length).toBe(17);
    for (const s of sheets.values()) expect(s.statuses.every((status) => status === 'succeeded')).toBe(true);

    // The same workbook again: the plan says nothing to change, and its apply leaves every row unchanged.
    await uploadFile(SAMPLE);
    await planAndApply();
    expect(await countsShown()).toEqual({ unchanged: 17 });
    await Promise.all([page.waitForURL(/\/apply$/), page.click('a:has-text("Next: review and apply")')]);
    await Promise.all([page.waitForURL(/\/runs\/[^/]+$/), page.click('form button.primary')]);
    await page.locator('a:has-text("See the results")').waitFor({ timeout: 60_000 });
    await Promise.all([page.waitForURL(/\/results$/), page.click('a:has-text("See the results")')]);
    expect(await page.locator('table.counts-table tbody').textContent()).toMatch(/^\s*unchanged\s*17\s*$/);
    expect(browser.cspViolations).toEqual([]);
  }, 180_000);

  it('each step by the keyboard alone: Tab to each control, Enter (Space opens the file dialog, where the file is picked)', async () => {
    const keys = await browser.context.newPage();
    await keys.goto(new URL('/', served.url).href);
    await tabTo(keys, '#workbook');
    const [chooser] = await Promise.all([keys.waitForEvent('filechooser'), keys.keyboard.press('Space')]);
    await chooser.setFiles(join(ROOT, 'samples', 'customers-change.xlsx'));
    await tabTo(keys, 'button[type=submit].primary');
    await Promise.all([keys.waitForURL(/\/validate$/), keys.keyboard.press('Enter')]);
    await tabTo(keys, 'a.button.primary');
    await Promise.all([keys.waitForURL(/\/plan$/), keys.keyboard.press('Enter')]);
    await tabTo(keys, 'form.plan-form button[type=submit]');
    await Promise.all([keys.waitForLoadState(), keys.keyboard.press('Enter')]);
    await keys.locator('code.sha').first().waitFor();
    await tabTo(keys, 'a.button.primary');
    await Promise.all([keys.waitForURL(/\/apply$/), keys.keyboard.press('Enter')]);
    expect(await keys.locator('form button.primary').textContent()).toMatch(
      /^Apply: (create|add|modify) \d+ /,
    );
    await tabTo(keys, 'form button.primary');
    await Promise.all([keys.waitForURL(/\/runs\/[^/]+$/), keys.keyboard.press('Enter')]);
    await keys.locator('a:has-text("See the results")').waitFor({ timeout: 60_000 });
    await tabTo(keys, 'a.button.primary');
    await Promise.all([keys.waitForURL(/\/results$/), keys.keyboard.press('Enter')]);
    expect(await keys.locator('.notice-ok').textContent()).toContain('Every row ended without an error');
    await keys.close();
  }, 120_000);

  it('lpsync serve refuses an address beyond this machine while it has no accounts', async () => {
    const refused = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], {
      cwd: dir,
      baseUrl: `${sim.url}/tenantui`,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--host 0.0.0.0 is refused');
    expect(refused.stdout).not.toContain('Open http');
  });

  it('lpsync serve --demo needs nothing but itself: its own simulator and state store, gone at Ctrl-C', async () => {
    const demo = await serve(['--demo'], { cwd: dir, env: {} });
    expect(demo.output()).toContain('lpsync console on a simulated Live Platform');
    const first = await fetch(demo.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(new URL('/', demo.url), { headers: { Cookie: cookie } })).text();
    expect(page).toMatch(/Live Platform: <code>http:\/\/127\.0\.0\.1:\d+\/tenantui<\/code>/);
    expect(page).toContain('Upload a workbook');
    expect(await demo.stop()).toBe(0);
    expect((await fetch(new URL('/', demo.url)).catch((e: Error) => e)) instanceof Error).toBe(true);
  });
});
