/** The console's page parts: the one escaping helper, the sessions' idle end, the size of its script. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/web/assets.js';
import { escapeHtml, html, join as joinHtml } from '../../src/web/html.js';
import { createSessionStore, sameSecret } from '../../src/web/sessions.js';

const temp = mkdtempSync(join(tmpdir(), 'lpsync-web-pages-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('html', () => {
  it('escapes every value it is given, markup made by html itself excepted, lists joined', () => {
    const cell = '<img src=x onerror="alert(1)">&\'';
    const inner = html`<b>${cell}</b>`;
    expect(inner.text).toBe('<b>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</b>');
    expect(html`<td>${inner}</td>`.text).toBe(`<td>${inner.text}</td>`);
    // prettier-ignore
    const list = html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`;
    expect(list.text).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0');
    // prettier-ignore
    const joined = joinHtml(['a&', html`<br>`], ', ');
    expect(joined.text).toBe('a&amp;, <br>');
    expect(escapeHtml('"\'<>&')).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});

describe('sessions', () => {
  it('a session idle past the idle time ends, its folder deleted; touching it keeps it alive', () => {
    let now = 1_000;
    const sessions = createSessionStore({ tempDir: temp, idleMs: 100, now: () => now });
    const kept = sessions.create();
    const idle = sessions.create();
    const folder = sessions.folderOf(idle);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const ended: string[] = [];
    sessions.onEnd((s) => ended.push(s.id));
    now += 80;
    expect(sessions.touch(kept.id)).toBe(kept);
    now += 80;
    sessions.sweep();
    expect(ended).toEqual([idle.id]);
    expect(existsSync(folder)).toBe(false);
    expect(sessions.touch(idle.id)).toBeUndefined();
    expect(sessions.touch(kept.id)).toBe(kept);
    expect(kept.id).not.toBe(kept.csrfToken);
    sessions.endAll();
    expect(sessions.size).toBe(0);
  });

  it('secrets compare whole and exact', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});

describe('the browser script', () => {
  it('is one file, far under the 150 KB budget: under 20 KB gzipped', () => {
    const assets = loadAssets();
    const script = assets.get('console.js')!;
    expect(gzipSync(script.body).length).toBeLessThan(20 << 10);
    // Nothing but the DOM's own: no markup built from text (innerHTML), no eval.
    expect(script.body.toString()).not.toMatch(/innerHTML|eval\(|new Function/);
  });
});
