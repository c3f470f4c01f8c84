/**
 * The README's examples, run as pasted: every `npx lpsync …` line of its ```sh blocks, in README order,
 * in a copy of the checkout (package.json, dist/ and node_modules/ linked, samples/ copied), against one
 * simulator started here on a port the OS chose (it stands in for the README's `lpsync simulate --port
 * 8080 &`: LPSYNC_BASE_URL and LPSYNC_TOKEN point at it). Each line must end with the exit code the
 * README gives in its comment (`# exit 2…`), else 0; a `#    → text…` line under a command is text its
 * output must hold. `export`/`unset` lines of other variables (the proxy's) are applied as the shell would.
 *
 * `npx lpsync --version` runs through the real npx in the checkout itself (npx recognises the project it
 * runs in, as the README promises); the README's lines run in the copy through a shell function `npx` that
 * starts the same bin with the environment npx gives it (npm_command=exec, npm_lifecycle_event=npx), so
 * the whole README stays within a minute and nothing is written into the checkout.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MAIN, ROOT } from './cli-helpers.js';

const run = promisify(execFile);

export interface ReadmeStep {
  kind: 'command' | 'env';
  /** The line as written, without its comment. */
  line: string;
  /** For a command: the exit code the README gives, else 0; and texts its output must hold. */
  exit: number;
  expect: string[];
}

/**
 * Every `npx lpsync` line (the simulator's and the console's own, which run until Ctrl-C, left out; one fed a
 * password by `printf … |` included) and `export`/`unset` of the README's ```sh blocks.
 */
export function readmeSteps(markdown: string): ReadmeStep[] {
  const steps: ReadmeStep[] = [];
  let inSh = false;
  for (const raw of markdown.split('\n')) {
    if (/^```sh\s*$/.test(raw)) inSh = true;
    else if (/^```/.test(raw)) inSh = false;
    if (!inSh) continue;
    const text = raw.trim();
    const arrow = /^#\s+→\s+(.*)$/.exec(text);
    const last = steps.at(-1);
    if (arrow && last?.kind === 'command') {
      last.expect.push(arrow[1]!.split('…')[0]!.trim());
      continue;
    }
    const [line = '', comment = ''] = text.split(/\s+#\s+/, 2);
    // A password is fed on standard input: `printf '%s\n' "$X" | npx lpsync …` is run as written.
    if (/^(printf .*\|\s*)?npx lpsync /.test(line) && !/^npx lpsync (simulate|serve)\b/.test(line)) {
      const exit = /^exit (\d+)/.exec(comment);
      steps.push({ kind: 'command', line, exit: exit ? Number(exit[1]) : 0, expect: [] });
    } else if (/^(export|unset) /.test(line)) steps.push({ kind: 'env', line, exit: 0, expect: [] });
  }
  return steps;
}

/** The test's own: the simulator's URL and token are set here, whatever the README exports. */
const OWN = new Set(['LPSYNC_BASE_URL', 'LPSYNC_TOKEN']);

function applyEnv(env: Record<string, string>, line: string): void {
  const [verb, ...words] = line.split(/\s+/);
  for (const word of words) {
    if (verb === 'unset') delete env[word];
    else {
      const [name = '', ...value] = word.split('=');
      if (!OWN.has(name)) env[name] = value.join('=');
    }
  }
}

let dir: string;
let sim: RunningSimulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-readme-'));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
  sim = await startSimulator({ port: 0, seed: 8080, taskDurationMs: 50, tenantuiOnly: true });
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a person's shell would have: PATH and HOME, no npm_* of this test run, the simulator's URL and token. */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    LANG: 'C.UTF-8',
    LPSYNC_BASE_URL: `${sim.url}/tenantui`,
    LPSYNC_TOKEN: 'demo-token',
  };
}

const NPX = `npx() { if [ "$1" = lpsync ]; then shift; npm_command=exec npm_lifecycle_event=npx npm_package_name=lpsync node '${MAIN}' "$@"; else command npx "$@"; fi; }`;

async function shell(line: string, env: Record<string, string>) {
  try {
    const r = await run('bash', ['-c', `${NPX}\n${line}`], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('README.md', () => {
  const steps = readmeSteps(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('reads its examples: every section that has lpsync commands', () => {
    const commands = steps.filter((s) => s.kind === 'command');
    expect(commands.length).toBeGreaterThan(25);
    const verbs = 'validate plan apply reconcile doctor history report audit export'.split(' ');
    for (const verb of verbs)
      expect(
        commands.some((c) => c.line.startsWith(`npx lpsync ${verb} `) || c.line === `npx lpsync ${verb}`),
      ).toBe(true);
  });

  it('the build leaves the bin executable (npx links a checkout once per path and never sets it again)', () => {
    expect(statSync(MAIN).mode & 0o111).toBe(0o111);
  });

  it('npx finds lpsync in the checkout, as the README has it run', async () => {
    // In the checkout itself (npx recognises the project it is run in; a copy of it would be installed).
    const r = await run('npx', ['lpsync', '--version'], { cwd: ROOT, env: baseEnv() });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 60_000);

  it('runs every `npx lpsync` line as pasted, in order, with the exit code the README gives', async () => {
    const env = baseEnv();
    for (const step of steps) {
      if (step.kind === 'env') {
        applyEnv(env, step.line);
        continue;
      }
      const r = await shell(step.line, env);
      const said = `${step.line}\nexit ${r.code}\n${r.stdout}\n${r.stderr}`;
      expect(r.code, said).toBe(step.exit);
      for (const text of step.expect) expect(r.stdout + r.stderr, said).toContain(text);
    }
  }, 240_000);
});
