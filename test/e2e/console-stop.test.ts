/**
 * Stop and Resume in the browser, against a slow simulator (every answer 250 ms late, one request at a
 * time): Stop mid-run does what Ctrl-C does (nothing new is sent, the run says it was stopped and offers
 * Resume); Resume finishes it; the simulator saw every create and every SIP connection add exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
  type Browser,
  type Served,
} from './browser.js';
import { SAMPLE } from './cli-helpers.js';

let sim: RunningSimulator;
let served: Served;
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 29, taskDurationMs: 200, latencyMs: 250 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-console-stop-'));
  const env = { LPSYNC_BASE_URL: `${sim.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
  served = await serve(
    ['--state', join(dir, 'state.db'), '--reports-dir', join(dir, 'reports'), '--concurrency', '1'],
    { cwd: dir, env },
  );
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function count(status: string): Promise<number> {
  return Number(await page.locator(`[data-count=${status}]`).textContent());
}

describe('Stop and Resume', () => {
  it('Stop mid-run stops sending; Resume finishes the run; no create and no add reached the platform twice', async () => {
    await page.goto(served.url);
    await page.setInputFiles('#workbook', SAMPLE);
    await Promise.all([page.waitForURL(/\/validate$/), page.click('button:has-text("Upload and check")')]);
    await Promise.all([page.waitForURL(/\/plan$/), page.click('a:has-text("Next: plan the change")')]);
    await page.click('button:has-text("Make the plan")');
    await page.locator('code.sha').first().waitFor({ timeout: 60_000 });
    await Promise.all([page.waitForURL(/\/apply$/), page.click('a:has-text("Next: review and apply")')]);
    await Promise.all([page.waitForURL(/\/runs\/[^/]+$/), page.click('form button.primary')]);
    const firstRun = page.url();

    // The counts move by the event stream, without a reload.
    type Doc = { querySelector(s: string): { textContent: string | null } | null };
    await page.waitForFunction(
      () =>
        Number(
          (globalThis as unknown as { document: Doc }).document.querySelector('[data-count=succeeded]')
            ?.textContent,
        ) >= 3,
      undefined,
      { timeout: 60_000 },
    );
    expect(page.url()).toBe(firstRun);
    await Promise.all([page.waitForURL(firstRun), page.click('button:has-text("Stop")')]);
    const resume = page.locator('button:has-text("Resume")');
    await resume.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-field=stateText]').textContent()).toMatch(
      /^Stopped: \d+ of 17 actions done, \d+ not run; Resume finishes them$/,
    );
    const doneBeforeResume = await count('succeeded');
    expect(doneBeforeResume).toBeGreaterThanOrEqual(3);
    expect(doneBeforeResume).toBeLessThan(17);
    expect(await count('not-run')).toBeGreaterThan(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'run-stopped', join(dir, 'screenshots'));

    await Promise.all([
      page.waitForURL((url) => url.href !== firstRun && /\/runs\/[^/]+$/.test(url.pathname)),
      resume.click(),
    ]);
    await page.locator('a:has-text("See the results")').waitFor({ timeout: 90_000 });
    await Promise.all([page.waitForURL(/\/results$/), page.click('a:has-text("See the results")')]);
    expect(await page.locator('.notice-ok').textContent()).toContain('Every row ended without an error');

    const { createAttempts, siteAdds } = sim.snapshot().counters;
    // 6 Essentials and 2 OC customers created, 9 further SIP connections added: each sent once.
    expect(Object.keys(createAttempts)).toHaveLength(8);
    expect(Object.keys(siteAdds)).toHaveLength(9);
    expect([...Object.values(createAttempts), ...Object.values(siteAdds)].every((n) => n === 1)).toBe(true);
    expect(browser.cspViolations).toEqual([]);
  }, 180_000);
});
