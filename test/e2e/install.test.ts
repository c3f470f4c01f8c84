/**
 * The install cron uses: `npm pack` in the checkout, then `npm install -g ./lpsync-<version>.tgz`.
 * The tarball carries its dependencies (bundleDependencies), so the install needs no registry:
 * tested offline into a temporary prefix. Then `lpsync` runs from PATH, outside the checkout: its
 * version, a real apply (SQLite and all) and the examples of its --help, pasted as printed.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { ROOT } from './cli-helpers.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lpsync-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('install from the checkout, for cron', () => {
  it('npm pack, then npm install -g of the tarball offline into a prefix: lpsync runs from PATH', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    // npm pack runs prepare (the build) and prepack; dist/ is built already by the test setup and a build
    // now would race other tests, so prepack runs on its own and pack with --ignore-scripts.
    await run('npm', ['run', 'prepack'], { cwd: ROOT });
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    const tarball = join(dir, `lpsync-${version}.tgz`);
    expect(existsSync(tarball)).toBe(true);
    // npm install drops tar hard-link entries: a binary stored as one (node-gyp hard-links its outputs,
    // and which copy is the link depends on directory order) would be missing on the cron host.
    const listing = (await run('tar', ['tvzf', tarball], { maxBuffer: 64 << 20 })).stdout.split('\n');
    expect(listing.filter((line) => line.startsWith('h'))).toEqual([]);

    const prefix = join(dir, 'prefix');
    // As the README says, scripts and all: whether npm packed better-sqlite3's build/ or only the sources
    // its package.json "files" names depends on npm's hidden lockfile, so its install script builds it from
    // the bundled source (offline: prebuild-install finds nothing, node-gyp compiles; about two minutes).
    await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: dir,
      maxBuffer: 64 << 20,
    });
    const bin = join(prefix, 'bin');
    expect(readdirSync(bin)).toContain('lpsync');
    const binary = join(
      prefix,
      'lib/node_modules/lpsync/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
    expect(existsSync(binary), binary).toBe(true);

    const home = mkdtempSync(join(dir, 'home-'));
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home };
    const lpsync = (args: string[], extra: Record<string, string> = {}) =>
      run('lpsync', args, { cwd: home, env: { ...env, ...extra }, maxBuffer: 16 << 20 });
    expect((await lpsync(['--version'])).stdout.trim()).toBe(version);

    const sim = await startSimulator({ port: 0, seed: 41 });
    try {
      const connection = { LPSYNC_BASE_URL: `${sim.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
      // Every example of these --help texts works as printed, from a folder that is not the checkout.
      for (const command of ['validate', 'plan', 'apply', 'reconcile']) {
        const help = (await lpsync([command, '--help'])).stdout;
        const section = /\nExamples:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '';
        const examples = [...section.matchAll(/^ {2}(lpsync \S.*?)(?: {2,}\S.*)?$/gm)]
          .map((m) => m[1]!.trim())
          .filter((e) => !/lpsync\.json|customers\.xlsx --config/.test(e));
        expect(examples.length, help).toBeGreaterThanOrEqual(1);
        for (const example of examples) {
          expect(example).not.toMatch(/ samples\//);
          const r = await run('sh', ['-c', example], {
            cwd: home,
            env: { ...env, ...connection },
            maxBuffer: 16 << 20,
          }).catch((e: { code: number; stderr: string }) => e);
          // By design: validate of invalid.xlsx exits 2, --resume of a run that finished says there is nothing to
          // resume, and --require-approval refuses a plan no one but its author approved.
          const refused = /invalid\.xlsx|--resume$|--require-approval$/.test(example);
          const stderr = 'stderr' in r ? r.stderr : '';
          expect('code' in r ? r.code : 0, `${example}\n${stderr}`).toBe(refused ? 2 : 0);
          if (example.endsWith('--resume')) expect(stderr).toMatch(/finished; there is nothing to resume/);
          if (example.endsWith('--require-approval')) expect(stderr).toMatch(/no one else approved it/);
        }
      }
      // The apply examples ran for real: the state store is SQLite, from the bundled better-sqlite3.
      expect(existsSync(join(home, '.lpsync', 'state.db'))).toBe(true);
      expect(Object.keys(sim.snapshot().counters.createAttempts).length).toBe(8);
      // The console from the installed package: its stylesheet and script are in the tarball.
      const console_ = spawn(join(bin, 'lpsync'), ['serve', '--demo', '--port', '0'], { cwd: home, env });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          console_.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const m = /^Open (\S+)$/m.exec(out);
            if (m) resolve(m[1]!);
          });
          console_.on('exit', (code) => reject(new Error(`lpsync serve exited ${code}: ${out}`)));
        });
        expect((await fetch(new URL('/assets/console.js', url))).status).toBe(200);
        expect((await fetch(new URL('/assets/console.css', url))).status).toBe(200);
      } finally {
        console_.kill('SIGINT');
      }
    } finally {
      await sim.close();
    }
  }, 900_000);
});
