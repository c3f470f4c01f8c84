/**
 * The README's "Team setup: the console with accounts", run as pasted: its `export` and `users add` lines
 * (passwords fed by printf), its openssl line, and each `lpsync serve` line started as written (with a
 * free port added, and `--host 0.0.0.0` narrowed to 127.0.0.1: tests listen on loopback only), then
 * signed in to over what that line gives: HTTP on this machine, HTTPS with the certificate openssl made,
 * and through the proxy's public name. Each stops at Ctrl-C with exit 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { cookieOf, send } from '../web/helpers.js';
import { MAIN, ROOT } from './cli-helpers.js';

let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 2405 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-readme-console-'));
});
afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The lines of the section's ```sh blocks, comments kept apart. */
function sectionLines(): Array<{ line: string; expect: string[] }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Team setup: the console with accounts');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const lines: Array<{ line: string; expect: string[] }> = [];
  let inSh = false;
  for (const raw of section.split('\n')) {
    if (/^```sh\s*$/.test(raw)) inSh = true;
    else if (raw.startsWith('```')) inSh = false;
    else if (inSh) {
      const arrow = /^#\s+→\s+(.*)$/.exec(raw.trim());
      if (arrow) lines.at(-1)!.expect.push(arrow[1]!);
      else if (raw.trim()) lines.push({ line: raw.trim(), expect: [] });
    }
  }
  return lines;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function bash(line: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd: dir, env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** `lpsync serve …` as written, on `port`: the address it prints, and Ctrl-C. */
function startServe(line: string, port: number, env: NodeJS.ProcessEnv) {
  const args = line.replace(/^npx lpsync /, '').replace('--host 0.0.0.0', '--host 127.0.0.1');
  const child = spawn('bash', ['-c', `exec node '${MAIN}' ${args} --port ${port}`], { cwd: dir, env });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const opened = new Promise<string>((resolve, reject) => {
    const look = (c: Buffer) => {
      out += c.toString();
      const m = /^Open (https?:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then((code) => reject(new Error(`serve exited ${code}:\n${out}`)));
  });
  return { opened, output: () => out, stop: () => (child.kill('SIGINT'), exited) };
}

/** Alice signs in over what the serve line gives; the session cookie's attributes. */
async function signIn(port: number, o: { host: string; origin: string; ca?: Buffer }, password: string) {
  const tls = o.ca ? { ca: o.ca, servername: hostname() } : {};
  const form = await send(port, '/login', { headers: { Host: o.host }, ...tls });
  expect(form.status, form.text).toBe(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  const answer = await send(port, '/login', {
    method: 'POST',
    headers: {
      Host: o.host,
      Origin: o.origin,
      Cookie: cookieOf(form, 'lpsync_login'),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: token, name: 'alice', password }).toString(),
    ...tls,
  });
  expect(answer.status, answer.text).toBe(303);
  return String(answer.headers['set-cookie']);
}

describe('README: the console for a team', () => {
  it('its lines run as pasted: accounts, a certificate, and each serve line signs alice in', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      LPSYNC_BASE_URL: `${sim.url}/tenantui`,
      LPSYNC_TOKEN: 'demo-token',
    };
    const npx = `npx() { shift; node '${MAIN}' "$@"; }`;
    const served: string[] = [];
    for (const { line, expect: texts } of sectionLines()) {
      if (line.startsWith('export ')) {
        for (const word of line.slice(7).split(/\s+/)) {
          const [name = '', ...value] = word.split('=');
          env[name] = value.join('=');
        }
        continue;
      }
      if (!line.startsWith('npx lpsync serve')) {
        const r = await bash(`${npx}\n${line}`, env);
        expect(r.code, `${line}\n${r.out}`).toBe(0);
        for (const text of texts) expect(r.out).toContain(text);
        continue;
      }
      const port = await freePort();
      const serve = startServe(line, port, env);
      const url = new URL(await serve.opened);
      expect(serve.output()).toContain(
        'a plan is applied only once a user other than its author approved it',
      );
      const password = env.ALICE_PASSWORD!;
      if (line.includes('--tls-cert')) {
        expect(url.protocol).toBe('https:');
        const ca = readFileSync(join(dir, 'console-cert.pem'));
        const cookie = await signIn(port, { host: `127.0.0.1:${port}`, origin: url.origin, ca }, password);
        expect(cookie).toMatch(/Secure/);
      } else if (line.includes('--behind-tls-proxy')) {
        expect(url.origin).toBe('https://lpsync.example.com');
        const cookie = await signIn(port, { host: 'lpsync.example.com', origin: url.origin }, password);
        expect(cookie).toMatch(/Secure/);
      } else {
        expect(url.origin).toBe(`http://127.0.0.1:${port}`);
        expect(await signIn(port, { host: url.host, origin: url.origin }, password)).not.toMatch(/Secure/);
      }
      expect(await serve.stop()).toBe(0);
      served.push(url.protocol);
    }
    expect(served).toEqual(['http:', 'https:', 'https:']);
    // The same users file on every interface without TLS: refused before anything listens.
    const bare = await bash(`node '${MAIN}' serve --users console-users.json --host 0.0.0.0 --port 0`, env);
    expect(bare.code).toBe(2);
    expect(bare.out).toContain('--host 0.0.0.0 is refused without TLS');
    expect(bare.out).not.toContain('Open http');
  }, 120_000);
});
