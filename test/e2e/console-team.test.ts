/**
 * The console for a team in a real browser (Debian's Chromium), the console in this process on a clock the
 * test moves: an operator plans; under --require-approval her Apply is refused (the page offers none, and
 * the form posted anyway answers 403) until an approver approves; she applies and the results workbook's
 * Summary names all three. An auditor sees the runs, a run's page, the customer search, Audit (verify
 * intact), Doctor and Drift (each page passes axe-core; the README's screenshots). Five wrong passwords lock
 * an account for the set time; a session idle past its time is sent to the login page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/model/text.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { PASSWORDS, startTeamConsole, writeUsers, type TeamConsole } from '../web/team-helpers.js';
import { accessibilityProblems, launchBrowser, screenshot, type Browser } from './browser.js';
import { SAMPLE } from './cli-helpers.js';

const LOCK_MS = 10 * 60_000;
const IDLE_MS = 30 * 60_000;
let sim: RunningSimulator;
let web: TeamConsole;
let browser: Browser;
let page: Page;
let dir: string;
let origin: string;
let sha = '';
/** Writes the simulator received before the console sent any (the hand-made customer). */
let setupWrites = 0;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 2404, taskDurationMs: 50 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-console-team-'));
  const usersFile = await writeUsers(dir);
  // A customer someone made by hand, that the workbook does not name: the Drift page lists it.
  await fetch(`${sim.url}/api/v2/customer`, {
    method: 'POST',
    headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      shortName: 'HandMade7',
      siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
      ovocCustomerType: 'IPGROUP_TYPE',
    }),
  });
  web = await startTeamConsole({
    baseUrl: `${sim.url}/tenantui`,
    dir,
    usersFile,
    lockMs: LOCK_MS,
    idleMs: IDLE_MS,
  });
  setupWrites = sim.writesReceived().length;
  origin = web.console.origin;
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function looked(name: string): Promise<void> {
  expect(await accessibilityProblems(page), `${name}: ${page.url()}`).toEqual([]);
  await screenshot(page, name, join(dir, 'screenshots'));
}

async function tryLogin(name: string, password: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto(`${origin}/login`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState(), page.click('button:has-text("Sign in")')]);
}

async function signIn(name: keyof typeof PASSWORDS): Promise<void> {
  await tryLogin(name, PASSWORDS[name]);
  expect(new URL(page.url()).pathname).not.toBe('/login');
  expect(await page.locator('.who').textContent()).toContain(name);
}

async function signOut(): Promise<void> {
  await Promise.all([page.waitForURL(/\/login\?out=1$/), page.click('button:has-text("Sign out")')]);
}

async function summaryOf(path: string): Promise<Map<string, string>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const rows = new Map<string, string>();
  book
    .getWorksheet('Summary')!
    .eachRow((row) => rows.set(textOf(row.getCell(1).value), textOf(row.getCell(2).value)));
  return rows;
}

/** Posts the Apply form the page does not offer, with the session's CSRF token: the server's answer. */
async function postApplyAnyway(): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/plans/${sha}/apply`)),
    page.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/plans/${sha}/apply';
      form.append(document.querySelector('input[name=_csrf]').cloneNode());
      document.body.append(form);
      form.submit();
    })()`),
  ]);
  await page.waitForLoadState();
  return response.status();
}

describe('the team console in Chromium', () => {
  it('operator plans; her Apply is refused until an approver approves; she applies; the Summary names all three', async () => {
    await page.goto(origin);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn('alice');
    await page.setInputFiles('#workbook', SAMPLE);
    await Promise.all([page.waitForURL(/\/validate$/), page.click('button:has-text("Upload and check")')]);
    await Promise.all([page.waitForURL(/\/plan$/), page.click('a:has-text("Next: plan the change")')]);
    await page.click('button:has-text("Make the plan")');
    sha = (await page.locator('code.sha').first().textContent())!;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await Promise.all([page.waitForURL(/\/apply$/), page.click('a:has-text("Next: review and apply")')]);
    expect(await page.locator('h1').textContent()).toBe('The plan waits for approval');
    expect(await page.locator('form button.primary').count()).toBe(0);
    expect(await postApplyAnyway()).toBe(403);
    expect(sim.writesReceived().length).toBe(setupWrites);
    await signOut();

    await signIn('bob');
    await page.goto(`${origin}/plans/${sha}`);
    await looked('approve');
    await Promise.all([page.waitForLoadState(), page.click('button:has-text("Approve this plan")')]);
    expect(await page.locator('main').textContent()).toMatch(/Approved by\s*bob/);
    await signOut();

    await signIn('alice');
    await page.goto(`${origin}/plans/${sha}/apply`);
    await Promise.all([page.waitForURL(/\/runs\/[^/]+$/), page.click('form button.primary')]);
    await page.locator('a:has-text("See the results")').waitFor({ timeout: 60_000 });
    await Promise.all([page.waitForURL(/\/results$/), page.click('a:has-text("See the results")')]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Download the results workbook")'),
    ]);
    const workbook = join(dir, 'team.results.xlsx');
    await download.saveAs(workbook);
    const summary = await summaryOf(workbook);
    expect(summary.get('Planned by')).toMatch(/^alice@\S+ \(operator\) at /);
    expect(summary.get('Approved by')).toMatch(/^bob@\S+ \(approver\) at /);
    expect(summary.get('Applied by')).toMatch(/^alice@\S+ \(operator\) at /);
    await signOut();
    expect(browser.cspViolations).toEqual([]);
  }, 120_000);

  it('an auditor sees the runs, a run’s page, the customer search, Audit (intact), Doctor and Drift', async () => {
    await signIn('audrey');
    expect(new URL(page.url()).pathname).toBe('/history');
    expect(await page.locator('main table').textContent()).toContain('alice');
    await looked('auditor-runs');
    await Promise.all([page.waitForURL(/\/history\/run-/), page.click('a[href^="/history/run-"]')]);
    const runId = new URL(page.url()).pathname.split('/')[2]!;
    expect(await page.locator('main').textContent()).toContain('BradSB1E1');
    await looked('auditor-run');
    await page.goto(`${origin}/search`);
    await page.fill('#customer', 'SaraTest1');
    await Promise.all([page.waitForURL(/customer=SaraTest1/), page.click('button:has-text("Search")')]);
    expect(await page.locator('main').textContent()).toContain(runId);
    await looked('auditor-search');
    await page.goto(`${origin}/audit`);
    expect(await page.locator('.notice-ok').textContent()).toContain('Intact.');
    await looked('auditor-audit');
    await page.goto(`${origin}/doctor`);
    expect(await page.locator('h1').textContent()).toMatch(/Doctor/i);
    await looked('auditor-doctor');
    await page.goto(`${origin}/drift`);
    expect(await page.locator('h1').textContent()).toMatch(/Drift/i);
    expect(await page.locator('main').textContent()).toContain('HandMade7');
    await looked('auditor-drift');
    // Her pages offer no change: no upload, plan, approve or apply form.
    for (const path of ['/history', `/history/${runId}`, `/plans/${sha}`, `/plans/${sha}/apply`]) {
      await page.goto(`${origin}${path}`);
      expect(await page.locator('form[method=post]:not([action="/logout"])').count(), path).toBe(0);
    }
    await signOut();
    expect(browser.cspViolations).toEqual([]);
  }, 60_000);

  it('five wrong passwords lock the account for the set time; then it opens again', async () => {
    for (let i = 1; i <= 5; i++) await tryLogin('bob', `not the password ${i}`);
    expect(await page.locator('.notice-error').textContent()).toContain('The account bob is locked');
    await tryLogin('bob', PASSWORDS.bob);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('.notice-error').textContent()).toContain('locked after 5 wrong passwords');
    web.clock.move(LOCK_MS + 1_000);
    await signIn('bob');
  });

  it('a session idle past its time is sent to the login page', async () => {
    await page.goto(`${origin}/history`);
    expect(new URL(page.url()).pathname).toBe('/history');
    web.clock.move(IDLE_MS + 1_000);
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('.notice').first().textContent()).toContain('Your session ended');
    await signIn('bob');
    expect(new URL(page.url()).pathname).toBe('/history');
  });
});
