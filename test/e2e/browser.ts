/**
 * The real browser for the console's tests: Debian's /usr/bin/chromium driven by playwright-core (no
 * browser is downloaded), a fresh profile each launch; axe-core run inside the page; `lpsync serve` as a
 * child process on an OS-chosen port, its URL read from what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { MAIN, ROOT } from './cli-helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Every Content-Security-Policy violation the console's pages reported. */
  cspViolations: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'lpsync-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
    acceptDownloads: true,
  });
  const cspViolations: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return {
    context,
    cspViolations,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (rule id and the elements). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') does not apply to it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A screenshot of the page: into docs/ (the README shows them) when LPSYNC_SCREENSHOTS=1, else into a
 * temporary folder, so that a test run does not change the checkout.
 */
export async function screenshot(page: Page, name: string, folder: string): Promise<void> {
  const dir = process.env.LPSYNC_SCREENSHOTS === '1' ? join(ROOT, 'docs') : folder;
  mkdirSync(dir, { recursive: true });
  // The whole page, up to 1,800 pixels: the top of a long list says what the page is.
  const height = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { body: { scrollHeight: number } } }).document.body.scrollHeight,
  );
  await page.screenshot({
    path: join(dir, `console-${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width: 1200, height: Math.min(height, 1800) },
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** `lpsync serve --port 0 …` as a person starts it; resolves with the URL it prints. */
export function serve(args: string[], o: { cwd: string; env: Record<string, string> }): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', ...args], {
    cwd: o.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^Open (http:\/\/\S+)$/m.exec(out);
      if (m)
        resolve({
          child,
          url: m[1]!,
          output: () => out,
          stop: async () => {
            child.kill('SIGINT');
            return exited;
          },
        });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then((code) =>
      reject(new Error(`lpsync serve exited ${code} before printing its URL:\n${out}`)),
    );
  });
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses); fails otherwise. */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate((s) => {
      const doc = (
        globalThis as unknown as { document: { activeElement: { matches(x: string): boolean } | null } }
      ).document;
      return doc.activeElement?.matches(s) ?? false;
    }, selector);
    if (focused) return;
  }
  throw new Error(`Tab never reached ${selector} on ${page.url()}`);
}

export { ROOT };
