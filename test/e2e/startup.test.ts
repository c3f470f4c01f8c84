/**
 * Startup: `--help`, `--version` and `validate` of CSV files load only what they use — never exceljs
 * (exceljs writes only the review, export and before-image workbooks), nor csv-parse for an ordinary CSV
 * (lpsync splits it; csv-parse reads odd quotes) — so they start in a fraction of a second; an ordinary
 * `apply` loads neither zod (its settings and the platform's usual answers are read by hand) nor exceljs
 * (the results workbook is lpsync's own writer's). winston is not lpsync's logger any more.
 * Timings belong in `npm run bench`; this test checks what is loaded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MAIN, ROOT, SAMPLE } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/**
 * A command's run and the packages it loaded: by the module URLs node resolved for ESM imports, and by
 * require.cache for CommonJS (zod is loaded with createRequire, which ESM hooks do not see).
 */
async function traced(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const name = `${args
    .join('_')
    .replace(/[^\w-]/g, '')
    .slice(0, 80)}-${Object.keys(env).length}`;
  const imports = join(dir, `${name}.imports.txt`);
  const requires = join(dir, `${name}.requires.txt`);
  // Not spawnSync: the simulator answering the command runs in this process.
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(ROOT, 'test', 'support', 'trace-imports.mjs'),
      '--import',
      join(ROOT, 'test', 'support', 'trace-requires.mjs'),
      MAIN,
      ...args,
    ],
    {
      cwd,
      env: { PATH: process.env.PATH, LPSYNC_TRACE_IMPORTS: imports, LPSYNC_TRACE_REQUIRES: requires, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  const urls = readFileSync(imports, 'utf8').split('\n');
  expect(urls.some((u) => u.endsWith('/dist/src/cli/main.js'))).toBe(true);
  const paths = [...urls, ...readFileSync(requires, 'utf8').split('\n')];
  const packages = new Set(
    paths.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((p): p is string => !!p),
  );
  return { status, stdout, stderr, packages };
}

/** The packages a command that succeeds loads. */
async function packagesLoaded(args: string[]): Promise<Set<string>> {
  const run = await traced(args);
  expect(run.status, run.stderr).toBe(0);
  return run.packages;
}

describe('startup', () => {
  it('--help and --version load yargs, not exceljs, winston, zod or the state store', async () => {
    for (const args of [['--help'], ['--version'], ['apply', '--help']]) {
      const loaded = await packagesLoaded(args);
      expect(loaded.has('yargs'), args.join(' ')).toBe(true);
      for (const heavy of ['exceljs', 'winston', 'zod', 'better-sqlite3'])
        expect(loaded.has(heavy), `${args.join(' ')} loads ${heavy}`).toBe(false);
    }
  });

  it('validate of CSV files loads neither exceljs, winston nor csv-parse (read only for odd quotes)', async () => {
    const loaded = await packagesLoaded([
      'validate',
      '--customers',
      'samples/customers.csv',
      '--sites',
      'samples/sip-connections.csv',
    ]);
    expect(loaded.has('csv-parse')).toBe(false);
    expect(loaded.has('exceljs')).toBe(false);
    expect(loaded.has('winston')).toBe(false);
  });

  it('apply of a workbook against the simulator loads no zod, exceljs or winston; a bad setting loads zod and says what is wrong', async () => {
    sim = await startSimulator({ port: 0, seed: 1, taskDurationMs: 20 });
    const cwd = mkdtempSync(join(dir, 'apply-'));
    const env = { HOME: cwd, LPSYNC_BASE_URL: sim.url, LPSYNC_TOKEN: 'demo-token' };
    const applied = await traced(['apply', SAMPLE], env, cwd);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply: [1-9]\d* created, [1-9]\d* added, 0 modified, 0 failed/);
    expect(applied.packages.has('better-sqlite3')).toBe(true);
    expect(applied.packages.has('zod'), 'apply loads zod').toBe(false);
    expect(applied.packages.has('exceljs'), 'apply loads exceljs').toBe(false);
    expect(applied.packages.has('winston'), 'apply loads winston').toBe(false);

    const refused = await traced(['apply', SAMPLE, '--max-response-mb', '0'], env, cwd);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      'Invalid connection settings: --max-response-mb: expected a number of MiB > 0',
    );
    expect(refused.packages.has('zod'), 'a bad setting is worded by zod').toBe(true);
  });
});
